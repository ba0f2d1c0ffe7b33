"""Participants in the report come from apps.followup's statistics, small cells hidden."""

from __future__ import annotations

import datetime

import pytest

from apps.followup import services as followup_services
from apps.followup.models import Kon, Remittent
from apps.tenancy.scope import tenant_scope
from apps.tertial import content

from .conftest import YEAR


@pytest.fixture
def with_participants(report_a, world, forbund_a):
    """Six women and two men start in SamCoach 2026 in February."""
    insats = world["alfa"]["running"]
    with tenant_scope(forbund_a):
        followup_services.followup_defaults_ensure(forbund=forbund_a, actor=None)
        for n in range(8):
            followup_services.deltagare_create(
                forbund=forbund_a,
                actor=None,
                insats=insats,
                code=f"SC-{n}",
                kon=Kon.KVINNA if n < 6 else Kon.MAN,
                start_date=datetime.date(YEAR, 2, 1 + n),
                remittent=Remittent.SJALV,
            )
    return report_a


def _insats(data, name):
    return next(i for i in data["insatser"] if i["name"] == name)


def test_insats_participants_by_gender_with_small_cells_hidden(with_participants, forbund_a, world):
    _, version = with_participants
    with tenant_scope(forbund_a):
        data = content.report_content(version=version)
    figures = _insats(data, world["alfa"]["running"].name)["participants"]
    active = next(row for row in figures["rows"] if row["label"] == "Aktiva deltagare")
    by_column = dict(zip(figures["columns"], active["cells"], strict=True))
    assert by_column["Kvinna"] in ("6", "×")
    assert by_column["Man"] == "<5"
    assert figures["budgeted_volume"] == 40


def test_overall_participants_and_month_figures(with_participants, forbund_a):
    _, version = with_participants
    with tenant_scope(forbund_a):
        overall = content.report_content(version=version)["participants"]
    assert overall["tables"][0]["rows"][1]["label"] == "Aktiva deltagare"
    assert overall["months"]["has_data"] is True
    assert overall["movement"]  # follow-up's wording ("–" without assessments)


def test_report_page_shows_participant_chart(with_participants, client_for, alice):
    report, _ = with_participants
    page = client_for(alice).get(f"/f/alfa/tertial/{report.public_id}/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Aktiva deltagare per månad" in page
