"""Fixtures of the budget tests: budget builders, and Östra's 2023 budget with a noise budget in B."""

from __future__ import annotations

import pytest

from apps.budgets import services
from apps.budgets.models import IncomeKind, KommunSplit, StateSplit
from apps.insatser.models import Insats, InsatsYear
from apps.members.models import Medlem, MedlemKind
from apps.tenancy.scope import tenant_scope

OSTRA_KOMMUNER = [  # populations proportional to the seed's parts
    ("Finspångs kommun", 501_227),
    ("Norrköpings kommun", 3_307_880),
    ("Söderköpings kommun", 335_991),
    ("Valdemarsviks kommun", 175_403),
]
OSTRA_INSATSER = [
    ("Finspång", 1_386_000),
    ("Norrköping", 8_257_000),
    ("Söderköping", 2_136_000),
    ("Valdemarsvik", 2_058_000),
    ("Af koordinator", 280_000),
    ("Insatskatalogen/Administrativt stöd", 216_000),
    ("Metodutveckling", 100_000),
]
OSTRA_OTHER_COSTS = [
    ("102", "Kompetensutveckling personal", 400_000),
    ("104", "Uppföljning och utvärdering", 200_000),
    ("105", "Information", 100_000),
    ("106", "Kansli", 3_468_000),
    ("110", "Revision", 250_000),
    ("112", "Finansiella kostnader", 10_000),
]


def make_members(forbund, kommuner=OSTRA_KOMMUNER):
    """FK, AF, a region and the given kommuner (name, population), in printed order."""
    with tenant_scope(forbund):
        rows = [
            Medlem.objects.create(
                forbund=forbund, name="Försäkringskassan", kind=MedlemKind.FORSAKRINGSKASSAN
            ),
            Medlem.objects.create(
                forbund=forbund, name="Arbetsförmedlingen", kind=MedlemKind.ARBETSFORMEDLINGEN
            ),
            Medlem.objects.create(
                forbund=forbund, name="Region Östergötland", kind=MedlemKind.REGION, position=2
            ),
        ]
        for i, (name, population) in enumerate(kommuner):
            rows.append(
                Medlem.objects.create(
                    forbund=forbund, name=name, kind=MedlemKind.KOMMUN, population=population, position=3 + i
                )
            )
    return rows


def build_ostra_2023(forbund, actor=None, *, year=2023, opening=0):
    """The Östra Östergötland 2023 budget, insats lines reading InsatsYear rows."""
    medlemmar = make_members(forbund)
    region = medlemmar[2]
    with tenant_scope(forbund):
        budget = services.budget_create(
            forbund=forbund,
            actor=actor,
            year=year,
            input_mode="total",
            input_amount=17_282_000,
            state_split=StateSplit.FK_AF,
            kommun_split=KommunSplit.POPULATION,
            eget_kapital_opening=opening,
        )
        services.income_line_create(
            forbund=forbund,
            actor=actor,
            budget=budget,
            kind=IncomeKind.FINANSIELLA_INTAKTER,
            name="Finansiella intäkter",
            amount=70_000,
        )
        services.income_line_create(
            forbund=forbund,
            actor=actor,
            budget=budget,
            kind=IncomeKind.EGET_KAPITAL,
            name="Eget kapital",
            amount=1_509_000,
        )
        parent = services.cost_line_create(
            forbund=forbund,
            actor=actor,
            budget=budget,
            account_code="101",
            name="Åtgärder individ och struktur",
        )
        for name, amount in OSTRA_INSATSER:
            insats = Insats.objects.create(forbund=forbund, name=name, verksamhetsagare=region)
            InsatsYear.objects.create(forbund=forbund, insats=insats, year=year, budget_amount=amount)
            InsatsYear.objects.create(forbund=forbund, insats=insats, year=year + 1, budget_amount=1)
            services.cost_line_create(
                forbund=forbund, actor=actor, budget=budget, parent=parent, name=name, insats=insats
            )
        for code, name, amount in OSTRA_OTHER_COSTS:
            services.cost_line_create(
                forbund=forbund, actor=actor, budget=budget, account_code=code, name=name, amount=amount
            )
    return budget


@pytest.fixture
def ostra(forbund_a, forbund_b, alice):
    """Östra's 2023 budget in A, and a noise budget for the same year in B."""
    budget = build_ostra_2023(forbund_a, alice)
    with tenant_scope(forbund_b):
        noise = services.budget_create(forbund=forbund_b, actor=None, year=2023, input_amount=999_000)
        services.cost_line_create(forbund=forbund_b, actor=None, budget=noise, name="Beta-kansli", amount=5)
        insats_b = Insats.objects.create(
            forbund=forbund_b,
            name="Finspång",
            verksamhetsagare=Medlem.objects.create(
                forbund=forbund_b, name="Region B", kind=MedlemKind.REGION
            ),
        )
        InsatsYear.objects.create(forbund=forbund_b, insats=insats_b, year=2023, budget_amount=777_777)
    return budget
