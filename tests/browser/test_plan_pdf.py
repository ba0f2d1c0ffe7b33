"""In the browser: from "create plan" to "download PDF", as förbundschef and as revisor.

The förbundschef creates the plan, sends it på remiss and adopts it, then asks for the PDF: the
request returns at once, the panel shows progress, and htmx polling brings the download link
with size and SHA-256 without a reload. The Celery task is run by a real worker thread
(celery.contrib.testing.worker.start_worker) against Redis, started only after the progress
state has been checked, so that state is deterministic. The revisor then sees the same stored
document and downloads it; a draft's PDF is 404 to the revisor. Every state passes axe-core.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
from unittest import mock

import pytest
import redis
from playwright.sync_api import expect

from apps.plans import services as plan_services
from apps.plans.models import Plan
from apps.reports import services as report_services
from apps.reports.models import DocumentStatus, GeneratedDocument
from apps.reports.tasks import render_plan_pdf
from apps.tenancy.scope import tenant_scope
from tests.plans.conftest import make_plan

from .conftest import TIMEOUT_MS
from .helpers import assert_page_ok, log_in, path_of

pytestmark = pytest.mark.browser

YEAR = datetime.date.today().year + 1
ADOPTED_ON = f"{YEAR - 1}-11-30"
# Rendering runs in a worker thread next to the live server: give it room beyond auto-waiting.
RENDER_TIMEOUT_MS = 60_000
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _label(text: str) -> re.Pattern:
    """A field's accessible name starts with its label; required fields add "(obligatoriskt)"."""
    return re.compile(rf"^{re.escape(text)}( \(obligatoriskt\))?$")


def _tab_to(page, locator, limit: int = 150) -> None:
    """Press Tab until the locator has focus (fails if it never does)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{locator} was not reached with Tab in {limit} presses", pytrace=False)


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored PDFs go to a temporary MEDIA_ROOT (the live server and the worker share the process)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def queue():
    """A queue of this test's own on the Redis broker: the task is sent there, not to "celery"."""
    from samordning.celery import app

    name = f"test-browser-pdf-{uuid.uuid4().hex[:8]}"
    with mock.patch.object(
        render_plan_pdf,
        "delay",
        side_effect=lambda **kw: render_plan_pdf.apply_async(kwargs=kw, queue=name),
    ):
        yield name
    # Jobs left unrun (the keyboard test) and kombu's bindings for the queue: gone from Redis.
    broker = redis.Redis.from_url(app.conf.broker_url)
    try:
        broker.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
        stale = [m for m in broker.zrange("_kombu.binding_deadlines", 0, -1) if name.encode() in m]
        if stale:
            broker.zrem("_kombu.binding_deadlines", *stale)
    finally:
        broker.close()


@pytest.fixture
def people(transactional_db, live_server, media_root, forbund_a, forbund_b, alice, bob):
    """Alice (förbundschef) and Bob (revisor) in A with plan data for YEAR; a noise plan in B."""
    make_plan(forbund_a, year=YEAR)
    with tenant_scope(forbund_b):
        plan_services.plan_create(forbund=forbund_b, actor=None, year=YEAR)
    return {"alice": alice, "bob": bob}


def _documents(forbund) -> list[GeneratedDocument]:
    with tenant_scope(forbund):
        return list(GeneratedDocument.objects.filter(forbund=forbund).order_by("id"))


def _download(page, link) -> bytes:
    """Click the download link and return the file's bytes."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    with open(download.path(), "rb") as handle:
        return handle.read()


def test_pdf_from_new_plan_to_download_as_forbundschef_and_revisor(
    page, chromium, live_server, people, queue, forbund_a
):
    from celery.contrib.testing.worker import start_worker

    from samordning.celery import app

    log_in(page, "alice@alfa.se")

    # Create, send på remiss and adopt, as a förbundschef does.
    page.goto("/f/alfa/plan/")
    page.get_by_label(_label("År")).fill(str(YEAR))
    page.get_by_role("button", name="Skapa plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Verksamhetsplan {YEAR}")
    page.get_by_role("button", name="Skicka på remiss").click()
    expect(page.locator("main .notice").filter(has_text="Planen är på remiss")).to_have_count(1)
    page.get_by_role("link", name="Fastställ", exact=True).click()
    page.get_by_label(_label("Beslutsdatum")).fill(ADOPTED_ON)
    page.get_by_label(_label("Paragraf i protokollet")).fill("§ 45")
    page.get_by_role("button", name="Fastställ").click()
    expect(page.locator(".plan-cover__status")).to_contain_text(f"Fastställd av styrelsen {ADOPTED_ON}")
    version_path = path_of(page.url)

    # The panel is loaded into the version page by htmx; no document yet.
    panel = page.locator("section#pdf-panel")
    expect(panel).to_contain_text("Ingen PDF har skapats av den här versionen ännu.")
    assert_page_ok(page, "adopted version, no PDF yet")

    # Ask for the PDF: the answer comes at once (no worker is running yet), the panel shows progress.
    page.get_by_role("button", name="Skapa PDF", exact=True).click()
    expect(panel).to_contain_text("PDF:en väntar på att skapas")
    expect(panel).to_have_attribute("hx-trigger", "every 2s")
    expect(panel.get_by_role("link", name=re.compile("^Ladda ner PDF"))).to_have_count(0)
    assert path_of(page.url) == version_path
    assert_page_ok(page, "PDF in progress")
    [document] = _documents(forbund_a)
    assert document.status == DocumentStatus.PENDING

    # Asking again (a second tab, say) gives the same document, not a second job.
    with tenant_scope(forbund_a):
        version = Plan.objects.get(forbund=forbund_a, year=YEAR).versions.get(number=1)
        again = report_services.document_request(forbund=forbund_a, actor=people["alice"], version=version)
    assert again.pk == document.pk

    # A real worker thread takes the job from Redis; polling shows the result without a reload.
    page.evaluate("() => { window.__notReloaded = true; }")
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        download_link = panel.get_by_role("link", name=re.compile("^Ladda ner PDF"))
        expect(download_link).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"
    expect(panel).not_to_have_attribute("hx-trigger", re.compile("every"))
    [document] = _documents(forbund_a)
    assert document.status == DocumentStatus.DONE
    assert document.attempts == 1
    expect(download_link).to_have_text(f"Ladda ner PDF (verksamhetsplan-{YEAR}-version-1.pdf)")
    shown_sha = panel.locator(".pdf-panel__hash").inner_text().strip()
    assert SHA256.match(shown_sha) and shown_sha == document.sha256
    expect(panel).to_contain_text(f"({document.size} byte)")
    expect(panel).to_contain_text(people["alice"].get_full_name() or people["alice"].username)
    assert_page_ok(page, "PDF done")

    content = _download(page, download_link)
    assert content.startswith(b"%PDF")
    assert len(content) == document.size
    assert hashlib.sha256(content).hexdigest() == shown_sha

    # A draft (version 2) with a stored PDF of its own, for the revisor's 404 below.
    page.get_by_role("button", name="Revidera (ny version)").click()
    expect(page.locator(".plan-cover__status")).to_contain_text("Version 2 – utkast")
    with tenant_scope(forbund_a):
        draft = Plan.objects.get(forbund=forbund_a, year=YEAR).versions.get(number=2)
        with mock.patch.object(report_services, "_enqueue"):
            draft_document = report_services.document_request(
                forbund=forbund_a, actor=people["alice"], version=draft
            )
        report_services.document_render(
            document=report_services.document_start(document_id=draft_document.pk)
        )
        draft_document.refresh_from_db()
    assert draft_document.status == DocumentStatus.DONE
    draft_url = f"/f/alfa/dokument/{draft_document.public_id}/ladda-ner/"
    assert page.request.get(draft_url).status == 200  # the förbundschef may read drafts

    # The revisor, in a browser context of its own: the same stored document, downloadable.
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        auditor = context.new_page()
        log_in(auditor, "bob@alfa.se")
        auditor.goto(version_path)
        auditor_panel = auditor.locator("section#pdf-panel")
        auditor_link = auditor_panel.get_by_role("link", name=re.compile("^Ladda ner PDF"))
        expect(auditor_link).to_be_visible()
        expect(auditor_panel.locator(".pdf-panel__hash")).to_have_text(shown_sha)
        assert_page_ok(auditor, "adopted version with PDF as revisor")
        auditor_content = _download(auditor, auditor_link)
        assert hashlib.sha256(auditor_content).hexdigest() == shown_sha
        assert auditor_content == content

        # The draft's PDF does not exist for the revisor; nor does its panel.
        response = auditor.goto(draft_url)
        assert response is not None and response.status == 404
        expect(auditor.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
        assert auditor.request.get(f"/f/alfa/dokument/plan/{draft.public_id}/").status == 404
    finally:
        context.close()
    assert len(_documents(forbund_a)) == 2


def test_create_pdf_button_reached_with_tab_and_pressed_with_enter(page, people, queue, forbund_a):
    with tenant_scope(forbund_a):
        plan = plan_services.plan_create(forbund=forbund_a, actor=None, year=YEAR)
        version = plan.versions.get()
        plan_services.version_send_to_remiss(forbund=version.forbund, version=version, actor=None)
        plan_services.version_adopt(
            forbund=version.forbund,
            version=version,
            actor=None,
            adopted_on=datetime.date(YEAR - 1, 11, 30),
            decision_paragraph="§ 45",
        )
    log_in(page, "alice@alfa.se")
    page.goto(f"/f/alfa/plan/v/{version.public_id}/")
    button = page.get_by_role("button", name="Skapa PDF", exact=True)
    expect(button).to_be_visible()
    _tab_to(page, button)
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("section#pdf-panel")).to_contain_text("PDF:en väntar på att skapas")
    assert path_of(page.url) == f"/f/alfa/plan/v/{version.public_id}/"
    assert [d.status for d in _documents(forbund_a)] == [DocumentStatus.PENDING]
