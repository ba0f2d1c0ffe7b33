"""The report page at national scale (issue 13): sent versions' sections rendered once, lists that
leave the frozen content unread, table rows written by filters that match the templates they
replace, and query counts that do not grow with the report."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template import engines
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from apps.core.charts import bar_chart
from apps.tenancy.scope import tenant_scope
from apps.tertial import rendering, selectors, services
from apps.tertial.models import ReportVersion
from apps.tertial.templatetags.tertial_format import (
    economy_row,
    goal_row,
    insats_participants,
    num_cells,
    num_headers,
)

from .conftest import TODAY, create_report, ready_to_send
from .test_query_counts import grow


def _line(**changes) -> dict:
    line = {
        "label": 'Kansli <&> "kostnader"',
        "depth": 0,
        "annual": 1_200_000,
        "period": {"budget": 400_000, "utfall": 300_000, "deviation": -100_000, "deviation_percent": "-25"},
        "so_far": {"budget": 400_000, "utfall": 300_000, "deviation": -100_000, "deviation_percent": "-25"},
        "prognosis": 1_150_000,
        "prognosis_deviation": -50_000,
        "insats_id": None,
    }
    line.update(changes)
    return line


@pytest.mark.parametrize(
    "line",
    [
        _line(),
        _line(depth=1, label="Lön"),
        _line(prognosis=None, annual=0),
        _line(period={"budget": 1, "utfall": 2_500_000, "deviation": 2_499_999}),
    ],
)
def test_economy_row_filter_matches_the_row_template(line):
    assert economy_row(line) == render_to_string("tertial/_economy_row.html", {"line": line})


def test_cell_filters_match_the_loops_they_replace():
    loop = engines["django"].from_string(
        '{% for c in columns %}<th scope="col" class="num">{{ c }}</th>{% endfor %}|'
        '{% for c in cells %}<td class="num">{{ c }}</td>{% endfor %}'
    )
    columns, cells = ["Kvinnor", "Män", "Annat <x>", "Totalt"], ["<5", "×", "12", 1234]
    expected = loop.render({"columns": columns, "cells": cells})
    assert f"{num_headers(columns)}|{num_cells(cells)}" == expected
    assert "&lt;5" in expected


@pytest.fixture
def approved_a(sent_a, forbund_a, stina):
    report, version = sent_a
    with tenant_scope(forbund_a):
        version = services.version_approve(
            version=version, actor=stina, decided_on=TODAY, decision_paragraph="§ 7"
        )
    return report, version


def _version_path(version) -> str:
    return f"/f/alfa/tertial/v/{version.public_id}/"


def _cached_keys(version) -> list[tuple]:
    return [key for key in rendering._FRAGMENTS if key[:2] == (version.forbund_id, version.pk)]  # noqa: SLF001


def _document(client, version) -> str:
    page = client.get(_version_path(version)).content.decode()
    return page[page.index("<article") : page.index("</article>")]


def test_sent_version_sections_are_rendered_once(approved_a, client_for, bob):
    _, version = approved_a
    client = client_for(bob)
    first = _document(client, version)
    assert sorted(key[3] for key in _cached_keys(version)) == ["deltagare", "ekonomi", "insatser", "mal"]
    assert _document(client, version) == first


def test_draft_sections_are_never_cached(report_a, client_for, alice):
    _, version = report_a
    client_for(alice).get(_version_path(version))
    assert _cached_keys(version) == []


def test_draft_page_shows_changed_figures_at_once(report_a, client_for, alice, forbund_a):
    _, version = report_a
    client = client_for(alice)
    assert "Rapport 0" not in client.get(_version_path(version)).content.decode()
    grow(forbund_a, version, alice, n=1)
    assert "Rapport 0" in client.get(_version_path(version)).content.decode()


def test_cached_sections_follow_a_new_freeze(approved_a, client_for, bob, forbund_a):
    """The key holds the moment of freezing: content frozen anew is never shown from the old key."""
    _, version = approved_a
    client = client_for(bob)
    before = client.get(_version_path(version)).content.decode()
    data = version.frozen_data
    data["insatser"][0]["name"] = "Omdöpt insats efter ny låsning"
    with tenant_scope(forbund_a):
        ReportVersion.objects.filter(pk=version.pk).update(
            frozen_data=data, frozen_at=version.frozen_at + datetime.timedelta(seconds=1)
        )
    after = client.get(_version_path(version)).content.decode()
    assert "Omdöpt insats efter ny låsning" not in before
    assert "Omdöpt insats efter ny låsning" in after


def test_fragment_key_holds_forbund_version_and_freeze(approved_a, forbund_a):
    _, version = approved_a
    key = rendering.frozen_fragment_key(version, "mal", True)
    assert key[:3] == (forbund_a.pk, version.pk, version.frozen_at.isoformat())
    assert rendering.frozen_fragment_key(version, "mal", False) != key


def test_chart_memo_draws_anew_for_new_figures(forbund_a, forbund_b):
    def draw(budget):
        return lambda: bar_chart(labels=["T1"], series=[("Budget", [budget])], alt=f"{budget}")

    first = rendering._memo_chart(forbund_a.pk, "test", [1], draw(1))  # noqa: SLF001
    assert rendering._memo_chart(forbund_a.pk, "test", [1], draw(1)) is first  # noqa: SLF001
    assert rendering._memo_chart(forbund_a.pk, "test", [2], draw(2)).alt == "2"  # noqa: SLF001
    # Another förbund with the same figures gets a chart of its own.
    assert rendering._memo_chart(forbund_b.pk, "test", [1], draw(1)) is not first  # noqa: SLF001


def test_version_list_and_history_leave_frozen_content_unread(approved_a, forbund_a):
    report, _ = approved_a
    with tenant_scope(forbund_a):
        versions = selectors.version_list(report=report, include_drafts=False)
        events = selectors.history(report=report, include_drafts=True)
    assert versions
    assert events
    assert all("frozen_data" in v.get_deferred_fields() for v in versions)
    assert all("frozen_data" in e.version.get_deferred_fields() for e in events)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_approved_report_query_count_is_flat_for_revisor(
    approved_a, client_for, alice, bob, stina, forbund_a, world
):
    """The revisor's view of a small approved report and of a larger one take as many queries."""
    _, version = approved_a
    client = client_for(bob)
    small = _queries(client, _version_path(version))
    _, larger = create_report(forbund_a, alice, tertial=2)
    grow(forbund_a, larger, alice)
    ready_to_send(forbund_a, alice, larger, world["alfa"])
    with tenant_scope(forbund_a):
        services.version_send(version=larger, actor=alice)
        larger = services.version_approve(
            version=larger, actor=stina, decided_on=TODAY, decision_paragraph="§ 9"
        )
    assert len(larger.frozen_data["insatser"]) > len(version.frozen_data["insatser"])
    assert _queries(client, _version_path(larger)) == small


def test_report_progress_of_a_draft_counts_as_the_whole_content(report_a, forbund_a, alice, world):
    """The start page's shortcut gives the same goals and the same missing items as the report."""
    from apps.tertial import content

    _, version = report_a
    with tenant_scope(forbund_a):
        services.insats_report_save(
            version=version, actor=alice, insats=world["alfa"]["running"], text="Skriven."
        )
        whole = content.report_content(version=version)
        progress = content.report_progress(version=version)
    assert progress["goals"] == whole["goals"]
    assert content.missing(progress) == content.missing(whole)
    assert [i["name"] for i in progress["insatser"]] == [i["name"] for i in whole["insatser"]]


def _collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("table", "name"),
    [
        (
            {
                "row_heading": "Deltagare",
                "columns": ["Kvinnor", "Män", "Annat <x>", "Totalt"],
                "rows": [
                    {"label": "Nya <deltagare>", "cells": ["<5", "×", "12", 1234]},
                    {"label": "Aktiva", "cells": [1, 2, 3, 6]},
                ],
                "note": "Antal under 5 visas som ”<5”.",
            },
            'Stöd & "arbete" <1>',
        ),
        ({"row_heading": "Deltagare", "columns": ["Totalt"], "rows": [], "note": ""}, "Tom"),
    ],
)
def test_insats_participants_filter_matches_the_table_template(table, name):
    expected = render_to_string(
        "tertial/_participants_table.html", {"table": table, "caption": "Deltagare i " + name}
    )
    assert _collapsed(insats_participants(table, name)) == _collapsed(expected)


def _goal(**changes) -> dict:
    row = {
        "label": "1.2",
        "text": 'Fler <i>deltagare</i> & "kvinnor"',
        "indicator": "Antal",
        "insats": "Steget <vidare>",
        "target": "minst 40 %",
        "computed": True,
        "kind": "andel",
        "value": "42.5",
        "value_display": "42,5\u00a0%",
        "explanation": "Beräknat ur <uppföljningen>.",
        "proposed": "uppnatt",
        "status": "uppnatt",
        "status_source": "förslag",
        "comment": "Rad ett <b>\r\nrad två\rrad tre\nrad fyra",
        "previous": {"value": "40", "display": "40\u00a0%", "trend": {"arrow": "↑", "word": "bättre"}},
        "last_year": {"value": None, "display": "–", "trend": None},
    }
    row.update(changes)
    return row


@pytest.mark.parametrize(
    "row",
    [
        _goal(),
        _goal(insats="", target="", computed=False, explanation="", comment="", status_source=""),
        _goal(status="", proposed="", status_source="", value=None, value_display="–"),
        _goal(status="pa_vag", status_source="kansli", proposed="uppnatt"),
        _goal(status="uppnatt", status_source="kansli", proposed="uppnatt"),
        _goal(status="ej_uppnatt", status_source="kansli", proposed=""),
        _goal(
            previous={"value": None, "display": "–", "trend": None},
            last_year={"trend": {"arrow": "→", "word": "oförändrat"}, "display": "<5>"},
        ),
        {"label": "2.1"},
    ],
)
def test_goal_row_filter_matches_the_row_template(row):
    expected = render_to_string("tertial/_goal_row.html", {"row": row})
    assert _collapsed(goal_row(row)) == _collapsed(expected)
