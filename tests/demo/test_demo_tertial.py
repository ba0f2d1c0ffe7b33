"""Demo tertial reports and utfall: samo 2023 T1 approved and T2 sent, Sollefteå 2024 T1 approved."""

from __future__ import annotations

import pytest

from apps.budgets.models import UtfallRow
from apps.demo.loader import load_demo
from apps.tenancy.scope import tenant_scope
from apps.tertial.models import ReportVersion


@pytest.fixture
def demo(demo_loaded, db, settings):
    """The demo, loaded once for the module (tests/demo/conftest.py); DEBUG on for a second load."""
    settings.DEBUG = True
    return demo_loaded


def _versions(forbund):
    with tenant_scope(forbund):
        return list(
            ReportVersion.objects.order_by("report__year", "report__tertial").values_list(
                "report__year", "report__tertial", "status"
            )
        )


def test_demo_reports_per_forbund(demo):
    assert _versions(demo["samo"]) == [(2023, 1, "godkand"), (2023, 2, "skickad")]
    assert _versions(demo["solleftea"]) == [(2024, 1, "godkand")]
    assert _versions(demo["vastra"]) == []


def test_demo_utfall_so_economy_is_not_zero(demo):
    with tenant_scope(demo["samo"]):
        months = set(UtfallRow.objects.filter(year=2023).values_list("month", flat=True))
    with tenant_scope(demo["solleftea"]):
        solleftea = set(UtfallRow.objects.filter(year=2024).values_list("month", flat=True))
    assert months == set(range(1, 9))
    assert solleftea == {1, 2, 3, 4}


def test_demo_sent_report_is_frozen_with_statuses(demo):
    with tenant_scope(demo["samo"]):
        version = ReportVersion.objects.get(report__year=2023, report__tertial=2)
    rows = [row for area in version.frozen_data["goals"] for row in area["delmal"]]
    assert rows and all(row["status"] for row in rows)
    assert version.frozen_data["economy"]["tertials"][1]["utfall"] > 0


def test_demo_tertial_step_is_idempotent(demo):
    assert load_demo().changed == 0
