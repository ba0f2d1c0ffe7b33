"""Celery is configured so that a task survives a dying worker and cannot run forever."""

from samordning.celery import app


def test_celery_acks_late_and_requeues_on_lost_worker():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_celery_tasks_have_time_limits():
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_celery_prefetches_one_task_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1
