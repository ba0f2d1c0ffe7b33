"""Shared fixtures: two förbund (one is noise) and a user for every role.

Alice is förbundschef in förbund A (insider), Bob is revisor in A (read-only insider) and
Charlie is förbundschef in förbund B (outsider to A). Kim (kansli), Stina (styrelse) and Petra
(plattformspersonal) are the other roles in A. Every tenant test has B's rows too. Define no
other user for one of these roles in an app's conftest: use these, or ``member()`` for a second.
"""

from __future__ import annotations

import pytest

from apps.tenancy.models import Role
from apps.tenancy.scope import tenant_scope

from .factories import ForbundFactory, MedlemFactory, MembershipFactory, UserFactory
from .second_factor import SecondFactorClient


@pytest.fixture
def in_scope():
    """Context manager factory: ``with in_scope(forbund): ...`` opens that förbund's scope."""

    def opener(forbund):
        return tenant_scope(forbund)

    return opener


@pytest.fixture
def forbund_a(db):
    return ForbundFactory(name="Samordningsförbundet Alfa", slug="alfa")


@pytest.fixture
def forbund_b(db):
    return ForbundFactory(name="Samordningsförbundet Beta", slug="beta")


def member(forbund, username, role):
    """A user with ``role`` in ``forbund`` (for a second user of a role the fixtures have)."""
    user = UserFactory(username=username)
    with tenant_scope(forbund):
        MembershipFactory(forbund=forbund, user=user, role=role)
    return user


@pytest.fixture
def alice(forbund_a):
    """Förbundschef in A: the insider who may do everything."""
    return member(forbund_a, "alice@alfa.se", Role.FORBUNDSCHEF)


@pytest.fixture
def bob(forbund_a):
    """Revisor in A: the read-only insider (adopted plans only)."""
    return member(forbund_a, "bob@alfa.se", Role.REVISOR)


@pytest.fixture
def charlie(forbund_b):
    """Förbundschef in the noise förbund B: an outsider to A."""
    return member(forbund_b, "charlie@beta.se", Role.FORBUNDSCHEF)


@pytest.fixture
def kim(forbund_a):
    """Kansli in A: edits like the förbundschef."""
    return member(forbund_a, "kim@alfa.se", Role.KANSLI)


@pytest.fixture
def stina(forbund_a):
    """Styrelse in A: reads, comments on drafts, approves reports."""
    return member(forbund_a, "stina@alfa.se", Role.STYRELSE)


@pytest.fixture
def petra(forbund_a):
    """Plattformspersonal in A: sees only the insatser granted to her."""
    return member(forbund_a, "petra@alfa.se", Role.PLATTFORM)


@pytest.fixture
def tenant_rows(forbund_a, forbund_b):
    """A member organisation in each förbund, so every query has a neighbour to leak."""
    rows = {}
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            rows[forbund.slug] = MedlemFactory(forbund=forbund, name=f"Region {forbund.name}")
    return rows


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also passes the second factor.

    The test settings have DEBUG off, so the second factor is enforced as in production.
    """
    return SecondFactorClient()


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin_client, past the second factor like :func:`client`."""
    client = SecondFactorClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def client_for(client):
    """Log the test client in as a user (second factor passed)."""

    def login(user):
        client.force_login(user)
        return client

    return login
