"""make bench at a tiny scale: the builder and every measurement still run and give their keys."""

from __future__ import annotations

import argparse
import importlib.util
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from apps.demo import bench
from apps.followup.models import Deltagare
from apps.insatser.models import Insats
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/samordning"  # the settings' default
PAGE_KEYS = {
    "overview/forbundschef",
    "insatser/forbundschef",
    "goals/forbundschef",
    "budget/forbundschef",
    "budget_followup/forbundschef",
    "plan_version/forbundschef",
    "plan_version/revisor",
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
    assert {"large", "demo", "noise"} <= set(tiny.steps)
    # The build's session setting for pgtrigger ignores no trigger: every assessment is audited.
    events = apps.get_model("followup", "BedomningEvent")
    with tenant_scope(large):
        assert events.objects.filter(forbund=large, pgh_label="insert").count() == tiny.assessments > 0
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
    # The first request after a write, with and without the warmers having run.
    after = figures["after_write"]
    assert {"overview", "goals", "plan_version", "followup_statistics", "warming_ms"} <= set(after)
    assert after["warming_ms"] > 0
    assert all(
        entry["cold_ms"] > 0 and entry["warmed_ms"] > 0 for k, entry in after.items() if k != "warming_ms"
    )
    text = bench.table(figures)
    assert "skala p95" in text and "efter uppvärmningen" in text


def _script():
    spec = importlib.util.spec_from_file_location(
        "bench_script", Path(__file__).resolve().parents[2] / "scripts" / "bench.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tasks_put_the_large_forbund_first_and_the_copies_in_chunks(tmp_path):
    wanted = {slug: {"forbund": {"slug": slug}} for slug in ("samo", "vastra", bench.LARGE)}
    wanted |= {f"bench-{n:02d}": {"forbund": {"slug": f"bench-{n:02d}"}} for n in range(1, 8)}
    tasks = bench._tasks(tmp_path, wanted, ["samo", "vastra"], chunk=3)
    names = [name for name, _folder in tasks]
    assert names == ["large", "demo", "noise-01", "noise-02", "noise-03"]
    files = {name: sorted(path.stem for path in folder.glob("*.json")) for name, folder in tasks}
    assert files["large"] == [bench.LARGE] and files["demo"] == ["samo", "vastra"]
    assert sum(len(files[name]) for name in names[2:]) == 7 and len(files["noise-03"]) == 1


def test_reuse_marker_is_read_back_from_the_database_comment_and_tells_shapes_apart(db):
    script = _script()
    # The login of DATABASE_URL, as the script uses it: it creates the test databases (the app's
    # own roles may not comment on one).
    maintenance = script._bench_url(os.environ.get("DATABASE_URL") or DEFAULT_URL)[2]
    settings = connection.settings_dict
    name = settings["NAME"]
    shape = script._shape(argparse.Namespace(forbund=5, scale=2, participants=50, plan_repeat=1))
    assert shape != script._shape(argparse.Namespace(forbund=5, scale=3, participants=50, plan_repeat=1))
    assert script._marker(maintenance, "samordning_no_such_bench") is None
    try:
        assert script._marker(maintenance, name) == {}  # no marker: never reused
        script._set_marker(maintenance, name, {"shape": shape, "built": {"forbund": 5}})
        found = script._marker(maintenance, name)
        assert found["shape"] == shape and found["built"] == {"forbund": 5}
        assert script._reusable(found, shape)
        assert not script._reusable(found, shape | {"scale": 3})
        assert not script._reusable({}, shape) and not script._reusable(None, shape)
    finally:
        script._server(maintenance, f'COMMENT ON DATABASE "{name}" IS NULL')
