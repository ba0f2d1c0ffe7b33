"""The start page per role: counts and links of what needs the reader, flat query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.home import selectors
from apps.members import services as members_services
from apps.tenancy.scope import tenant_scope
from apps.tertial import services as report_services
from tests.tertial.conftest import TODAY, YEAR
from tests.tertial.test_query_counts import grow

URL = "/f/alfa/"


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_forbundschef_sees_report_missing_and_economy(report_a, client_for, alice):
    page = client_for(alice).get(URL).content.decode()
    assert "T1 2026, version 1" in page
    assert "Delmål utan status: 3" in page  # 1.1, 1.2 and 9.2: not computed
    assert "Budget och utfall" in page
    assert "Aktiva hittills:" in page


def test_styrelse_sees_waiting_report_and_own_comments(sent_a, client_for, stina, forbund_a):
    _, version = sent_a
    with tenant_scope(forbund_a):
        report_services.comment_create(version=version, actor=stina, section="mal", text="Fråga")
    page = client_for(stina).get(URL).content.decode()
    assert f"/f/alfa/tertial/v/{version.public_id}/" in page
    assert "På tertialrapporter: 1" in page


def test_plattformspersonal_sees_insats_and_report_to_write(report_a, client_for, petra, world):
    page = client_for(petra).get(URL).content.decode()
    assert world["alfa"]["running"].name in page
    assert "Insatsrapporter att skriva" in page
    assert "tertialrapport T1 2026" in page


def test_revisor_sees_only_approved_report(sent_a, client_for, bob, stina, forbund_a):
    _, version = sent_a
    client = client_for(bob)
    assert "Tertialrapport T1 2026" not in client.get(URL).content.decode()
    with tenant_scope(forbund_a):
        report_services.version_approve(
            version=version, actor=stina, decided_on=TODAY, decision_paragraph="§ 7"
        )
    page = client.get(URL).content.decode()
    assert "Tertialrapport T1 2026" in page
    assert "Ingen PDF ännu" in page


def test_next_meetings_from_today(world, forbund_a):
    with tenant_scope(forbund_a):
        members_services.styrelsemote_create(
            forbund=forbund_a, actor=None, year=YEAR, date=datetime.date(YEAR, 10, 1), items="Höstmöte"
        )
        meetings = selectors.next_meetings(forbund=forbund_a, today=datetime.date(YEAR, 8, 20))
    assert [m.date or m.month for m in meetings] == [9, datetime.date(YEAR, 10, 1)]


@pytest.mark.parametrize("who", ["alice", "stina", "petra", "bob"])
def test_overview_query_count_is_flat(report_a, client_for, forbund_a, alice, stina, petra, bob, who):
    _, version = report_a
    client = client_for({"alice": alice, "stina": stina, "petra": petra, "bob": bob}[who])
    small = _queries(client)
    grow(forbund_a, version, alice)
    assert _queries(client) == small


def test_forbundschef_overview_of_a_draft_reads_no_economy_or_participant_statistics_of_it(
    report_a, client_for, alice, monkeypatch
):
    """The start page counts statuses and what is missing; the draft's economy and participant
    tables are not computed for it (issue 13: most of a live report's cost at national scale)."""
    from apps.tertial import content, participants

    _, version = report_a
    with tenant_scope(version.forbund):
        lacking = content.missing(content.report_content(version=version))

    def refuse(**kwargs):
        raise AssertionError("not needed by the start page")

    monkeypatch.setattr(content, "economy_content", refuse)
    monkeypatch.setattr(participants, "statistics", refuse)
    page = client_for(alice).get(URL).content.decode()
    assert "Delmål utan status: 3" in page
    assert f"Delmål utan kommentar: {len(lacking['without_comment'])}" in page
    assert f"Insatser utan insatsrapport: {len(lacking['insatser_without_report'])}" in page


def test_overview_version_lists_leave_frozen_content_unread(sent_a, forbund_a, stina, bob):
    _, version = sent_a
    with tenant_scope(forbund_a):
        waiting = selectors.board_overview(forbund=forbund_a, user=stina, today=TODAY)["reports"]
        report_services.version_approve(
            version=version, actor=stina, decided_on=TODAY, decision_paragraph="§ 7"
        )
        approved = selectors.auditor_overview(forbund=forbund_a)["reports"]
    assert [v.pk for v in waiting] == [version.pk]
    assert [row["version"].pk for row in approved] == [version.pk]
    assert "frozen_data" in waiting[0].get_deferred_fields()
    assert "frozen_data" in approved[0]["version"].get_deferred_fields()
