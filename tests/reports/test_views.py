"""Document pages: ask (returns at once), poll the panel, download; who may see what."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.reports import services
from apps.reports.models import DocumentStatus, GeneratedDocument
from apps.reports.tasks import render_plan_pdf


@pytest.fixture
def enqueued():
    calls = []
    with mock.patch.object(render_plan_pdf, "delay", side_effect=lambda **kw: calls.append(kw)):
        yield calls


def panel_url(version):
    return reverse("reports:document_panel", args=["alfa", version.public_id])


def create_url(version):
    return reverse("reports:document_create", args=["alfa", version.public_id])


def done_document(forbund, actor, version, in_scope):
    with in_scope(forbund):
        document = services.document_request(forbund=forbund, actor=actor, version=version)
    render_plan_pdf(document_id=document.pk, forbund_id=forbund.pk)
    with in_scope(forbund):
        document.refresh_from_db()
    return document


def test_document_create_returns_polling_panel_at_once(
    docs, alice, client_for, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(create_url(docs["alfa"]), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in body
    assert "väntar på att skapas" in body
    assert len(enqueued) == 1


def test_document_create_without_htmx_redirects_to_panel_page(docs, alice, client_for, enqueued):
    response = client_for(alice).post(create_url(docs["alfa"]))
    assert response.status_code == 302
    assert response.url == panel_url(docs["alfa"])


def test_document_panel_done_shows_download_sha_and_stops_polling(
    docs, forbund_a, alice, client_for, in_scope, enqueued
):
    document = done_document(forbund_a, alice, docs["alfa"], in_scope)
    body = client_for(alice).get(panel_url(docs["alfa"]), headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in body
    assert document.sha256 in body
    assert reverse("reports:document_download", args=["alfa", document.public_id]) in body
    assert alice.get_full_name() in body
    assert f"{document.size} byte" in body


def test_document_panel_failed_shows_message_and_retry(
    docs, forbund_a, alice, client_for, in_scope, enqueued
):
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
        services.document_fail(document_id=document.pk)
    body = client_for(alice).get(panel_url(docs["alfa"]), headers={"HX-Request": "true"}).content.decode()
    assert services.FAILED_MESSAGE in body
    assert "Försök igen" in body


def test_document_panel_page_without_htmx_has_one_h1(docs, alice, client_for):
    body = client_for(alice).get(panel_url(docs["alfa"])).content.decode()
    assert body.count("<h1") == 1
    assert "Skapa PDF" in body


def test_version_page_loads_the_pdf_panel(docs, alice, client_for):
    url = reverse("plans:version_detail", args=["alfa", docs["alfa"].public_id])
    body = client_for(alice).get(url).content.decode()
    assert panel_url(docs["alfa"]) in body


def test_document_download_streams_pdf_as_attachment(docs, forbund_a, alice, client_for, in_scope, enqueued):
    document = done_document(forbund_a, alice, docs["alfa"], in_scope)
    response = client_for(alice).get(reverse("reports:document_download", args=["alfa", document.public_id]))
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="verksamhetsplan-2026-version-1.pdf"'
    assert len(content) == document.size


def test_document_download_of_draft_by_revisor_is_404(
    docs, forbund_a, alice, bob, client_for, in_scope, enqueued
):
    document = done_document(forbund_a, alice, docs["alfa"], in_scope)
    response = client_for(bob).get(reverse("reports:document_download", args=["alfa", document.public_id]))
    assert response.status_code == 404


def test_document_download_of_adopted_by_revisor_is_allowed(
    adopted, forbund_a, alice, bob, client_for, in_scope, enqueued
):
    document = done_document(forbund_a, alice, adopted["alfa"], in_scope)
    response = client_for(bob).get(reverse("reports:document_download", args=["alfa", document.public_id]))
    assert response.status_code == 200


def test_document_panel_of_draft_by_revisor_is_404(docs, bob, client_for):
    assert client_for(bob).get(panel_url(docs["alfa"])).status_code == 404
    assert client_for(bob).post(create_url(docs["alfa"])).status_code == 404


def test_document_create_of_adopted_by_revisor_is_allowed(adopted, bob, client_for, enqueued):
    response = client_for(bob).post(create_url(adopted["alfa"]), headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_document_pages_for_outsider_are_404(docs, forbund_a, alice, charlie, client_for, in_scope, enqueued):
    document = done_document(forbund_a, alice, docs["alfa"], in_scope)
    client = client_for(charlie)
    assert client.get(panel_url(docs["alfa"])).status_code == 404
    assert client.post(create_url(docs["alfa"])).status_code == 404
    assert (
        client.get(reverse("reports:document_download", args=["alfa", document.public_id])).status_code == 404
    )


def test_document_download_of_unknown_id_is_404(docs, alice, client_for):
    response = client_for(alice).get(reverse("reports:document_download", args=["alfa", uuid.uuid4()]))
    assert response.status_code == 404


def _add_documents(forbund, version, actor, count, in_scope, prefix):
    with in_scope(forbund):
        for i in range(count):
            GeneratedDocument.objects.create(
                forbund=forbund,
                plan_version=version,
                data_version=f"{prefix}{i:063d}",
                status=DocumentStatus.RUNNING,
                requested_by=actor,
                requested_at=timezone.now(),
            )


def test_document_panel_query_count_is_flat(docs, forbund_a, forbund_b, alice, charlie, client_for, in_scope):
    client = client_for(alice)
    _add_documents(forbund_b, docs["beta"], charlie, 3, in_scope, "b")
    _add_documents(forbund_a, docs["alfa"], alice, 2, in_scope, "a")
    with CaptureQueriesContext(connection) as small:
        client.get(panel_url(docs["alfa"]), headers={"HX-Request": "true"})
    _add_documents(forbund_a, docs["alfa"], alice, 10, in_scope, "c")
    with CaptureQueriesContext(connection) as large:
        client.get(panel_url(docs["alfa"]), headers={"HX-Request": "true"})
    assert len(small.captured_queries) == len(large.captured_queries)
