"""Query counts of the report pages stay flat as goals, insatser and budget lines grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.budgets import services as budget_services
from apps.budgets.models import Budget
from apps.goals import services as goals_services
from apps.goals.models import IndicatorKind
from apps.insatser.models import InsatsStatus
from apps.members.models import Medlem
from apps.tenancy.scope import tenant_scope
from apps.tertial import services
from tests.plans.conftest import make_insats

from .conftest import YEAR


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def grow(forbund, version, actor, *, n=3):
    """n more målområden (a computed and a manual delmål each) and n more insatser with budget lines."""
    with tenant_scope(forbund):
        budget = Budget.objects.get(forbund=forbund, year=YEAR)
        owner = Medlem.objects.filter(forbund=forbund).first()
        for i in range(n):
            area = goals_services.malomrade_create(
                forbund=forbund, actor=None, year=YEAR, number=20 + i, title=f"Extra {i}"
            )
            goals_services.delmal_create(
                forbund=area.forbund,
                malomrade=area,
                actor=None,
                number=1,
                text=f"Kostnader {i}",
                indicator_kind=IndicatorKind.KOSTNADER_INOM_BUDGET,
                tidpunkt="tertial",
                data_source="budget",
            )
            manual = goals_services.delmal_create(
                forbund=area.forbund,
                malomrade=area,
                actor=None,
                number=2,
                text=f"Manuellt {i}",
                tidpunkt="ar",
                data_source="manuell",
            )
            services.assessment_set(
                version=version, actor=actor, delmal=manual, status="pa_vag", comment="Ok"
            )
            insats = make_insats(forbund, f"Extra insats {i}", owner, status=InsatsStatus.PAGAENDE)
            budget_services.cost_line_create(
                forbund=forbund, actor=None, budget=budget, name=insats.name, insats=insats
            )
            services.insats_report_save(version=version, actor=actor, insats=insats, text=f"Rapport {i}")


@pytest.mark.parametrize("page", ["report", "version", "index", "year"])
def test_draft_pages_query_count_is_flat(report_a, client_for, alice, forbund_a, page):
    report, version = report_a
    path = {
        "report": f"/f/alfa/tertial/{report.public_id}/",
        "version": f"/f/alfa/tertial/v/{version.public_id}/",
        "index": "/f/alfa/tertial/",
        "year": f"/f/alfa/tertial/ar/{YEAR}/",
    }[page]
    client = client_for(alice)
    small = _queries(client, path)
    grow(forbund_a, version, alice)
    assert _queries(client, path) == small


def test_sent_report_page_query_count_is_flat(report_a, client_for, alice, stina, forbund_a, world):
    from .conftest import ready_to_send

    report, version = report_a
    ready_to_send(forbund_a, alice, version, world["alfa"])
    with tenant_scope(forbund_a):
        services.version_send(version=version, actor=alice)
    client = client_for(stina)
    path = f"/f/alfa/tertial/{report.public_id}/"
    small = _queries(client, path)
    with tenant_scope(forbund_a):
        for i in range(4):
            services.comment_create(version=version, actor=stina, section="mal", text=f"Fråga {i}")
    assert _queries(client, path) == small
