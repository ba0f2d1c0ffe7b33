"""Fixtures of the import/export tests: plan content in A and noise content in B."""

from __future__ import annotations

import io

import openpyxl
import pytest

from apps.goals import services as goal_services
from apps.goals.models import DataSource, Tidpunkt
from apps.insatser import services as insats_services
from apps.members import services as member_services
from apps.members.models import MedlemKind
from apps.tenancy.scope import tenant_scope


def seed(forbund, actor, prefix):
    """Members, an insats with two year rows and a delmål (call inside the förbund's scope)."""
    region = member_services.medlem_create(
        forbund=forbund, actor=actor, name=f"{prefix}Region", kind=MedlemKind.REGION
    )
    member_services.medlem_create(
        forbund=forbund, actor=actor, name=f"{prefix}Kommun", kind=MedlemKind.KOMMUN, population=12345
    )
    insats = insats_services.insats_create(
        forbund=forbund, actor=actor, name=f"{prefix}SamCoach", verksamhetsagare=region
    )
    for year in (2025, 2026):
        insats_services.insats_year_create(
            forbund=forbund, actor=actor, insats=insats, year=year, budget_amount=500_000, financed_fte="1.50"
        )
    area = goal_services.malomrade_create(forbund=forbund, actor=actor, year=2026, title=f"{prefix}Arbete")
    goal_services.delmal_create(
        forbund=area.forbund,
        malomrade=area,
        actor=actor,
        text=f"{prefix}Minst 70 % ska nå egen försörjning",
        target_comparator="minst",
        target_value=70,
        target_unit="procent",
        tidpunkt=Tidpunkt.TERTIAL,
        data_source=DataSource.DELTAGARDATA,
        insats=insats,
    )


@pytest.fixture
def plan(forbund_a, forbund_b, alice, charlie):
    with tenant_scope(forbund_b):
        seed(forbund_b, charlie, "Beta ")
    with tenant_scope(forbund_a):
        seed(forbund_a, alice, "")


def csv_bytes(rows):
    """A semicolon CSV (UTF-8) from a list of rows, the first being the headers."""
    return "\n".join(";".join(str(c) for c in row) for row in rows).encode("utf-8")


def xlsx_bytes(rows):
    """An XLSX file from a list of rows, the first being the headers."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
