"""Fixtures for starting a new plan year: a full 2026 plan in A and in the noise förbund B."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from apps.goals import services as goals_services
from apps.goals.models import Comparator, DataSource, TargetUnit, Tidpunkt
from apps.insatser import services as insatser_services
from apps.insatser.models import InsatsStatus
from apps.members import services as members_services
from apps.members.models import MedlemKind, SeatKind
from apps.tenancy.scope import tenant_scope

YEAR = 2026


def make_insats(forbund, name, owner, *, status, year=YEAR, row=True, **fields):
    """An insats with a year row of ``year`` carrying a samverkansavtal (call inside a scope)."""
    insats = insatser_services.insats_create(
        forbund=forbund, actor=None, name=name, verksamhetsagare=owner, status=status, **fields
    )
    if row:
        insatser_services.insats_year_create(
            forbund=forbund,
            actor=None,
            insats=insats,
            year=year,
            budget_amount=1_250_000,
            financed_fte=Decimal("2.50"),
            budgeted_volume=40,
            avtal_parties=f"{owner.name} och förbundet",
            avtal_start=datetime.date(year, 1, 1),
            avtal_end=datetime.date(year, 12, 31),
            avtal_amount=1_250_000,
            avtal_signed_date=datetime.date(year - 1, 11, 20),
        )
    return insats


def make_plan(forbund, *, year=YEAR, size=1):
    """A plan for ``year``: målområden and delmål, insatser of every kind, board and meetings."""
    with tenant_scope(forbund):
        owner = members_services.medlem_create(
            forbund=forbund, actor=None, name=f"Region {forbund.slug} {year}", kind=MedlemKind.REGION
        )
        running = make_insats(forbund, f"SamCoach {year}", owner, status=InsatsStatus.PAGAENDE)
        make_insats(
            forbund,
            f"Långsiktig {year}",
            owner,
            status=InsatsStatus.BEVILJAD,
            long_term=True,
            end_date=datetime.date(year, 6, 30),
            start_date=datetime.date(year - 2, 1, 1),
        )
        make_insats(
            forbund,
            f"Fortsätter {year}",
            owner,
            status=InsatsStatus.PAGAENDE,
            end_date=datetime.date(year + 1, 6, 30),
        )
        # Not running next year: ends this year, finished, refused, or only applied for.
        make_insats(
            forbund,
            f"Slutar i år {year}",
            owner,
            status=InsatsStatus.PAGAENDE,
            end_date=datetime.date(year, 12, 31),
        )
        make_insats(forbund, f"Avslutad {year}", owner, status=InsatsStatus.AVSLUTAD)
        make_insats(forbund, f"Avslag {year}", owner, status=InsatsStatus.AVSLAG)
        make_insats(forbund, f"Äskande {year}", owner, status=InsatsStatus.ASKANDE)
        for number in range(1, size + 1):
            malomrade = goals_services.malomrade_create(
                forbund=forbund,
                actor=None,
                year=year,
                number=number,
                title=f"Målområde {number} {forbund.slug}",
                description=f"Beskrivning {number}",
            )
            goals_services.delmal_create(
                forbund=malomrade.forbund,
                malomrade=malomrade,
                actor=None,
                number=1,
                text=f"Fler når arbete {number} {forbund.slug}",
                indicator="Andel till arbete",
                target_comparator=Comparator.OKA,
                target_unit=TargetUnit.PERCENT,
                baseline_year=2022,
                baseline_value=Decimal("35.00"),
                tidpunkt=Tidpunkt.AR,
                data_source=DataSource.DELTAGARDATA,
            )
            goals_services.delmal_create(
                forbund=malomrade.forbund,
                malomrade=malomrade,
                actor=None,
                number=2,
                text=f"70 % av avslutade ärenden når egen försörjning {number}",
                insats=running,
                target_comparator=Comparator.MINST,
                target_value=Decimal("70"),
                target_unit=TargetUnit.PERCENT,
                tidpunkt=Tidpunkt.TERTIAL,
                data_source=DataSource.DELTAGARDATA,
                responsible="Förbundschef",
            )
        members_services.styrelseledamot_create(
            forbund=forbund,
            actor=None,
            person_name=f"Utgående {forbund.slug}",
            medlem=owner,
            seat=SeatKind.LEDAMOT,
            mandate_start=datetime.date(year - 3, 1, 1),
            mandate_end=datetime.date(year, 12, 31),
        )
        members_services.styrelseledamot_create(
            forbund=forbund,
            actor=None,
            person_name=f"Fortsättande {forbund.slug}",
            medlem=owner,
            seat=SeatKind.ERSATTARE,
            mandate_start=datetime.date(year - 1, 1, 1),
            mandate_end=datetime.date(year + 2, 12, 31),
        )
        for i in range(size):
            members_services.styrelsemote_create(
                forbund=forbund,
                actor=None,
                year=year,
                date=datetime.date(year, 3, 15 + i % 10),
                items=f"Beslut om årsredovisning {year - 1}\nVerksamhetsplan och budget {year + 1}",
            )
        members_services.styrelsemote_create(
            forbund=forbund, actor=None, year=year, month=9, items="Tertialrapport T2"
        )
        return {"owner": owner, "running": running}


@pytest.fixture
def plans(forbund_a, forbund_b):
    """The 2026 plan in A and in the noise förbund B."""
    return {"alfa": make_plan(forbund_a), "beta": make_plan(forbund_b)}
