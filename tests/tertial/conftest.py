"""Fixtures of the tertial report tests: a 2026 plan with budget and utfall in A and in the noise B.

Roles in A: alice förbundschef, bob revisor (from tests/conftest.py), kim kansli, stina
styrelse, petra plattformspersonal granted the insats "SamCoach 2026".
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from apps.budgets import services as budget_services
from apps.budgets.utfall import services as utfall_services
from apps.goals import services as goals_services
from apps.goals.models import Comparator, DataSource, IndicatorKind, TargetUnit, Tidpunkt
from apps.insatser import services as insatser_services
from apps.tenancy.scope import tenant_scope
from apps.tertial import services
from tests.plans.conftest import YEAR, make_plan

TODAY = datetime.date(YEAR, 12, 20)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every stored PDF goes to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def add_utfall(forbund, *, year: int, months: dict[int, int], account: str = "5010"):
    """Import utfall on the kansli account for the given months (call inside the scope)."""
    rows = "".join(f"{account};{year};{month};{amount}\n" for month, amount in months.items())
    job = utfall_services.utfall_import_create(
        forbund=forbund,
        actor=None,
        year=year,
        filename="utfall.csv",
        content=f"Konto;År;Månad;Belopp\n{rows}".encode(),
    )
    utfall_services.utfall_import_confirm(forbund=job.forbund, actor=None, utfall_import=job)


def make_economy(forbund, *, year: int = YEAR, insats=None, months: dict[int, int] | None = None):
    """A budget (driftsbidrag 1 200 000), a Kansli line 1 200 000 and an insats line, utfall per month."""
    budget = budget_services.budget_create(
        forbund=forbund, actor=None, year=year, input_amount=2_450_000, eget_kapital_opening=300_000
    )
    kansli = budget_services.cost_line_create(
        forbund=forbund, actor=None, budget=budget, name="Kansli", amount=1_200_000
    )
    if insats is not None:
        budget_services.cost_line_create(
            forbund=forbund, actor=None, budget=budget, name=insats.name, insats=insats
        )
    utfall_services.account_mapping_create(
        forbund=forbund, actor=None, accounts="5000-5999", cost_line=kansli
    )
    if months:
        add_utfall(forbund, year=year, months=months)
    return budget


def make_goals(forbund, *, year: int = YEAR):
    """Målområde 9 of the year: costs within budget (computed) and a manual survey delmål (minst 80 %)."""
    area = goals_services.malomrade_create(forbund=forbund, actor=None, year=year, number=9, title="Ekonomi")
    costs = goals_services.delmal_create(
        forbund=area.forbund,
        malomrade=area,
        actor=None,
        number=1,
        text="Kostnaderna ska inte överstiga budgetramen",
        indicator_kind=IndicatorKind.KOSTNADER_INOM_BUDGET,
        tidpunkt=Tidpunkt.TERTIAL,
        data_source=DataSource.BUDGET,
    )
    survey = goals_services.delmal_create(
        forbund=area.forbund,
        malomrade=area,
        actor=None,
        number=2,
        text="Deltagarna är nöjda",
        target_comparator=Comparator.MINST,
        target_value=Decimal("80"),
        target_unit=TargetUnit.PERCENT,
        tidpunkt=Tidpunkt.AR,
        data_source=DataSource.ENKAT_EGEN,
    )
    return {"costs": costs, "survey": survey}


def build(forbund, *, months):
    data = make_plan(forbund)
    with tenant_scope(forbund):
        data["economy"] = make_economy(forbund, insats=data["running"], months=months)
        data.update(make_goals(forbund))
    return data


@pytest.fixture
def world(forbund_a, forbund_b, alice, charlie):
    """The 2026 plan, economy and goals in A (under budget in T1) and in the noise B (far over)."""
    return {
        "beta": build(forbund_b, months=dict.fromkeys(range(1, 13), 900_000)),
        "alfa": build(forbund_a, months={1: 90_000, 2: 100_000, 3: 100_000, 4: 110_000}),
    }


@pytest.fixture
def petra(petra, forbund_a, world):
    """The shared plattformspersonal, granted the running insats of A."""
    user = petra
    with tenant_scope(forbund_a):
        insatser_services.insats_assign_staff(
            forbund=forbund_a, actor=None, insats=world["alfa"]["running"], user=user
        )
    return user


def create_report(forbund, actor, *, tertial=1, year=YEAR):
    with tenant_scope(forbund):
        report = services.report_create(forbund=forbund, actor=actor, year=year, tertial=tertial, today=TODAY)
        return report, report.versions.get()


def ready_to_send(forbund, actor, version, world_part):
    """Give the manual delmål of A a status so the version may be sent."""
    from apps.goals.models import Delmal

    with tenant_scope(forbund):
        for delmal in Delmal.objects.filter(forbund=forbund, malomrade__year=version.report.year):
            if not delmal.is_computed:
                services.assessment_set(
                    version=version, actor=actor, delmal=delmal, status="pa_vag", comment="Enligt plan."
                )


@pytest.fixture
def report_a(world, forbund_a, alice):
    """T1 2026 in A, version 1 utkast."""
    return create_report(forbund_a, alice)


@pytest.fixture
def sent_a(report_a, forbund_a, alice, world):
    """T1 2026 in A, sent to the board."""
    report, version = report_a
    ready_to_send(forbund_a, alice, version, world["alfa"])
    with tenant_scope(forbund_a):
        version = services.version_send(version=version, actor=alice)
    return report, version
