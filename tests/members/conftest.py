"""Fixtures of the members tests: a plattformspersonal in A, and rows in both förbund."""

from __future__ import annotations

import pytest

from apps.tenancy.models import Role
from apps.tenancy.scope import tenant_scope
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def pia(forbund_a):
    """Plattformspersonal in förbund A: sees nothing of members and board."""
    user = UserFactory(username="pia@alfa.se")
    with tenant_scope(forbund_a):
        MembershipFactory(forbund=forbund_a, user=user, role=Role.PLATTFORM)
    return user
