"""make bench at a tiny scale: the builder and every measurement still run and give their keys."""

from __future__ import annotations

import pytest

from apps.demo import bench
from apps.followup.models import Deltagare
from apps.insatser.models import Insats
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

PAGE_KEYS = {
    "overview/forbundschef",
    "insatser/forbundschef",
    "goals/forbundschef",
    "budget/forbundschef",
    "budget_followup/forbundschef",
    "plan_version/forbundschef",
    "followup_statistics/forbundschef",
    "participant_list/plattform",
    "tertial_report/forbundschef",
}


@pytest.fixture
def tiny(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return bench.build(forbund_count=5, scale=2, participants=50, plan_repeat=1)


def test_bench_builds_and_measures_every_key_page_aggregation_and_a_pdf(tiny):
    # One test, since building even the tiny bench loads the whole demo (about a minute).
    large = Forbund.objects.get(slug=bench.LARGE)
    with tenant_scope(large):
        insatser = Insats.objects.filter(forbund=large).count()
        participants = Deltagare.objects.filter(forbund=large).count()
    one = Forbund.objects.get(slug=bench.ONE)
    with tenant_scope(one):
        assert insatser == 2 * Insats.objects.filter(forbund=one).count()
    assert tiny.forbund == Forbund.objects.count() == 5
    # Each cohort gets at least one person of each gender it has, so a tiny scale rounds up a little.
    assert 40 <= participants <= 90 and tiny.utfall_months == 24

    figures = bench.run_all(runs=1, pdf_in_subprocess=False, pdf_only=("tertial_report",), built=tiny)
    assert set(figures["pages"]) >= PAGE_KEYS
    for entry in figures["pages"].values():
        assert set(entry) == {"1x", "scale", "queries_equal"}
        assert {"median_ms", "p95_ms", "queries"} <= set(entry["scale"])
    assert set(figures["aggregation"]) == {"budget_followup", "followup_statistics"}
    assert all(entry["ratio"] > 0 and entry["figures"] > 0 for entry in figures["aggregation"].values())
    assert figures["pdf"]["tertial_report"]["pages"] >= 1
    assert "skala p95" in bench.table(figures)
