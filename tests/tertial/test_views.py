"""Tertial report pages: who may see and do what, forms with Swedish errors, the year view."""

from __future__ import annotations

import pytest

from apps.insatser.models import Insats
from apps.tenancy.scope import tenant_scope
from apps.tertial import services
from apps.tertial.models import GoalAssessment, InsatsReport, ReportComment, ReportVersion, VersionStatus

from .conftest import TODAY, YEAR, create_report


def url(path=""):
    return f"/f/alfa/tertial/{path}"


def test_index_lists_reports_for_forbundschef(report_a, client_for, alice):
    response = client_for(alice).get(url())
    assert response.status_code == 200
    assert "T1 2026" in response.content.decode()


def test_index_hides_drafts_from_revisor(report_a, client_for, bob):
    response = client_for(bob).get(url())
    assert response.status_code == 200
    assert "T1 2026" not in response.content.decode()


def test_index_for_outsider_is_404(report_a, client_for, charlie):
    assert client_for(charlie).get(url()).status_code == 404


def test_create_by_hand(world, client_for, alice, forbund_a):
    response = client_for(alice).post(url(), {"year": YEAR, "tertial": 2})
    with tenant_scope(forbund_a):
        report = forbund_a and services.TertialReport.objects.get(year=YEAR, tertial=2)
    assert response.status_code == 302
    assert response["Location"] == url(f"{report.public_id}/")


def test_create_duplicate_shows_swedish_error(report_a, client_for, alice):
    response = client_for(alice).post(url(), {"year": YEAR, "tertial": 1})
    assert response.status_code == 400
    assert "Det finns redan en tertialrapport" in response.content.decode()


def test_create_by_styrelse_is_403(world, client_for, stina):
    assert client_for(stina).post(url(), {"year": YEAR, "tertial": 2}).status_code == 403


def test_draft_page_shows_goal_table_with_symbol_and_word(report_a, client_for, alice):
    report, _ = report_a
    page = client_for(alice).get(url(f"{report.public_id}/")).content.decode()
    assert "Kostnaderna ska inte överstiga budgetramen" in page
    assert '<span class="goal-status__symbol" aria-hidden="true">✓</span> Uppnått' in page
    assert "Det här saknas" in page


def test_draft_page_for_revisor_is_404(report_a, client_for, bob):
    report, version = report_a
    assert client_for(bob).get(url(f"{report.public_id}/")).status_code == 404
    assert client_for(bob).get(url(f"v/{version.public_id}/")).status_code == 404


def test_approved_report_is_shown_to_revisor(sent_a, client_for, bob, stina, forbund_a):
    report, version = sent_a
    with tenant_scope(forbund_a):
        services.version_approve(version=version, actor=stina, decided_on=TODAY, decision_paragraph="§ 7")
    page = client_for(bob).get(url(f"{report.public_id}/")).content.decode()
    assert "Godkänd av styrelsen 2026-12-20, § 7" in page


def test_version_of_noise_forbund_is_404(world, client_for, alice, forbund_b, charlie):
    _, version = create_report(forbund_b, charlie)
    assert client_for(alice).get(url(f"v/{version.public_id}/")).status_code == 404


def test_assess_saves_status_value_and_comment(report_a, client_for, kim, world, forbund_a):
    _, version = report_a
    costs, survey = world["alfa"]["costs"], world["alfa"]["survey"]
    data = {}
    with tenant_scope(forbund_a):
        from apps.goals.models import Delmal

        for delmal in Delmal.objects.filter(forbund=forbund_a, malomrade__year=YEAR):
            data[f"d{delmal.pk}-status"] = ""
            data[f"d{delmal.pk}-comment"] = ""
    data[f"d{survey.pk}-value"] = "85,5"
    data[f"d{survey.pk}-comment"] = "Enkät i april."
    data[f"d{costs.pk}-status"] = "pa_vag"
    response = client_for(kim).post(url(f"v/{version.public_id}/delmal/"), data)
    with tenant_scope(forbund_a):
        saved = {a.delmal_id: a for a in GoalAssessment.objects.filter(version=version)}
    assert response.status_code == 302
    assert (saved[survey.pk].value, saved[survey.pk].comment) == (85.5, "Enkät i april.")
    assert saved[costs.pk].status == "pa_vag"


def test_assess_bad_value_is_400_and_keeps_input(report_a, client_for, kim, world):
    _, version = report_a
    survey = world["alfa"]["survey"]
    response = client_for(kim).post(
        url(f"v/{version.public_id}/delmal/"),
        {f"d{survey.pk}-value": "många", f"d{survey.pk}-comment": "Kvar"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ange ett tal" in page
    assert "Kvar" in page


def test_assess_by_revisor_is_403_or_404(report_a, client_for, bob):
    _, version = report_a
    assert client_for(bob).post(url(f"v/{version.public_id}/delmal/"), {}).status_code in (403, 404)


def test_summary_edit_saves(report_a, client_for, alice, forbund_a):
    _, version = report_a
    response = client_for(alice).post(
        url(f"v/{version.public_id}/sammanfattning/"), {"summary_markdown": "**Bra**"}
    )
    with tenant_scope(forbund_a):
        version.refresh_from_db()
    assert response.status_code == 302
    assert version.summary_html == "<p><strong>Bra</strong></p>\n"


def test_send_refused_lists_missing_status(report_a, client_for, alice):
    _, version = report_a
    response = client_for(alice).post(url(f"v/{version.public_id}/skicka/"))
    assert response.status_code == 400
    assert "Status saknas för" in response.content.decode()


def test_send_by_styrelse_is_403(report_a, client_for, stina):
    _, version = report_a
    assert client_for(stina).post(url(f"v/{version.public_id}/skicka/")).status_code == 403


def test_comment_by_styrelse_and_answer_by_kansli(sent_a, client_for, stina, kim, forbund_a):
    _, version = sent_a
    client_for(stina).post(
        url(f"v/{version.public_id}/synpunkt/"), {"section": "ekonomi", "text": "Prognos?"}
    )
    with tenant_scope(forbund_a):
        comment = ReportComment.objects.get(version=version)
    response = client_for(kim).post(url(f"synpunkt/{comment.public_id}/svar/"), {"answer": "Enligt budget."})
    with tenant_scope(forbund_a):
        comment.refresh_from_db()
    assert (comment.author, comment.section, comment.answer) == (stina, "ekonomi", "Enligt budget.")
    assert response.status_code == 302


def test_comment_by_forbundschef_is_403(sent_a, client_for, alice):
    _, version = sent_a
    response = client_for(alice).post(
        url(f"v/{version.public_id}/synpunkt/"), {"section": "mal", "text": "x"}
    )
    assert response.status_code == 403


def test_decision_approve_by_styrelse(sent_a, client_for, stina, forbund_a):
    _, version = sent_a
    response = client_for(stina).post(
        url(f"v/{version.public_id}/beslut/"),
        {"decision": "godkand", "decided_on": "2026-05-20", "decision_paragraph": "§ 12"},
    )
    with tenant_scope(forbund_a):
        version.refresh_from_db()
    assert response.status_code == 302
    assert version.status == VersionStatus.GODKAND


def test_decision_return_without_comment_is_400(sent_a, client_for, stina):
    _, version = sent_a
    response = client_for(stina).post(url(f"v/{version.public_id}/beslut/"), {"decision": "aterremitterad"})
    assert response.status_code == 400
    assert "Skriv varför rapporten återremitteras" in response.content.decode()


def test_decision_return_makes_version_two(sent_a, client_for, stina, forbund_a):
    report, version = sent_a
    client_for(stina).post(
        url(f"v/{version.public_id}/beslut/"),
        {"decision": "aterremitterad", "return_comment": "Komplettera."},
    )
    with tenant_scope(forbund_a):
        numbers = list(ReportVersion.objects.filter(report=report).values_list("number", "status"))
    assert numbers == [(1, "aterremitterad"), (2, "utkast")]


def test_decision_by_forbundschef_is_403(sent_a, client_for, alice):
    _, version = sent_a
    assert client_for(alice).get(url(f"v/{version.public_id}/beslut/")).status_code == 403


def test_plattformspersonal_writes_report_of_own_insats(report_a, client_for, petra, world, forbund_a):
    _, version = report_a
    insats = world["alfa"]["running"]
    tasks = client_for(petra).get(url("insatsrapporter/")).content.decode()
    response = client_for(petra).post(
        url(f"v/{version.public_id}/insats/{insats.public_id}/"), {"text": "Tolv deltagare."}
    )
    with tenant_scope(forbund_a):
        saved = InsatsReport.objects.get(version=version)
    assert insats.name in tasks
    assert response.status_code == 302
    assert saved.text == "Tolv deltagare."


def test_plattformspersonal_other_insats_is_403(report_a, client_for, petra, world, forbund_a):
    _, version = report_a
    with tenant_scope(forbund_a):
        other = Insats.objects.filter(forbund=forbund_a).exclude(pk=world["alfa"]["running"].pk).first()
    response = client_for(petra).get(url(f"v/{version.public_id}/insats/{other.public_id}/"))
    assert response.status_code == 403


def test_plattformspersonal_cannot_read_report(report_a, client_for, petra):
    report, _ = report_a
    assert client_for(petra).get(url(f"{report.public_id}/")).status_code == 403


def test_year_view_shows_tertial_values(sent_a, client_for, alice):
    page = client_for(alice).get(url(f"ar/{YEAR}/")).content.decode()
    assert "T1 2026" in page
    assert "Kostnaderna ska inte överstiga budgetramen" in page


@pytest.mark.parametrize("path", ["", "ar/2026/"])
def test_pages_answer_revisor(world, client_for, bob, path):
    assert client_for(bob).get(url(path)).status_code == 200


def test_report_created_by_the_schedule_shows_systemet_in_its_history(world, client_for, alice, forbund_a):
    """A report the beat creates has no actor: its page (history) and comment lists must still render
    (a missing person in a filter argument raised VariableDoesNotExist, a 500)."""
    with tenant_scope(forbund_a):
        report, created = services.report_ensure_draft(forbund=forbund_a, year=YEAR, tertial=1, today=TODAY)
    assert created
    response = client_for(alice).get(url(f"{report.public_id}/"))
    assert response.status_code == 200
    assert "systemet" in response.content.decode()


def test_comment_of_a_removed_account_shows_okand(sent_a, client_for, alice, stina, forbund_a):
    report, version = sent_a
    with tenant_scope(forbund_a):
        comment = services.comment_create(version=version, actor=stina, section="sammanfattning", text="Bra.")
        ReportComment.objects.filter(pk=comment.pk).update(author=None)
    response = client_for(alice).get(url(f"v/{version.public_id}/"))
    assert response.status_code == 200
    assert "okänd" in response.content.decode()


def test_a_drafts_content_is_cached_until_the_forbund_writes(report_a, client_for, kim, world, forbund_a):
    """The draft's computed content is read once per data version; a new assessment (a write to
    the förbund's rows) shows on the next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, version = report_a
    client = client_for(kim)
    page = url(f"v/{version.public_id}/")
    with CaptureQueriesContext(connection) as cold:
        assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert "Klart i mars." not in client.get(page).content.decode()
    assert len(warm) < len(cold)
    with tenant_scope(forbund_a):
        services.assessment_set(
            version=version,
            actor=kim,
            delmal=world["alfa"]["costs"],
            status="pa_vag",
            comment="Klart i mars.",
        )
    assert "Klart i mars." in client.get(page).content.decode()
