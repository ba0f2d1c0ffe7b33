"""Tertial report services: drafts, content, sending (freezing), comments, approval, återremiss."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from apps.goals import services as goals_services
from apps.members import services as members_services
from apps.tenancy.scope import tenant_scope
from apps.tertial import content, services
from apps.tertial.models import (
    CommentStatus,
    EventAction,
    GoalAssessment,
    InsatsReport,
    ReportVersion,
    TertialReport,
    VersionStatus,
)

from .conftest import TODAY, YEAR, add_utfall, create_report, ready_to_send


def _row(data, label):
    return next(row for area in data["goals"] for row in area["delmal"] if row["label"] == label)


# --- Drafts ---------------------------------------------------------------------------------


def test_report_create_starts_version_one_as_utkast_with_history(report_a, alice):
    report, version = report_a
    with tenant_scope(report.forbund):
        events = list(version.history.values_list("action", "actor"))
    assert (version.number, version.status) == (1, VersionStatus.UTKAST)
    assert events == [(EventAction.CREATED, alice.pk)]


def test_report_create_twice_for_a_period_is_refused(report_a, forbund_a, alice):
    with pytest.raises(ValidationError, match="redan en tertialrapport"):
        create_report(forbund_a, alice)


def test_report_create_for_a_period_not_begun_is_refused(world, forbund_a, alice):
    with tenant_scope(forbund_a), pytest.raises(ValidationError, match="har inte börjat"):
        services.report_create(
            forbund=forbund_a, actor=alice, year=YEAR, tertial=3, today=datetime.date(YEAR, 8, 31)
        )


def test_report_create_in_noise_forbund_is_its_own(report_a, forbund_b, charlie):
    report, _ = create_report(forbund_b, charlie)
    with tenant_scope(forbund_b):
        visible = list(TertialReport.objects.values_list("pk", flat=True))
    assert visible == [report.pk]


def test_summary_update_stores_sanitised_html(report_a, alice):
    _, version = report_a
    with tenant_scope(version.report.forbund):
        services.summary_update(version=version, actor=alice, summary_markdown="**Bra** <script>x</script>")
    assert "<strong>Bra</strong>" in version.summary_html
    assert "<script>" not in version.summary_html


# --- Live content ---------------------------------------------------------------------------


def test_content_proposes_status_of_computed_delmal_from_utfall(report_a, forbund_a):
    _, version = report_a
    with tenant_scope(forbund_a):
        row = _row(content.report_content(version=version), "9.1")
    assert row["proposed"] == "uppnatt"
    assert row["status"] == "uppnatt"
    assert row["status_source"] == "förslag"
    assert row["value"].startswith("-")


def test_content_of_noise_forbund_uses_its_own_utfall(world, forbund_b, charlie):
    _, version = create_report(forbund_b, charlie)
    with tenant_scope(forbund_b):
        row = _row(content.report_content(version=version), "9.1")
    assert row["proposed"] == "ej_uppnatt"


def test_content_kansli_status_overrides_proposal(report_a, forbund_a, kim, world):
    _, version = report_a
    with tenant_scope(forbund_a):
        services.assessment_set(
            version=version,
            actor=kim,
            delmal=world["alfa"]["costs"],
            status="pa_vag",
            comment="Vi följer upp.",
        )
        row = _row(content.report_content(version=version), "9.1")
    assert (row["status"], row["status_source"], row["proposed"]) == ("pa_vag", "kansli", "uppnatt")
    assert row["comment"] == "Vi följer upp."


def test_content_manual_value_gets_a_proposal(report_a, forbund_a, kim, world):
    _, version = report_a
    with tenant_scope(forbund_a):
        services.assessment_set(version=version, actor=kim, delmal=world["alfa"]["survey"], value=85)
        row = _row(content.report_content(version=version), "9.2")
    assert row["proposed"] == "uppnatt"
    assert row["value_display"] == "85\u00a0%"


def test_assessment_value_for_computed_delmal_is_refused(report_a, forbund_a, kim, world):
    _, version = report_a
    with tenant_scope(forbund_a), pytest.raises(ValidationError, match="beräknas"):
        services.assessment_set(version=version, actor=kim, delmal=world["alfa"]["costs"], value=5)


def test_content_economy_has_tertial_and_year_so_far(report_a, forbund_a):
    _, version = report_a
    with tenant_scope(forbund_a):
        economy = content.report_content(version=version)["economy"]
    kansli = next(line for line in economy["cost_lines"] if line["label"].endswith("Kansli"))
    assert kansli["period"] == {
        "budget": 400_000,
        "utfall": 400_000,
        "deviation": 0,
        "deviation_percent": "0.0",
    }
    assert [(t["name"], t["utfall"]) for t in economy["tertials"]] == [("T1", 400_000), ("T2", 0), ("T3", 0)]


def test_content_insatser_have_budget_line_and_volume(report_a, forbund_a, world):
    _, version = report_a
    with tenant_scope(forbund_a):
        insatser = content.report_content(version=version)["insatser"]
    running = next(i for i in insatser if i["name"] == world["alfa"]["running"].name)
    assert running["budgeted_volume"] == 40
    assert running["economy"]["annual"] == 1_250_000
    assert "Äskande 2026" not in [i["name"] for i in insatser]


def test_missing_lists_delmal_without_status_and_insatser_without_report(report_a, forbund_a):
    _, version = report_a
    with tenant_scope(forbund_a):
        lacking = content.missing(content.report_content(version=version))
    assert "9.2" in lacking["without_status"]
    assert "9.1" not in lacking["without_status"]
    assert "SamCoach 2026" in lacking["insatser_without_report"]


# --- Insatsrapporter ------------------------------------------------------------------------


def test_plattformspersonal_may_write_report_of_granted_insats_only(report_a, forbund_a, petra, world):
    granted, other = world["alfa"]["running"], world["alfa"]["owner"]
    with tenant_scope(forbund_a):
        from apps.insatser.models import Insats

        other = Insats.objects.exclude(pk=granted.pk).first()
        abilities = {"participants_log": True}
        assert services.may_write_insats_report(
            forbund=forbund_a, user=petra, abilities=abilities, insats=granted
        )
        assert not services.may_write_insats_report(
            forbund=forbund_a, user=petra, abilities=abilities, insats=other
        )


def test_insats_report_save_and_clear(report_a, forbund_a, petra, world):
    _, version = report_a
    insats = world["alfa"]["running"]
    with tenant_scope(forbund_a):
        services.insats_report_save(version=version, actor=petra, insats=insats, text="12 deltagare i T1.")
        saved = InsatsReport.objects.get(version=version)
        services.insats_report_save(version=version, actor=petra, insats=insats, text="  ")
        left = InsatsReport.objects.filter(version=version).count()
    assert (saved.text, saved.written_by) == ("12 deltagare i T1.", petra)
    assert left == 0


# --- Sending and freezing -------------------------------------------------------------------


def test_send_without_status_on_manual_delmal_is_refused(report_a, alice):
    _, version = report_a
    with (
        tenant_scope(version.report.forbund),
        pytest.raises(ValidationError, match="Status saknas för .*9.2"),
    ):
        services.version_send(version=version, actor=alice)


def test_send_freezes_content_against_later_utfall(sent_a, forbund_a, alice, world):
    _, version = sent_a
    with tenant_scope(forbund_a):
        before = content.report_content(version=ReportVersion.objects.get(pk=version.pk))
        add_utfall(forbund_a, year=YEAR, months={3: 5_000_000})
        goals_services.delmal_update(
            forbund=world["alfa"]["survey"].forbund,
            delmal=world["alfa"]["survey"],
            actor=alice,
            text="Ändrad efteråt",
        )
        after = content.report_content(version=ReportVersion.objects.get(pk=version.pk))
    assert after == before
    assert _row(after, "9.1")["status"] == "uppnatt"
    assert _row(after, "9.2")["text"] == "Deltagarna är nöjda"


def test_live_content_of_a_draft_follows_later_utfall(report_a, forbund_a):
    _, version = report_a
    with tenant_scope(forbund_a):
        add_utfall(forbund_a, year=YEAR, months={3: 5_000_000})
        row = _row(content.report_content(version=version), "9.1")
    assert row["proposed"] == "ej_uppnatt"


def test_send_emails_every_board_member(
    report_a, forbund_a, alice, stina, world, django_capture_on_commit_callbacks
):
    _, version = report_a
    ready_to_send(forbund_a, alice, version, world["alfa"])
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(forbund_a):
        services.version_send(version=version, actor=alice)
    assert [m.to for m in mail.outbox] == [[stina.email]]
    assert "Tertialrapport T1 2026" in mail.outbox[0].subject
    assert f"/f/alfa/tertial/{version.report.public_id}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "change",
    [
        lambda v, a, w: services.summary_update(version=v, actor=a, summary_markdown="Ny"),
        lambda v, a, w: services.assessment_set(version=v, actor=a, delmal=w["survey"], status="uppnatt"),
        lambda v, a, w: services.insats_report_save(version=v, actor=a, insats=w["running"], text="Sent"),
        lambda v, a, w: services.version_send(version=v, actor=a),
    ],
    ids=["summary", "assessment", "insatsrapport", "send-again"],
)
def test_sent_version_refuses_changes(sent_a, forbund_a, alice, world, change):
    _, version = sent_a
    with tenant_scope(forbund_a), pytest.raises(ValidationError):
        change(version, alice, world["alfa"])


# --- Comments -------------------------------------------------------------------------------


def test_comment_on_draft_is_refused(report_a, forbund_a, stina):
    _, version = report_a
    with tenant_scope(forbund_a), pytest.raises(ValidationError, match="ligger hos styrelsen"):
        services.comment_create(version=version, actor=stina, section="ekonomi", text="Varför?")


def test_comment_and_answer_on_sent_version(sent_a, forbund_a, stina, kim):
    _, version = sent_a
    with tenant_scope(forbund_a):
        comment = services.comment_create(
            version=version, actor=stina, section="ekonomi", text="Varför lågt utfall?"
        )
        services.comment_answer(comment=comment, actor=kim, answer="Vakanser under våren.")
        actions = list(version.history.values_list("action", flat=True))
    assert comment.status == CommentStatus.ANSWERED
    assert comment.answered_by == kim
    assert actions[-2:] == [EventAction.COMMENTED, EventAction.ANSWERED]


def test_comment_answer_empty_is_refused(sent_a, forbund_a, stina, kim):
    _, version = sent_a
    with tenant_scope(forbund_a):
        comment = services.comment_create(version=version, actor=stina, section="mal", text="Fråga")
        with pytest.raises(ValidationError):
            services.comment_answer(comment=comment, actor=kim, answer=" ")


# --- Approval and återremiss ----------------------------------------------------------------


def test_approve_from_meeting_takes_its_date(sent_a, forbund_a, stina):
    _, version = sent_a
    with tenant_scope(forbund_a):
        meeting = members_services.styrelsemote_create(
            forbund=forbund_a,
            actor=None,
            year=YEAR,
            date=datetime.date(YEAR, 5, 20),
            items="Tertialrapport T1",
        )
        services.version_approve(version=version, actor=stina, meeting=meeting, decision_paragraph="§ 12")
        version.refresh_from_db()
    assert (version.status, version.decided_on, version.decision_paragraph) == (
        VersionStatus.GODKAND,
        datetime.date(YEAR, 5, 20),
        "§ 12",
    )


def test_approve_without_paragraph_is_refused(sent_a, forbund_a, stina):
    _, version = sent_a
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as error:
        services.version_approve(version=version, actor=stina, decided_on=TODAY)
    assert "decision_paragraph" in error.value.message_dict


def test_approve_draft_is_refused(report_a, forbund_a, stina):
    _, version = report_a
    with tenant_scope(forbund_a), pytest.raises(ValidationError, match="ligger hos styrelsen"):
        services.version_approve(version=version, actor=stina, decided_on=TODAY, decision_paragraph="§ 1")


def test_return_makes_new_draft_with_assessments(sent_a, forbund_a, stina):
    report, version = sent_a
    with tenant_scope(forbund_a):
        new = services.version_return(version=version, actor=stina, comment="Komplettera ekonomin.")
        version.refresh_from_db()
        copied = GoalAssessment.objects.filter(version=new).count()
        original = GoalAssessment.objects.filter(version=version).count()
    assert version.status == VersionStatus.ATERREMITTERAD
    assert version.return_comment == "Komplettera ekonomin."
    assert (new.number, new.status, new.based_on_id) == (2, VersionStatus.UTKAST, version.pk)
    assert copied == original > 0
    assert new.frozen_data is None


def test_return_without_comment_is_refused(sent_a, forbund_a, stina):
    _, version = sent_a
    with tenant_scope(forbund_a), pytest.raises(ValidationError):
        services.version_return(version=version, actor=stina, comment="")


# --- Year view ------------------------------------------------------------------------------


def test_year_table_values_per_tertial_and_chart(sent_a, forbund_a):
    from apps.tertial import yearview

    with tenant_scope(forbund_a):
        table = yearview.year_table(forbund=forbund_a, year=YEAR, today=TODAY)
    row = next(r for r in table["rows"] if r["label"] == "9.1")
    assert table["columns"] == ["Helår 2024", "Helår 2025", "T1 2026", "T2 2026", "T3 2026"]
    assert row["cells"][:2] == ["–", "–"]
    assert row["cells"][2].endswith("kr") and row["cells"][3].endswith("kr")
    assert row["chart"] is not None
    assert "T1 2026" in row["chart"].alt


def test_year_table_before_a_tertial_ends_has_no_live_value(world, forbund_a):
    from apps.tertial import yearview

    with tenant_scope(forbund_a):
        table = yearview.year_table(forbund=forbund_a, year=YEAR, today=datetime.date(YEAR, 4, 15))
    row = next(r for r in table["rows"] if r["label"] == "9.1")
    assert row["cells"][2:] == ["–", "–", "–"]
    assert row["chart"] is None
