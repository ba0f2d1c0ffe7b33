"""The plan version page costs the same number of queries whatever the size of the plan.

A small plan and one ten times larger (målområden, delmål, meetings, budget lines tied to
insatser, sections shown twice, comments with answers while på remiss), each rendered with
every data section; the larger one must run exactly as many queries as the small one. The same
holds with computed delmål of every kind (a past year, so each is computed), and for an adopted
version read by the revisor. Rendered data sections are kept between requests
(apps.plans.rendering): the page is the same whether they were or not.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.test.utils import CaptureQueriesContext

from apps.budgets import services as budget_services
from apps.goals.models import IndicatorKind, Malomrade
from apps.insatser.models import Insats
from apps.plans import rendering, services
from apps.plans.models import PlanSection
from apps.tenancy.scope import tenant_scope
from tests.goals.factories import DelmalFactory

from .conftest import make_plan

COMPUTED_KINDS = [kind for kind in IndicatorKind.values if kind != IndicatorKind.MANUAL]


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
    # Both warm (the session, and the data sections kept per data version), so the two requests
    # counted differ only in the size of the plan.
    client.get(small_url)
    client.get(large_url)
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


def _with_computed_delmal(forbund, *, year):
    """A computed delmål of every kind under each of the year's målområden, half for an insats."""
    with tenant_scope(forbund):
        insats = Insats.objects.get(forbund=forbund, name=f"SamCoach {year}")
        for malomrade in Malomrade.objects.filter(forbund=forbund, year=year):
            for number, kind in enumerate(COMPUTED_KINDS, start=3):
                DelmalFactory(
                    malomrade=malomrade,
                    number=number,
                    indicator_kind=kind,
                    insats=insats if number % 2 else None,
                    target_comparator="minst",
                    target_value=10,
                    target_unit="procent",
                    baseline_year=year - 1,
                )


def _counted(client, url):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx.captured_queries), page.content.decode()


def test_version_page_queries_are_flat_with_computed_delmal(
    client, alice, forbund_a, forbund_b, charlie, django_assert_num_queries
):
    _plan_with_budget(forbund_b, charlie, year=2024, size=3)
    small = _plan_with_budget(forbund_a, alice, year=2024, size=1)
    large = _plan_with_budget(forbund_a, alice, year=2025, size=10)
    _with_computed_delmal(forbund_a, year=2024)
    _with_computed_delmal(forbund_a, year=2025)
    small_url, large_url = _url(small), _url(large)
    client.force_login(alice)
    # Both warm (the session, and any figures the follow-up keeps per data version), so the two
    # requests counted differ only in the size of the plan.
    client.get(small_url)
    client.get(large_url)
    queries, _ = _counted(client, small_url)
    with django_assert_num_queries(queries):
        page = client.get(large_url)
    html = page.content.decode()
    # Every computed delmål shows its result (ten målområden, each with every kind).
    assert html.count("Målområde 10 alfa") == 2
    assert html.count("Resultat hittills:") == 2 * 10 * len(COMPUTED_KINDS)


def test_version_page_queries_are_flat_for_an_adopted_version_read_by_the_revisor(
    client, alice, bob, forbund_a, forbund_b, charlie, django_assert_num_queries
):
    _plan_with_budget(forbund_b, charlie, year=2030, size=3)
    small = _plan_with_budget(forbund_a, alice, year=2030, size=1)
    large = _plan_with_budget(forbund_a, alice, year=2031, size=10)
    for version in (small, large):
        with tenant_scope(forbund_a):
            services.version_adopt(
                forbund=forbund_a,
                version=version,
                actor=alice,
                adopted_on=datetime.date(2029, 11, 30),
                decision_paragraph="§ 45",
            )
    small_url, large_url = _url(small), _url(large)
    client.force_login(bob)
    client.get(small_url)
    queries, _ = _counted(client, small_url)
    with django_assert_num_queries(queries):
        page = client.get(large_url)
    html = page.content.decode()
    assert html.count("Kansli 9") == 3
    # Comments are not shown on an adopted version, so they are not read either.
    assert "Synpunkt" not in html


def _without_csrf(html):
    """The page with its CSRF tokens (a new mask per response) blanked out."""
    import re

    return re.sub(rf"\b[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}\b", "", html)


def test_version_page_is_the_same_with_kept_and_fresh_data_sections(client, alice, forbund_a):
    version = _plan_with_budget(forbund_a, alice, year=2031, size=3)
    client.force_login(alice)
    rendering.rendered_sections.clear()
    fresh = client.get(_url(version)).content.decode()
    kept = client.get(_url(version)).content.decode()
    assert len(rendering.rendered_sections) == 6  # each data key of the plan: one rendering kept
    assert _without_csrf(kept) == _without_csrf(fresh)
    assert fresh.count("Kansli 2") == 3
