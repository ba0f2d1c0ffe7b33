"""The plan document: template, sections, lifecycle, freezing, sanitising and comparison."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from apps.insatser.models import InsatsYear
from apps.plans import datasections, selectors, services
from apps.plans.markdown import render_markdown
from apps.plans.models import CommentStatus, PlanSection, PlanVersion, SectionComment, VersionStatus

from .conftest import YEAR

ADOPTED = datetime.date(YEAR - 1, 11, 30)


@pytest.fixture
def docs(plans, forbund_a, forbund_b, alice, charlie, in_scope):
    """A 2026 plan document in A and in the noise förbund B (with the data of ``plans``)."""
    result = {}
    for forbund, actor in ((forbund_a, alice), (forbund_b, charlie)):
        with in_scope(forbund):
            plan = services.plan_create(forbund=forbund, actor=actor, year=YEAR)
            result[forbund.slug] = plan.versions.get()
    return result


def adopt(version, actor):
    services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)
    return services.version_adopt(
        forbund=version.forbund,
        version=version,
        actor=actor,
        adopted_on=ADOPTED,
        decision_paragraph="§ 45",
        adopted_by="styrelsen",
    )


def test_plan_create_uses_template_sections(docs, forbund_a, in_scope):
    with in_scope(forbund_a):
        titles = list(PlanSection.objects.filter(version=docs["alfa"]).values_list("title", "data_key"))
    assert titles[0] == ("Bakgrund och ändamål", "")
    assert ("Insatser", "insatser") in titles
    assert titles[-1] == ("Långtidsbudget", "langtidsbudget")
    assert len(titles) == len(services.TEMPLATE_SECTIONS)


def test_plan_create_twice_is_refused(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="redan en verksamhetsplan"):
        services.plan_create(forbund=forbund_a, actor=alice, year=YEAR)


def test_plan_create_same_year_in_other_forbund_is_allowed(docs, forbund_b, in_scope):
    with in_scope(forbund_b):
        assert docs["beta"].plan.year == YEAR


def test_section_move_up_swaps_positions(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        second = PlanSection.objects.get(version=docs["alfa"], title="Organisation")
        services.section_move(forbund=second.forbund, section=second, actor=alice, up=True)
        first = PlanSection.objects.filter(version=docs["alfa"]).order_by("position").first()
    assert first.title == "Organisation"


def test_section_create_adds_last(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        section = services.section_create(
            forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice, title="Kommunikation"
        )
        last = PlanSection.objects.filter(version=docs["alfa"]).order_by("position").last()
    assert last == section


def test_send_to_remiss_from_utkast(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        services.version_send_to_remiss(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
    assert docs["alfa"].status == VersionStatus.PA_REMISS


def test_adopt_from_utkast_is_refused(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="varit på remiss"):
        services.version_adopt(
            forbund=docs["alfa"].forbund,
            version=docs["alfa"],
            actor=alice,
            adopted_on=ADOPTED,
            decision_paragraph="§ 1",
        )


def test_adopt_records_decision_and_freezes(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        version = adopt(docs["alfa"], alice)
        version.refresh_from_db()
    assert (version.status, version.adopted_on, version.decision_paragraph) == (
        VersionStatus.FASTSTALLD,
        ADOPTED,
        "§ 45",
    )
    assert version.frozen_at is not None
    assert version.frozen_data["insatser"]["budget_total"] == 7 * 1_250_000


def test_edit_of_adopted_section_is_refused(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        adopt(docs["alfa"], alice)
        section = PlanSection.objects.filter(version=docs["alfa"]).first()
        with pytest.raises(ValidationError, match="fastställd och kan inte ändras"):
            services.section_update(
                forbund=section.forbund, section=section, actor=alice, title="Ny", body_markdown="x"
            )


def test_delete_and_add_in_adopted_version_are_refused(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        adopt(docs["alfa"], alice)
        section = PlanSection.objects.filter(version=docs["alfa"]).first()
        with pytest.raises(ValidationError):
            services.section_delete(forbund=section.forbund, section=section, actor=alice)
        with pytest.raises(ValidationError):
            services.section_create(
                forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice, title="Mer"
            )


def test_revise_makes_version_2_as_utkast(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        adopt(docs["alfa"], alice)
        new = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        old_count = PlanSection.objects.filter(version=docs["alfa"]).count()
        new_count = PlanSection.objects.filter(version=new).count()
        docs["alfa"].refresh_from_db()
    assert (new.number, new.status, new.based_on_id) == (2, VersionStatus.UTKAST, docs["alfa"].pk)
    assert new_count == old_count
    assert docs["alfa"].status == VersionStatus.FASTSTALLD


def test_a_revision_is_looked_up_without_the_frozen_data_of_the_version_it_revises(
    docs, forbund_a, alice, in_scope, django_assert_num_queries
):
    """The revision's page names the adopted version; its frozen sections (large JSON) stay
    unread, and load when the comparison reads them."""
    with in_scope(forbund_a):
        adopted = adopt(docs["alfa"], alice)
        new = services.version_revise(forbund=adopted.forbund, version=adopted, actor=alice)
        with django_assert_num_queries(1):
            found = selectors.version_queryset(forbund=forbund_a).get(public_id=new.public_id)
            assert (found.based_on.number, found.plan.year) == (1, YEAR)
        assert found.based_on.get_deferred_fields() == {"frozen_data"}
        assert found.based_on.frozen_data == adopted.frozen_data != {}


def test_live_data_sections_are_cached_until_the_forbund_writes(docs, forbund_a, alice, in_scope):
    """A draft's data sections are read once per data version: a second reading runs only the
    version query, and a write to any of the förbund's rows (here an insats' name) shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.insatser.models import Insats

    def insats_names(document):
        data = next(item.data for item in document.sections if item.section.data_key == "insatser")
        return sorted(row["name"] for group in data["groups"] for row in group["rows"])

    version = docs["alfa"]
    with in_scope(forbund_a):
        with CaptureQueriesContext(connection) as cold:
            first = selectors.version_document(version=version)
        with CaptureQueriesContext(connection) as warm:
            second = selectors.version_document(version=version)
        assert insats_names(first) == insats_names(second)
        assert len(warm) < len(cold)
        running = Insats.objects.get(forbund=forbund_a, name=f"SamCoach {YEAR}")
        running.name = "SamCoach, nytt namn"
        running.save(update_fields=["name"])
        assert "SamCoach, nytt namn" in insats_names(selectors.version_document(version=version))


def test_revise_twice_is_refused(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        adopt(docs["alfa"], alice)
        services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        with pytest.raises(ValidationError, match="redan en version under arbete"):
            services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)


def test_revise_of_draft_is_refused(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="Bara en fastställd"):
        services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)


def test_revision_edit_leaves_adopted_version_unchanged(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        first = PlanSection.objects.filter(version=docs["alfa"]).order_by("position").first()
        services.section_update(
            forbund=first.forbund, section=first, actor=alice, title=first.title, body_markdown="Gammal text"
        )
        adopt(docs["alfa"], alice)
        new = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        copy = PlanSection.objects.get(version=new, section_key=first.section_key)
        services.section_update(
            forbund=copy.forbund, section=copy, actor=alice, title=copy.title, body_markdown="Ny text"
        )
        first.refresh_from_db()
    assert first.body_markdown == "Gammal text"


def test_adopted_version_keeps_old_insats_budget(docs, plans, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        adopt(docs["alfa"], alice)
        InsatsYear.objects.filter(forbund=forbund_a, insats=plans["alfa"]["running"]).update(
            budget_amount=9_999_000
        )
        frozen = selectors.section_data(version=docs["alfa"], data_key="insatser")
        live = datasections.render_data("insatser", forbund_a, YEAR)
    frozen_rows = {r["name"]: r["budget_amount"] for g in frozen["groups"] for r in g["rows"]}
    live_rows = {r["name"]: r["budget_amount"] for g in live["groups"] for r in g["rows"]}
    assert frozen_rows[f"SamCoach {YEAR}"] == 1_250_000
    assert live_rows[f"SamCoach {YEAR}"] == 9_999_000


def test_comment_while_utkast_is_refused(docs, forbund_a, stina, in_scope):
    with in_scope(forbund_a):
        section = PlanSection.objects.filter(version=docs["alfa"]).first()
        with pytest.raises(ValidationError, match="medan planen är på remiss"):
            services.comment_create(forbund=section.forbund, section=section, actor=stina, text="Bra")


def test_comment_and_answer_on_remiss(docs, forbund_a, alice, stina, in_scope):
    with in_scope(forbund_a):
        services.version_send_to_remiss(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        section = PlanSection.objects.filter(version=docs["alfa"]).first()
        comment = services.comment_create(
            forbund=section.forbund, section=section, actor=stina, text="Nämn Loksam"
        )
        services.comment_answer(
            forbund=comment.forbund, comment=comment, actor=alice, answer="Tillagt", resolve=True
        )
        comment = SectionComment.objects.get(pk=comment.pk)
    assert (comment.status, comment.answer, comment.answered_by) == (CommentStatus.RESOLVED, "Tillagt", alice)


def test_comment_answer_empty_is_refused(docs, forbund_a, alice, stina, in_scope):
    with in_scope(forbund_a):
        services.version_send_to_remiss(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        section = PlanSection.objects.filter(version=docs["alfa"]).first()
        comment = services.comment_create(forbund=section.forbund, section=section, actor=stina, text="Fråga")
        with pytest.raises(ValidationError):
            services.comment_answer(forbund=comment.forbund, comment=comment, actor=alice, answer=" ")


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klicka](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_render_markdown_removes_script(markdown):
    html = render_markdown(markdown)
    # What remains is text: no real tag carries script, an event handler or a javascript: link.
    assert "<script" not in html
    assert not re.search(r"<[^>]*onerror", html)
    assert not re.search(r"<a[^>]*javascript:", html)
    assert "<img" not in html


def test_render_markdown_keeps_allowed_markup():
    html = render_markdown("# Rubrik\n\n**fet** [länk](https://finsam.se)\n\n- a\n- b")
    assert "<h3>Rubrik</h3>" in html
    assert "<strong>fet</strong>" in html
    assert 'href="https://finsam.se"' in html
    assert "<li>a</li>" in html


def test_render_markdown_table():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


def test_section_update_stores_sanitised_html(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        section = PlanSection.objects.filter(version=docs["alfa"], data_key="").first()
        services.section_update(
            forbund=section.forbund,
            section=section,
            actor=alice,
            title="T",
            body_markdown="Hej <script>x</script>",
        )
    assert "<script" not in section.body_html
    assert "&lt;script&gt;" in section.body_html


def test_compare_lists_renamed_added_removed_and_text(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        first = PlanSection.objects.filter(version=docs["alfa"]).order_by("position").first()
        services.section_update(
            forbund=first.forbund,
            section=first,
            actor=alice,
            title=first.title,
            body_markdown="Rad ett\nRad två",
        )
        adopt(docs["alfa"], alice)
        new = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        sections = {s.title: s for s in PlanSection.objects.filter(version=new)}
        copy = sections["Bakgrund och ändamål"]
        services.section_update(
            forbund=copy.forbund,
            section=copy,
            actor=alice,
            title="Bakgrund",
            body_markdown="Rad ett\nRad tre",
        )
        services.section_delete(
            forbund=sections["Målgrupp"].forbund, section=sections["Målgrupp"], actor=alice
        )
        services.section_create(forbund=new.forbund, version=new, actor=alice, title="Kommunikation")
        changes = {c.title: c for c in selectors.version_compare(version=new, previous=docs["alfa"])}
    assert changes["Bakgrund"].status == "renamed"
    assert changes["Bakgrund"].old_title == "Bakgrund och ändamål"
    assert ("removed", "Rad två") in changes["Bakgrund"].diff
    assert ("added", "Rad tre") in changes["Bakgrund"].diff
    assert changes["Målgrupp"].status == "removed"
    assert changes["Kommunikation"].status == "added"
    assert changes["Värdegrund och vision"].status == "unchanged"


def test_compare_lists_changed_figures(docs, plans, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        adopt(docs["alfa"], alice)
        new = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        InsatsYear.objects.filter(forbund=forbund_a, insats=plans["alfa"]["running"]).update(
            budget_amount=2_000_000
        )
        changes = {c.title: c for c in selectors.version_compare(version=new, previous=docs["alfa"])}
    figures = changes["Insatser"].figures
    assert changes["Insatser"].status == "changed"
    assert (f"Individinriktade insatser › SamCoach {YEAR} › budget (kr)", "1250000", "2000000") in figures


def test_unregistered_data_key_renders_missing(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        services.section_create(
            forbund=docs["alfa"].forbund,
            version=docs["alfa"],
            actor=alice,
            title="Okänt",
            data_key="finns_inte",
        )
        document = selectors.version_document(version=PlanVersion.objects.get(pk=docs["alfa"].pk))
    item = next(s for s in document.sections if s.section.data_key == "finns_inte")
    assert (item.data, item.template_name) == (None, datasections.MISSING_TEMPLATE)


def test_unregistered_data_key_freezes_as_none(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        services.section_create(
            forbund=docs["alfa"].forbund,
            version=docs["alfa"],
            actor=alice,
            title="Okänt",
            data_key="finns_inte",
        )
        version = adopt(docs["alfa"], alice)
    assert version.frozen_data["finns_inte"] is None


def test_registered_section_is_rendered_from_registry(docs, forbund_a, alice, in_scope):
    datasections.register("test_extra", "Extra", lambda forbund, year: {"n": year}, "plans/data/missing.html")
    try:
        with in_scope(forbund_a):
            services.section_create(
                forbund=docs["alfa"].forbund,
                version=docs["alfa"],
                actor=alice,
                title="Extra",
                data_key="test_extra",
            )
            version = adopt(docs["alfa"], alice)
    finally:
        datasections.unregister("test_extra")
    assert version.frozen_data["test_extra"] == {"n": YEAR}
