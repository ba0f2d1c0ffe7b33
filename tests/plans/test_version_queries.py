"""The plan version page costs the same number of queries whatever the size of the plan.

A small plan and one ten times larger (målområden, delmål, meetings, budget lines tied to
insatser, sections shown twice, comments with answers while på remiss), each rendered with
every data section; the larger one must run exactly as many queries as the small one.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.budgets import services as budget_services
from apps.insatser.models import Insats
from apps.plans import services
from apps.plans.models import PlanSection
from apps.tenancy.scope import tenant_scope

from .conftest import make_plan


def _plan_with_budget(forbund, actor, *, year, size):
    """A plan of ``size`` (see make_plan), a budget with lines per insats, on remiss with comments."""
    make_plan(forbund, year=year, size=size)
    with tenant_scope(forbund):
        budget = budget_services.budget_create(
            forbund=forbund, actor=actor, year=year, input_mode="total", input_amount=10_000_000
        )
        parent = budget_services.cost_line_create(
            forbund=forbund, actor=actor, budget=budget, account_code="101", name="Insatser"
        )
        for insats in Insats.objects.filter(forbund=forbund, name__endswith=str(year)):
            budget_services.cost_line_create(
                forbund=forbund, actor=actor, budget=budget, parent=parent, name=insats.name, insats=insats
            )
        for number in range(size):
            budget_services.cost_line_create(
                forbund=forbund, actor=actor, budget=budget, name=f"Kansli {number}", amount=100_000
            )
        version = services.plan_create(forbund=forbund, actor=actor, year=year).versions.get()
        # A long plan shows data again (the same key twice renders from one reading).
        for key in ("mal", "insatser", "budget")[: 1 if size == 1 else 3]:
            services.section_create(
                forbund=forbund, version=version, actor=actor, title=f"Igen {key}", data_key=key
            )
        services.version_send_to_remiss(forbund=forbund, version=version, actor=actor)
        sections = list(PlanSection.objects.filter(version=version).order_by("position"))
        for section in sections[: 1 if size == 1 else len(sections)]:
            for number in range(size):
                comment = services.comment_create(
                    forbund=forbund, actor=actor, section=section, text=f"Synpunkt {number}"
                )
                if number % 2:
                    services.comment_answer(
                        forbund=forbund, comment=comment, actor=actor, answer="Svar", resolve=False
                    )
    return version


def _url(version):
    return f"/f/{version.forbund.slug}/plan/v/{version.public_id}/"


def test_version_page_queries_are_flat_with_budget_comments_and_repeated_sections(
    client, alice, forbund_a, forbund_b, charlie, django_assert_num_queries
):
    _plan_with_budget(forbund_b, charlie, year=2030, size=3)  # noise in another förbund
    small = _plan_with_budget(forbund_a, alice, year=2030, size=1)
    large = _plan_with_budget(forbund_a, alice, year=2031, size=10)
    small_url, large_url = _url(small), _url(large)  # outside the counted requests
    client.force_login(alice)
    client.get(small_url)  # the session warm
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(small_url)
    assert page.status_code == 200
    queries = len(ctx.captured_queries)
    with django_assert_num_queries(queries):
        page = client.get(large_url)
    assert page.status_code == 200
    html = page.content.decode()
    # Everything was rendered: every data section, its repeat, the comments and their tools.
    assert html.count("Kansli 9") == 3  # the budget twice, the långtidsbudget once
    assert html.count("Målområde 10 alfa") == 2
    with tenant_scope(forbund_a):
        sections = list(PlanSection.objects.filter(version=large).order_by("position"))
        section = sections[0]
    assert html.count("Synpunkt 9") == len(sections) == 15
    assert "Svar från" in html
    with tenant_scope(forbund_a):
        comment = section.comments.order_by("id").first()
    assert f"/f/alfa/plan/avsnitt/{section.public_id}/" in html
    assert f"/f/alfa/plan/avsnitt/{section.public_id}/synpunkt/" in html
    assert f"/f/alfa/plan/synpunkt/{comment.public_id}/svar/" in html
