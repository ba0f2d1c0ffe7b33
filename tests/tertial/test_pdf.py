"""The tertial report's PDF: the reports machinery (one document per content, SHA-256), its text,
the revisor's access, the command, and freezing (a sent report's PDF does not change)."""

from __future__ import annotations

import hashlib
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from apps.reports import services as document_services
from apps.reports.models import DocumentKind, DocumentStatus
from apps.reports.tasks import render_plan_pdf
from apps.tenancy.scope import tenant_scope
from apps.tertial import services

from .conftest import TODAY, YEAR, add_utfall

KIND = DocumentKind.TERTIALRAPPORT


@pytest.fixture
def enqueued():
    calls = []
    with mock.patch.object(render_plan_pdf, "delay", side_effect=lambda **kw: calls.append(kw)):
        yield calls


def _text(content: bytes) -> str:
    # Table cells wrap: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _render(forbund, actor, version):
    with tenant_scope(forbund):
        document = document_services.document_request(
            forbund=forbund, actor=actor, version=version, kind=KIND
        )
    assert render_plan_pdf(document_id=document.pk, forbund_id=forbund.pk) == "done"
    with tenant_scope(forbund):
        document.refresh_from_db()
        return document, document.file.read()


@pytest.fixture
def approved_a(sent_a, forbund_a, stina):
    report, version = sent_a
    with tenant_scope(forbund_a):
        services.version_approve(version=version, actor=stina, decided_on=TODAY, decision_paragraph="§ 7")
    return report, version


def test_pdf_has_cover_goal_table_economy_and_approval(approved_a, forbund_a, alice, enqueued):
    _, version = approved_a
    document, content = _render(forbund_a, alice, version)
    text = _text(content)
    with tenant_scope(forbund_a):
        filename = document.filename
    assert document.status == DocumentStatus.DONE
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert filename == f"tertialrapport-{YEAR}-T1-version-1.pdf"
    assert "Tertialrapport T1 2026" in text
    assert "Innehåll" in text
    assert "Måluppfyllelse" in text
    assert "Kostnaderna ska inte överstiga budgetramen" in text
    assert "✓ Uppnått" in text or "Uppnått" in text
    assert "Eget kapital" in text
    assert "Styrelsen godkände tertialrapport T1 2026 vid mötet 2026-12-20, § 7" in text
    assert "Sida 2 av" in text


def test_pdf_is_tagged_pdf_ua(approved_a, forbund_a, alice, enqueued):
    _, version = approved_a
    _, content = _render(forbund_a, alice, version)
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_pdf_request_twice_is_one_document(
    approved_a, forbund_a, alice, enqueued, django_capture_on_commit_callbacks
):
    _, version = approved_a
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(forbund_a):
        first = document_services.document_request(forbund=forbund_a, actor=alice, version=version, kind=KIND)
        second = document_services.document_request(
            forbund=forbund_a, actor=alice, version=version, kind=KIND
        )
    assert first.pk == second.pk
    assert len(enqueued) == 1


def test_sent_report_pdf_unchanged_after_later_utfall(sent_a, forbund_a, alice, enqueued):
    _, version = sent_a
    first, _ = _render(forbund_a, alice, version)
    with tenant_scope(forbund_a):
        add_utfall(forbund_a, year=YEAR, months={2: 3_000_000})
        again = document_services.document_request(forbund=forbund_a, actor=alice, version=version, kind=KIND)
    assert again.pk == first.pk
    assert again.sha256 == first.sha256


def test_draft_pdf_changes_with_live_data(report_a, forbund_a, alice, enqueued):
    _, version = report_a
    with tenant_scope(forbund_a):
        first = document_services.document_request(forbund=forbund_a, actor=alice, version=version, kind=KIND)
        add_utfall(forbund_a, year=YEAR, months={2: 3_000_000})
        second = document_services.document_request(
            forbund=forbund_a, actor=alice, version=version, kind=KIND
        )
    assert first.pk != second.pk


def test_revisor_downloads_approved_pdf(approved_a, forbund_a, alice, bob, client_for, enqueued):
    _, version = approved_a
    document, content = _render(forbund_a, alice, version)
    response = client_for(bob).get(f"/f/alfa/dokument/{document.public_id}/ladda-ner/")
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()


def test_revisor_gets_404_for_draft_pdf_and_panel(report_a, forbund_a, alice, bob, client_for, enqueued):
    _, version = report_a
    document, _ = _render(forbund_a, alice, version)
    client = client_for(bob)
    assert client.get(f"/f/alfa/dokument/{document.public_id}/ladda-ner/").status_code == 404
    assert client.get(f"/f/alfa/dokument/tertialrapport/{version.public_id}/").status_code == 404


def test_panel_offers_the_current_document(approved_a, forbund_a, alice, client_for, enqueued):
    _, version = approved_a
    document, _ = _render(forbund_a, alice, version)
    page = client_for(alice).get(f"/f/alfa/dokument/tertialrapport/{version.public_id}/").content.decode()
    assert document.sha256 in page
    assert "tertialrapport-2026-T1-version-1.pdf" in page


def test_plattformspersonal_panel_is_403(report_a, client_for, petra):
    _, version = report_a
    assert client_for(petra).get(f"/f/alfa/dokument/tertialrapport/{version.public_id}/").status_code == 403


def test_report_pdf_command_writes_approved_version(approved_a, tmp_path):
    out = tmp_path / "rapport.pdf"
    stdout = io.StringIO()
    call_command("report_pdf", "alfa", str(YEAR), "1", "-o", str(out), stdout=stdout)
    content = out.read_bytes()
    assert content.startswith(b"%PDF-")
    assert "version 1 (godkänd)" in stdout.getvalue()
    assert hashlib.sha256(content).hexdigest() in stdout.getvalue()


def test_report_pdf_command_without_report_fails_in_swedish(world):
    with pytest.raises(CommandError, match="har ingen tertialrapport T2 2026"):
        call_command("report_pdf", "alfa", str(YEAR), "2", "-o", "/dev/null")


def test_pdf_with_chart_fits_the_page_and_is_laid_out_once(sent_a, forbund_a, alice, enqueued, monkeypatch):
    # The economy chart is drawn as inline SVG in the PDF. A chart box wider than the text area
    # makes html_to_pdf lay the whole report out a second time (the slow path for overlong words).
    from apps.reports import pdf

    renders = []
    original = pdf._render

    def counting(html, **kwargs):
        document = original(html, **kwargs)
        renders.append((html, document))
        return document

    monkeypatch.setattr(pdf, "_render", counting)
    _, version = sent_a
    _render(forbund_a, alice, version)
    assert len(renders) == 1
    html, document = renders[0]
    assert 'class="report-chart__svg"' in html  # the chart is in the document
    assert not pdf.wider_than_page(document)
