"""The PDF panel offers exactly the document of the version's current content and state.

The two sequences a new user met: (a) a PDF made på remiss, offered after adoption labelled
"fastställd"; (b) an edit made and undone, with the panel still on the PDF with the edit.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils.cache import get_max_age

from apps.plans import services as plan_services
from apps.plans.models import PlanSection, VersionStatus
from apps.reports import pdf, selectors, services
from apps.reports.tasks import render_plan_pdf
from tests.reports.conftest import ADOPTED

HISTORY = 'id="pdf-history-heading"'


@pytest.fixture
def enqueued():
    calls = []
    with mock.patch.object(render_plan_pdf, "delay", side_effect=lambda **kw: calls.append(kw)):
        yield calls


def panel(version):
    return f"/f/alfa/dokument/plan/{version.public_id}/"


def download(document):
    return f"/f/alfa/dokument/{document.public_id}/ladda-ner/"


def made(forbund, actor, version, in_scope):
    """Request the version's PDF and run the task, as the worker would."""
    with in_scope(forbund):
        document = services.document_request(forbund=forbund, actor=actor, version=version)
    render_plan_pdf(document_id=document.pk, forbund_id=forbund.pk)
    with in_scope(forbund):
        document.refresh_from_db()
    return document


def current(forbund, version, in_scope):
    with in_scope(forbund):
        version.refresh_from_db()
        key = pdf.version_content_key(version=version)
        return selectors.current_document(version=version, data_version=key), selectors.document_history(
            version=version, data_version=key
        )


def send_to_remiss(forbund, actor, version, in_scope):
    with in_scope(forbund):
        plan_services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)


def adopt(forbund, actor, version, in_scope):
    with in_scope(forbund):
        version.refresh_from_db()
        plan_services.version_adopt(
            forbund=version.forbund,
            version=version,
            actor=actor,
            adopted_on=ADOPTED,
            decision_paragraph="§ 45",
            adopted_by="styrelsen",
        )


def edit(forbund, actor, version, in_scope, text):
    with in_scope(forbund):
        section = PlanSection.objects.filter(version=version, kind="narrative").order_by("position").first()
        plan_services.section_update(
            forbund=section.forbund, section=section, actor=actor, title=section.title, body_markdown=text
        )


def narrative(forbund, version, in_scope):
    with in_scope(forbund):
        return PlanSection.objects.filter(version=version, kind="narrative").order_by("position").first()


def test_content_key_differs_by_state_alone(docs, forbund_a, in_scope):
    version = docs["alfa"]
    with in_scope(forbund_a):
        html = pdf.version_html(version=version)
        draft = pdf.content_key(version=version, html=html)
        version.status = VersionStatus.PA_REMISS
        remiss = pdf.content_key(version=version, html=html)
    assert draft != remiss


def test_document_records_the_state_it_shows(docs, forbund_a, alice, in_scope, enqueued):
    send_to_remiss(forbund_a, alice, docs["alfa"], in_scope)
    document = made(forbund_a, alice, docs["alfa"], in_scope)
    assert document.version_status == VersionStatus.PA_REMISS


def test_remiss_pdf_is_not_the_adopted_versions_pdf(
    docs, forbund_a, forbund_b, alice, charlie, in_scope, enqueued
):
    made(forbund_b, charlie, docs["beta"], in_scope)  # noise
    send_to_remiss(forbund_a, alice, docs["alfa"], in_scope)
    remiss = made(forbund_a, alice, docs["alfa"], in_scope)
    adopt(forbund_a, alice, docs["alfa"], in_scope)
    document, history = current(forbund_a, docs["alfa"], in_scope)
    assert document is None
    assert history == [remiss]
    adopted = made(forbund_a, alice, docs["alfa"], in_scope)
    assert adopted.pk != remiss.pk
    assert adopted.version_status == VersionStatus.FASTSTALLD
    assert current(forbund_a, docs["alfa"], in_scope) == (adopted, [remiss])


def test_undone_edit_finds_the_older_document_again(docs, forbund_a, alice, in_scope, enqueued):
    original = narrative(forbund_a, docs["alfa"], in_scope).body_markdown
    first = made(forbund_a, alice, docs["alfa"], in_scope)
    edit(forbund_a, alice, docs["alfa"], in_scope, "Tillfällig ändring.")
    edited = made(forbund_a, alice, docs["alfa"], in_scope)
    edit(forbund_a, alice, docs["alfa"], in_scope, original)
    assert current(forbund_a, docs["alfa"], in_scope) == (first, [edited])
    assert made(forbund_a, alice, docs["alfa"], in_scope).pk == first.pk


def test_panel_after_adoption_offers_no_remiss_pdf_as_adopted(
    docs, forbund_a, alice, client_for, in_scope, enqueued
):
    send_to_remiss(forbund_a, alice, docs["alfa"], in_scope)
    remiss = made(forbund_a, alice, docs["alfa"], in_scope)
    adopt(forbund_a, alice, docs["alfa"], in_scope)
    client = client_for(alice)
    body = client.get(panel(docs["alfa"]), headers={"HX-Request": "true"}).content.decode()
    assert "Ingen PDF av versionens nuvarande innehåll ännu" in body
    assert "(fastställd)" not in body
    assert remiss.sha256 not in body.split(HISTORY)[0]
    assert "visar på remiss" in body.split(HISTORY)[1]
    assert download(remiss) in body

    client.post(f"{panel(docs['alfa'])}skapa/", headers={"HX-Request": "true"})
    adopted = made(forbund_a, alice, docs["alfa"], in_scope)
    body = client.get(panel(docs["alfa"]), headers={"HX-Request": "true"}).content.decode()
    offered, older = body.split(HISTORY)
    assert download(adopted) in offered and adopted.sha256 in offered
    assert "1 (fastställd)" in offered
    assert download(remiss) in older and download(remiss) not in offered


def test_panel_after_undone_edit_offers_the_older_document(
    docs, forbund_a, alice, client_for, in_scope, enqueued
):
    original = narrative(forbund_a, docs["alfa"], in_scope).body_markdown
    first = made(forbund_a, alice, docs["alfa"], in_scope)
    edit(forbund_a, alice, docs["alfa"], in_scope, "Tillfällig ändring.")
    edited = made(forbund_a, alice, docs["alfa"], in_scope)
    client = client_for(alice)
    body = client.get(panel(docs["alfa"]), headers={"HX-Request": "true"}).content.decode()
    assert download(edited) in body.split(HISTORY)[0]

    edit(forbund_a, alice, docs["alfa"], in_scope, original)
    response = client.post(f"{panel(docs['alfa'])}skapa/", headers={"HX-Request": "true"})
    offered, older = response.content.decode().split(HISTORY)
    assert download(first) in offered and first.sha256 in offered
    assert download(edited) in older and download(edited) not in offered
    body = client.get(panel(docs["alfa"]), headers={"HX-Request": "true"}).content.decode()
    assert download(first) in body.split(HISTORY)[0]


def test_pdf_download_is_no_store(docs, forbund_a, alice, client_for, in_scope, enqueued):
    document = made(forbund_a, alice, docs["alfa"], in_scope)
    response = client_for(alice).get(download(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert get_max_age(response) == 0
