"""Generated documents: idempotent requests, rendering, failure and retry, redelivery, freezing."""

from __future__ import annotations

from unittest import mock

import pytest

from apps.insatser import services as insatser_services
from apps.insatser.models import InsatsYear
from apps.plans import services as plan_services
from apps.plans.models import PlanSection
from apps.reports import services
from apps.reports.models import DocumentStatus, GeneratedDocument
from apps.reports.tasks import render_plan_pdf


@pytest.fixture
def enqueued():
    """The (document_id, forbund_id) of every task that would be sent to the broker."""
    calls = []
    with mock.patch.object(render_plan_pdf, "delay", side_effect=lambda **kw: calls.append(kw)):
        yield calls


def request(forbund, actor, version, in_scope, capture):
    with capture(execute=True), in_scope(forbund):
        return services.document_request(forbund=forbund, actor=actor, version=version)


def test_document_request_twice_is_one_document_and_one_task(
    docs, forbund_a, alice, in_scope, enqueued, django_capture_on_commit_callbacks
):
    first = request(forbund_a, alice, docs["alfa"], in_scope, django_capture_on_commit_callbacks)
    second = request(forbund_a, alice, docs["alfa"], in_scope, django_capture_on_commit_callbacks)
    with in_scope(forbund_a):
        count = GeneratedDocument.objects.count()
    assert first.pk == second.pk
    assert count == 1
    assert enqueued == [{"document_id": first.pk, "forbund_id": forbund_a.pk}]


def test_document_request_in_noise_forbund_is_its_own_document(
    docs, forbund_a, forbund_b, alice, charlie, in_scope, enqueued, django_capture_on_commit_callbacks
):
    mine = request(forbund_a, alice, docs["alfa"], in_scope, django_capture_on_commit_callbacks)
    theirs = request(forbund_b, charlie, docs["beta"], in_scope, django_capture_on_commit_callbacks)
    with in_scope(forbund_a):
        visible = list(GeneratedDocument.objects.values_list("pk", flat=True))
    assert mine.pk != theirs.pk
    assert visible == [mine.pk]


def test_document_request_records_who_and_status(docs, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
    assert document.status == DocumentStatus.PENDING
    assert document.requested_by == alice
    assert len(document.data_version) == 64


def test_task_renders_and_stores_file_size_sha_pages(docs, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
    assert render_plan_pdf(document_id=document.pk, forbund_id=forbund_a.pk) == "done"
    with in_scope(forbund_a):
        document.refresh_from_db()
        content = document.file.read()
    import hashlib

    assert document.status == DocumentStatus.DONE
    assert content.startswith(b"%PDF-")
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.pages >= 4
    assert document.attempts == 1
    assert f"documents/{forbund_a.pk}/" in document.file.name


def test_task_on_done_document_does_not_render_again(docs, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
    render_plan_pdf(document_id=document.pk, forbund_id=forbund_a.pk)
    with mock.patch("apps.reports.pdf.version_pdf", side_effect=AssertionError("rendered twice")):
        assert render_plan_pdf(document_id=document.pk, forbund_id=forbund_a.pk) == "skipped"
    with in_scope(forbund_a):
        document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.attempts == 1


def test_task_redelivered_while_running_finishes_the_job(docs, forbund_a, alice, in_scope, enqueued):
    # A worker died mid-job: the row says running, the broker delivers the task again.
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
        GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.RUNNING, attempts=1)
    assert render_plan_pdf(document_id=document.pk, forbund_id=forbund_a.pk) == "done"
    with in_scope(forbund_a):
        document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.attempts == 2


def test_task_gives_up_after_max_attempts(docs, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.RUNNING, attempts=services.MAX_ATTEMPTS
        )
    assert render_plan_pdf(document_id=document.pk, forbund_id=forbund_a.pk) == "skipped"
    with in_scope(forbund_a):
        document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "försök" in document.error


def test_task_failure_marks_failed_with_swedish_message(docs, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
    with mock.patch("apps.reports.pdf.version_pdf", side_effect=RuntimeError("pango exploded")):
        assert render_plan_pdf(document_id=document.pk, forbund_id=forbund_a.pk) == "failed"
    with in_scope(forbund_a):
        document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == services.FAILED_MESSAGE
    assert not document.file


def test_document_request_after_failure_retries_the_same_document(
    docs, forbund_a, alice, in_scope, enqueued, django_capture_on_commit_callbacks
):
    first = request(forbund_a, alice, docs["alfa"], in_scope, django_capture_on_commit_callbacks)
    with mock.patch("apps.reports.pdf.version_pdf", side_effect=RuntimeError("boom")):
        render_plan_pdf(document_id=first.pk, forbund_id=forbund_a.pk)
    again = request(forbund_a, alice, docs["alfa"], in_scope, django_capture_on_commit_callbacks)
    assert again.pk == first.pk
    assert again.status == DocumentStatus.PENDING
    assert again.error == ""
    assert len(enqueued) == 2
    assert render_plan_pdf(document_id=first.pk, forbund_id=forbund_a.pk) == "done"


def test_adopted_pdf_is_unchanged_after_insats_change(adopted, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        first = services.document_request(forbund=forbund_a, actor=alice, version=adopted["alfa"])
    render_plan_pdf(document_id=first.pk, forbund_id=forbund_a.pk)
    with in_scope(forbund_a):
        first.refresh_from_db()
        row = InsatsYear.objects.filter(insats=adopted["alfa_data"]["running"]).get()
        insatser_services.insats_year_update(
            forbund=forbund_a, actor=alice, insats_year=row, budget_amount=9_999_000
        )
        again = services.document_request(forbund=forbund_a, actor=alice, version=adopted["alfa"])
        content = again.file.read()
    import hashlib

    assert again.pk == first.pk
    assert again.sha256 == first.sha256 == hashlib.sha256(content).hexdigest()


def test_draft_change_makes_a_new_document(docs, forbund_a, alice, in_scope, enqueued):
    with in_scope(forbund_a):
        first = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
        section = PlanSection.objects.filter(version=docs["alfa"], kind="narrative").first()
        plan_services.section_update(
            forbund=section.forbund,
            section=section,
            actor=alice,
            title=section.title,
            body_markdown="Ny text.",
        )
        second = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
    assert second.pk != first.pk
    assert second.data_version != first.data_version
