"""Rendered data sections kept between requests (apps.plans.rendering.rendered_sections).

A data section's HTML is kept under a digest of its data with the förbund, the version and the
template: unchanged data is not rendered again, changed data is (never a stale table), and
nothing is shared between förbund.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.autoreload import file_changed

from apps.goals import services as goals_services
from apps.goals.models import Malomrade
from apps.plans import rendering, selectors
from apps.tenancy.scope import tenant_scope

from .test_document_views import adopt, create_doc, url


@pytest.fixture(autouse=True)
def empty_store():
    rendering.rendered_sections.clear()
    yield
    rendering.rendered_sections.clear()


@pytest.fixture
def docs(plans, forbund_a, forbund_b, alice, charlie):
    return {"alfa": create_doc(forbund_a, alice), "beta": create_doc(forbund_b, charlie)}


@pytest.fixture
def data_renders(monkeypatch):
    """The data templates rendered (names), counted around apps.plans.rendering."""
    names: list[str] = []
    original = rendering.render_to_string

    def counting(template_name, *args, **kwargs):
        names.append(template_name)
        return original(template_name, *args, **kwargs)

    monkeypatch.setattr(rendering, "render_to_string", counting)
    return names


def test_data_sections_are_not_rendered_again_for_unchanged_data(client, alice, docs, data_renders):
    client.force_login(alice)
    first = client.get(url(docs["alfa"]))
    assert first.status_code == 200
    assert "plans/data/mal.html" in data_renders
    data_renders.clear()
    again = client.get(url(docs["alfa"]))
    assert data_renders == []
    assert "Målområde 1 alfa" in again.content.decode()


def test_kept_data_section_follows_a_change_to_the_data(client, alice, forbund_a, docs):
    client.force_login(alice)
    assert "Målområde 1 alfa" in client.get(url(docs["alfa"])).content.decode()
    with tenant_scope(forbund_a):
        malomrade = Malomrade.objects.get(forbund=forbund_a, number=1)
        goals_services.malomrade_update(
            forbund=forbund_a, actor=alice, malomrade=malomrade, title="Nytt namn på målområdet"
        )
    page = client.get(url(docs["alfa"])).content.decode()
    assert "Nytt namn på målområdet" in page
    assert "Målområde 1 alfa" not in page


def test_adopted_version_is_rendered_once_and_keeps_its_frozen_data(
    client, alice, bob, forbund_a, docs, data_renders
):
    adopt(docs["alfa"], alice)
    client.force_login(bob)
    assert "Målområde 1 alfa" in client.get(url(docs["alfa"])).content.decode()
    with tenant_scope(forbund_a):
        malomrade = Malomrade.objects.get(forbund=forbund_a, number=1)
        goals_services.malomrade_update(forbund=forbund_a, actor=alice, malomrade=malomrade, title="Senare")
    data_renders.clear()
    page = client.get(url(docs["alfa"])).content.decode()
    assert data_renders == []
    assert "Målområde 1 alfa" in page
    assert "Senare" not in page


def _document(version):
    with tenant_scope(version.forbund):
        return selectors.version_document(version=version)


def test_same_data_in_two_forbund_is_kept_apart(docs):
    shared = {"year": 2026, "malomraden": []}
    documents = [_document(docs["alfa"]), _document(docs["beta"])]
    for document in documents:
        for item in document.all_sections:
            if item.is_data and item.section.data_key == "mal":
                item.data = shared
        rendering.render_data_sections(document, interactive=True)
    keys = [key for key in rendering.rendered_sections if key[6] == "plans/data/mal.html"]
    assert sorted(key[0] for key in keys) == sorted(d.forbund.pk for d in documents)
    assert len({key[-1] for key in keys}) == 1  # the same data, kept once per förbund


def test_web_page_and_pdf_are_kept_apart(docs):
    document = _document(docs["alfa"])
    rendering.render_data_sections(document, interactive=True)
    keys = {item.section.data_key for item in document.all_sections if item.is_data}
    rendering.render_data_sections(document, interactive=False)
    assert len(rendering.rendered_sections) == 2 * len(keys)


def test_data_that_is_not_plain_json_is_rendered_every_time(docs, data_renders):
    document = _document(docs["alfa"])
    for item in document.all_sections:
        if item.is_data and item.section.data_key == "mal":
            item.data = {"year": 2026, "malomraden": [], "odd": Decimal("2.50")}
    rendering.render_data_sections(document, interactive=True)
    rendering.render_data_sections(document, interactive=True)
    assert data_renders.count("plans/data/mal.html") == 2
    assert data_renders.count("plans/data/insatser.html") == 1


def _same_data_built_twice():
    """Equal data as two object graphs: one sharing its strings and lists (held elsewhere too,
    as a cache or Django's translation catalogue holds them), one of fresh copies."""
    text = "".join(["Målet är ", "uppfyllt."])
    word = sys.intern("".join(["Delt", "agardata"]))
    rows = [{"explanation": text, "source": word}]
    shared = {"year": 2026, "rows": rows, "again": rows, "texts": [text, text]}
    fresh = {
        "year": 2026,
        "rows": [
            {"explanation": "".join(["Målet är ", "uppfyllt."]), "source": "".join(["Delt", "agardata"])}
        ],
        "again": [
            {"explanation": "".join(["Målet är ", "uppfyllt."]), "source": "".join(["Delt", "agardata"])}
        ],
        "texts": ["".join(["Målet är ", "uppfyllt."]), "".join(["Målet är ", "uppfyllt."])],
    }
    return shared, fresh, rows


def test_data_digest_depends_on_the_value_only():
    shared, fresh, _rows = _same_data_built_twice()
    assert shared == fresh
    assert rendering._data_digest(shared) == rendering._data_digest(fresh)
    # What JSON would merge stays apart.
    assert rendering._data_digest({"a": [1]}) != rendering._data_digest({"a": (1,)})
    assert rendering._data_digest({"a": 1}) != rendering._data_digest({"a": 1.0})
    assert rendering._data_digest({"a": 1}) != rendering._data_digest({"a": True})
    assert rendering._data_digest({1: "a"}) != rendering._data_digest({"1": "a"})
    assert rendering._data_digest({"a": 1, "b": 2}) != rendering._data_digest({"b": 2, "a": 1})


def test_equal_data_read_afresh_or_from_a_cache_is_rendered_once(docs, data_renders):
    """A cold request (strings shared with caches) and a warm one (fresh copies) keep one rendering."""
    shared, fresh, _rows = _same_data_built_twice()
    for data in (shared, fresh):
        document = _document(docs["alfa"])
        for item in document.all_sections:
            if item.is_data and item.section.data_key == "mal":
                item.data = data
        rendering.render_data_sections(document, interactive=True)
    assert data_renders.count("plans/data/mal.html") == 1


def test_edited_template_under_runserver_empties_the_store(docs):
    rendering.render_data_sections(_document(docs["alfa"]), interactive=True)
    assert len(rendering.rendered_sections)
    file_changed.send(sender=None, file_path=Path("templates/plans/data/mal.html"))
    assert len(rendering.rendered_sections) == 0


def test_page_holds_each_data_section_where_the_document_shows_it(client, alice, docs):
    client.force_login(alice)
    page = client.get(url(docs["alfa"])).content.decode()
    document = _document(docs["alfa"])
    rendering.render_data_sections(document, interactive=True)
    data_items = [item for item in document.all_sections if item.is_data]
    assert data_items
    for item in data_items:
        shown = sum(1 for other in data_items if other.html == item.html)
        assert page.count(item.html) == shown
    assert "<!--plan-data-" not in page


def test_placeholder_written_in_a_section_text_stays_text(client, alice, forbund_a, docs):
    from apps.plans import services
    from apps.plans.models import PlanSection

    forged = f"<!--plan-data-{rendering._SLOT_TOKEN}-0-->"
    with tenant_scope(forbund_a):
        section = PlanSection.objects.filter(version=docs["alfa"], data_key="").first()
        services.section_update(
            forbund=forbund_a,
            section=section,
            actor=alice,
            title=section.title,
            body_markdown=f"Före {forged} efter",
            is_appendix=False,
        )
    client.force_login(alice)
    page = client.get(url(docs["alfa"])).content.decode()
    assert "Före &lt;!--plan-data-" in page
    assert forged not in page
