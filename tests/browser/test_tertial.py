"""In the browser, under axe: the tertial report as förbundschef (prepare and send), styrelse
(comment and approve) and revisor (download the approved report's PDF), on the demo data."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from apps.reports import services as document_services
from apps.reports.models import DocumentKind
from apps.reports.tasks import render_plan_pdf
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope
from apps.tertial.models import ReportVersion

from .helpers import assert_page_ok, log_in

pytestmark = pytest.mark.browser


def _label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}( \(obligatoriskt\))?$")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def test_forbundschef_prepares_and_sends_a_report(page, demo):
    log_in(page, "forbundschef@samo")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Tertialrapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tertialrapporter")
    assert_page_ok(page, "report list")

    page.get_by_label(_label("År")).fill("2023")
    page.get_by_label(_label("Tertial")).select_option("3")
    page.get_by_role("button", name="Skapa utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tertialrapport T3 2023")
    expect(page.get_by_role("heading", name="Det här saknas")).to_be_visible()
    assert_page_ok(page, "draft")

    page.get_by_role("link", name="Skriv sammanfattning").click()
    page.get_by_label(_label("Sammanfattning")).fill("Året avslutades **i balans**.")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator("#report-preview strong")).to_have_text("i balans")
    assert_page_ok(page, "summary")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Sammanfattningen är sparad")

    page.get_by_role("link", name="Bedöm delmål").click()
    assert_page_ok(page, "assessment")
    statuses = page.locator("select[name$='-status']")
    for n in range(statuses.count()):
        statuses.nth(n).select_option("pa_vag")
    page.locator("textarea[name$='-comment']").first.fill("Följs upp i årsredovisningen.")
    page.get_by_role("button", name="Spara bedömningarna").click()
    expect(page.locator(".messages")).to_contain_text("Bedömningarna av delmålen är sparade")

    page.get_by_role("link", name="Skicka till styrelsen").click()
    assert_page_ok(page, "send")
    page.get_by_role("button", name="Skicka till styrelsen").click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är skickad till styrelsen")
    expect(page.locator("main .notice").first).to_contain_text("skickad till styrelsen")
    assert_page_ok(page, "sent")


def test_styrelse_comments_and_approves(page, demo):
    log_in(page, "styrelse@samo")
    page.get_by_role("link", name="Tertialrapport T2 2023").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tertialrapport T2 2023")
    assert_page_ok(page, "sent report")

    page.get_by_label("Din synpunkt på avsnittet").nth(3).fill("Varför är prognosen lägre än budgeten?")
    page.get_by_role("button", name="Lämna synpunkt").nth(3).click()
    expect(page.locator(".messages")).to_contain_text("Tack, din synpunkt är sparad")
    expect(page.locator("#avsnitt-ekonomi ~ div .plan-comment").first).to_contain_text("Varför är prognosen")
    assert_page_ok(page, "comment")

    page.get_by_role("link", name="Registrera styrelsens beslut").click()
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator(".field-errors").first).to_contain_text("Välj styrelsens beslut")
    assert_page_ok(page, "decision with errors")
    page.get_by_label(_label("Beslut")).select_option("godkand")
    page.get_by_label(_label("Mötesdatum")).fill("2023-10-18")
    page.get_by_label(_label("Paragraf i protokollet")).fill("§ 52")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator(".messages")).to_contain_text("Tertialrapport T2 2023 är godkänd")
    expect(page.locator(".report-decision")).to_contain_text("vid mötet 2023-10-18, § 52")
    assert_page_ok(page, "approved")


def test_revisor_downloads_the_approved_report(page, demo, media_root):
    samo = Forbund.objects.get(slug="samo")
    with tenant_scope(samo):
        version = ReportVersion.objects.get(report__year=2023, report__tertial=1)
        document = document_services.document_request(
            forbund=samo, actor=None, version=version, kind=DocumentKind.TERTIALRAPPORT
        )
    # The worker's job, run here: the panel then offers the finished document.
    assert render_plan_pdf(document_id=document.pk, forbund_id=samo.pk) == "done"

    log_in(page, "revisor@samo")
    expect(page.get_by_role("link", name="Tertialrapport T1 2023")).to_be_visible()
    expect(page.get_by_role("link", name="Tertialrapport T2 2023")).to_have_count(0)
    assert_page_ok(page, "revisor home")

    page.get_by_role("link", name="Tertialrapport T1 2023").click()
    panel = page.locator("#pdf-panel")
    link = panel.get_by_role("link", name=re.compile("^Ladda ner PDF"))
    expect(link).to_have_text("Ladda ner PDF (tertialrapport-2023-T1-version-1.pdf)")
    shown = panel.locator(".pdf-panel__hash").first.inner_text().strip()
    assert_page_ok(page, "approved report with PDF")
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == shown
