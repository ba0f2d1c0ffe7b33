"""The task run by real Celery workers against Redis: in a thread, and a killed prefork child.

Transactional tests: the rows are committed, so the worker's own connections see them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from apps.plans import services as plan_services
from apps.reports import services
from apps.reports.models import DocumentStatus, GeneratedDocument
from apps.reports.tasks import render_plan_pdf
from samordning.db import logins

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(forbund, in_scope, document_id, statuses, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with in_scope(forbund):
            document = GeneratedDocument.objects.get(pk=document_id)
        if document.status in statuses:
            return document
        time.sleep(0.05)
    raise AssertionError(f"status {document.status} after {timeout} s, wanted {statuses}")


def test_worker_thread_renders_requested_pdf_via_redis(docs, forbund_a, alice, in_scope):
    from celery.contrib.testing.worker import start_worker

    from samordning.celery import app

    queue = f"test-pdf-{uuid.uuid4().hex[:8]}"
    with mock.patch.object(
        render_plan_pdf,
        "delay",
        side_effect=lambda **kw: render_plan_pdf.apply_async(kwargs=kw, queue=queue),
    ):
        with in_scope(forbund_a):  # commits: on_commit sends the task to Redis
            document = services.document_request(forbund=forbund_a, actor=alice, version=docs["alfa"])
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        document = wait_for(
            forbund_a, in_scope, document.pk, {DocumentStatus.DONE, DocumentStatus.FAILED}, 90
        )
    assert document.status == DocumentStatus.DONE
    assert document.pages >= 4
    assert len(document.sha256) == 64


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.fixture
def big_docs(docs, forbund_a, alice, in_scope):
    """A long draft in A (many pages) so the render takes long enough to be killed mid-job."""
    text = "\n\n".join(
        f"Stycke {i}: förbundet arbetar med samordnad rehabilitering för personer som står långt "
        "från arbetsmarknaden, tillsammans med Försäkringskassan, Arbetsförmedlingen, region och "
        "kommuner. " * 6
        for i in range(12)
    )
    with in_scope(forbund_a):
        for n in range(25):
            plan_services.section_create(
                forbund=docs["alfa"].forbund,
                version=docs["alfa"],
                actor=alice,
                title=f"Fördjupning {n}",
                body_markdown=text,
            )
    return docs


def test_worker_killed_mid_job_is_redelivered_and_finishes(big_docs, forbund_a, alice, in_scope, tmp_path):
    queue = f"test-pdf-kill-{uuid.uuid4().hex[:8]}"
    with mock.patch.object(services, "_enqueue"):
        with in_scope(forbund_a):
            document = services.document_request(forbund=forbund_a, actor=alice, version=big_docs["alfa"])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samordning.settings.test",
        # The test database as this process reaches it: login, password, host or socket
        # directory, port and options (the embedded PostgreSQL has only a socket).
        "DATABASE_URL": logins.database_url(connection.settings_dict),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "samordning", "worker", "--pool=prefork", "--concurrency=1",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        render_plan_pdf.apply_async(
            kwargs={"document_id": document.pk, "forbund_id": forbund_a.pk}, queue=queue
        )
        wait_for(forbund_a, in_scope, document.pk, {DocumentStatus.RUNNING}, 60)
        children = _children(worker.pid)
        assert children, "the prefork worker has no child process"
        for child in children:
            os.kill(child, signal.SIGKILL)
        document = wait_for(
            forbund_a, in_scope, document.pk, {DocumentStatus.DONE, DocumentStatus.FAILED}, 120
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log.close()
    output = (tmp_path / "worker.log").read_text()
    assert document.status == DocumentStatus.DONE, output[-3000:]
    assert document.attempts == 2, output[-3000:]
    assert "WorkerLostError" in output or "exited with 'signal 9" in output
