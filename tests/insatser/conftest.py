"""Fixtures for insatser: a member and an insats in each förbund (B is noise)."""

from __future__ import annotations

import pytest

from apps.insatser import services
from apps.tenancy.scope import tenant_scope
from tests.factories import MedlemFactory


def make_insats(forbund, name="SamCoach", *, years=(), medparter=0, **fields):
    """An insats with a verksamhetsägare, some medparter and year rows (call inside a scope)."""
    owner = MedlemFactory(forbund=forbund, name=f"Ägare {name}")
    partners = [MedlemFactory(forbund=forbund, name=f"Medpart {i} {name}") for i in range(medparter)]
    insats = services.insats_create(
        forbund=forbund, actor=None, name=name, verksamhetsagare=owner, medparter=partners, **fields
    )
    for year in years:
        services.insats_year_create(
            forbund=forbund, actor=None, insats=insats, year=year, budget_amount=500_000, financed_fte="1.50"
        )
    return insats


@pytest.fixture
def insats_a(forbund_a, forbund_b):
    with tenant_scope(forbund_b):
        make_insats(forbund_b, "Brus i Beta", years=[2026])
    with tenant_scope(forbund_a):
        return make_insats(forbund_a, "SamCoach", years=[2026], medparter=1)


@pytest.fixture
def insats_b(forbund_b):
    with tenant_scope(forbund_b):
        return make_insats(forbund_b, "Betas insats", years=[2026])
