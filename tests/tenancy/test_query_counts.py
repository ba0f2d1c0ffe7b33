"""Query counts of the foundation pages stay flat as the data grows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.tenancy.scope import tenant_scope
from tests.factories import MedlemFactory


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_members(forbund, n):
    with tenant_scope(forbund):
        for _ in range(n):
            MedlemFactory(forbund=forbund)


def test_overview_queries_flat(client, forbund_a, forbund_b, alice):
    client.force_login(alice)
    _add_members(forbund_a, 2)
    _add_members(forbund_b, 2)
    small = _queries(client, "/f/alfa/")
    _add_members(forbund_a, 10)
    assert _queries(client, "/f/alfa/") == small


def test_forbund_switcher_queries_flat(client, forbund_a, forbund_b, alice, in_scope):
    from apps.tenancy.models import Membership, Role
    from tests.factories import ForbundFactory

    client.force_login(alice)
    with in_scope(forbund_b):
        Membership.objects.create(forbund=forbund_b, user=alice, role=Role.STYRELSE)
    small = _queries(client, "/")
    for _ in range(5):
        extra = ForbundFactory()
        with in_scope(extra):
            Membership.objects.create(forbund=extra, user=alice, role=Role.REVISOR)
    assert _queries(client, "/") == small
