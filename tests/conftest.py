"""Shared fixtures: two förbund (one is noise), and Alice, Bob and Charlie.

Alice is förbundschef in förbund A (insider), Bob is revisor in A (read-only insider) and
Charlie is förbundschef in förbund B (outsider to A). Every tenant test has B's rows too.
"""

from __future__ import annotations

import contextlib

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


def _member(forbund, username, role):
    user = UserFactory(username=username)
    with tenant_scope(forbund):
        MembershipFactory(forbund=forbund, user=user, role=role)
    return user


@pytest.fixture
def alice(forbund_a):
    return _member(forbund_a, "alice@alfa.se", Role.FORBUNDSCHEF)


@pytest.fixture
def bob(forbund_a):
    return _member(forbund_a, "bob@alfa.se", Role.REVISOR)


@pytest.fixture
def charlie(forbund_b):
    return _member(forbund_b, "charlie@beta.se", Role.FORBUNDSCHEF)


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


@contextlib.contextmanager
def no_scope():
    yield
