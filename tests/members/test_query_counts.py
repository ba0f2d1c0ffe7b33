"""Query counts of the members pages stay flat as the data grows (2 rows and 12 rows)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.members.models import SeatKind
from apps.tenancy.scope import tenant_scope
from tests.factories import MedlemFactory

from .factories import OrganFactory, OrganMedlemFactory, StyrelseledamotFactory, StyrelsemoteFactory

YEAR = datetime.date.today().year


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_medlemmar(forbund, n):
    with tenant_scope(forbund):
        for _ in range(n):
            MedlemFactory(forbund=forbund)


def _add_board(forbund, n):
    with tenant_scope(forbund):
        for _ in range(n):
            medlem = MedlemFactory(forbund=forbund)
            StyrelseledamotFactory(medlem=medlem)
            StyrelseledamotFactory(medlem=medlem, seat=SeatKind.ERSATTARE)


def _add_organs(forbund, n):
    with tenant_scope(forbund):
        for _ in range(n):
            medlem = MedlemFactory(forbund=forbund)
            organ = OrganFactory(forbund=forbund)
            OrganMedlemFactory(organ=organ, medlem=medlem)
            OrganMedlemFactory(organ=organ)


def _add_motes(forbund, n):
    with tenant_scope(forbund):
        for _ in range(n):
            StyrelsemoteFactory(forbund=forbund, year=YEAR)


@pytest.mark.parametrize(
    ("url", "add"),
    [
        ("/f/alfa/medlemmar/", _add_medlemmar),
        ("/f/alfa/medlemmar/styrelse/", _add_board),
        ("/f/alfa/medlemmar/organ/", _add_organs),
        ("/f/alfa/medlemmar/arsplanering/", _add_motes),
    ],
)
def test_members_page_queries_flat(client, forbund_a, forbund_b, alice, url, add):
    client.force_login(alice)
    add(forbund_a, 2)
    add(forbund_b, 2)
    small = _queries(client, url)
    add(forbund_a, 10)
    assert _queries(client, url) == small
