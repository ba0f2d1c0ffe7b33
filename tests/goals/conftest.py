"""Fixtures for goals: goals in both förbund."""

import pytest

from apps.tenancy.scope import tenant_scope

from .factories import DelmalFactory, MalomradeFactory


@pytest.fixture
def goals(forbund_a, forbund_b):
    """Målområde 1 of 2023 with two delmål in each förbund (B is noise)."""
    rows = {}
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            malomrade = MalomradeFactory(
                forbund=forbund, year=2023, number=1, title=f"Arbete eller studier {forbund.slug}"
            )
            first = DelmalFactory(malomrade=malomrade, number=1, text=f"Fler når arbete {forbund.slug}")
            second = DelmalFactory(malomrade=malomrade, number=2, text=f"Fler når studier {forbund.slug}")
            rows[forbund.slug] = {"malomrade": malomrade, "delmal": [first, second]}
    return rows
