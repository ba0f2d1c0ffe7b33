"""In the browser: utfall imported from a file and followed up against the budget.

The förbundschef maps an account, uploads a CSV, previews and confirms it, and reads the
tertial follow-up with its chart; the revisor reads the follow-up and is refused the import.
Every page visited passes axe-core (WCAG 2.1 AA).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.budgets.models import CostLine, UtfallImport, UtfallStatus
from apps.budgets.utfall import services as utfall_services
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from .helpers import assert_page_ok, log_in

pytestmark = pytest.mark.browser

CSV = "Konto;År;Månad;Belopp\n6110;2023;1;290000\n6110;2023;2;280000\n6110;2023;3;300000\n"


@pytest.fixture
def samo_mapped(demo):
    forbund = Forbund.objects.get(slug="samo")
    with tenant_scope(forbund):
        kansli = CostLine.objects.get(forbund=forbund, budget__year=2023, account_code="106")
        # The demo's own 2023 utfall is undone, so the figures below are this test's import alone.
        for done in UtfallImport.objects.filter(forbund=forbund, year=2023, status=UtfallStatus.DONE):
            utfall_services.utfall_import_undo(forbund=forbund, actor=None, utfall_import=done)
        utfall_services.account_mapping_create(
            forbund=forbund, actor=None, accounts="6000-6999", cost_line=kansli
        )
    return forbund


def test_forbundschef_imports_utfall_and_reads_followup(page, samo_mapped):
    log_in(page, "forbundschef@samo")
    page.goto("/f/samo/budget/2023/")
    assert_page_ok(page, "budget 2023")
    page.get_by_role("link", name="Importera utfall (CSV, XLSX, SIE4)").click()
    assert_page_ok(page, "utfall: import")
    page.get_by_label("År", exact=False).select_option("2023")
    page.get_by_label("Fil", exact=False).set_input_files(
        files=[{"name": "utfall.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    assert_page_ok(page, "utfall: förhandsgranskning")
    page.get_by_role("button", name="Genomför importen").click()
    expect(page.get_by_text("utfall.csv").first).to_be_visible()
    page.goto("/f/samo/budget/2023/uppfoljning/")
    assert_page_ok(page, "uppföljning")
    chart = page.locator("figure.chart img")
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute("alt", re.compile(r"^Stapeldiagram: budget och utfall"))
    # T1's utfall (290 000 + 280 000 + 300 000) in the table beside the chart.
    expect(page.locator("main table td").filter(has_text=re.compile(r"^870\s000"))).not_to_have_count(0)


def test_revisor_reads_followup_but_not_import(page, samo_mapped):
    log_in(page, "revisor@samo")
    page.goto("/f/samo/budget/2023/uppfoljning/")
    assert_page_ok(page, "uppföljning (revisor)")
    expect(page.get_by_role("button", name="Förhandsgranska")).to_have_count(0)
    response = page.goto("/f/samo/budget/utfall/")
    assert response.status == 403
    assert_page_ok(page, "403")
