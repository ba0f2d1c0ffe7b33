"""The demo, loaded once per test module instead of once per test.

Loading the whole demo takes 5-15 seconds, and most tests here only read it (or change a row and
load again). ``demo_loaded`` loads it once for the module inside a transaction that is rolled
back when the module is done; every test that asks for it also asks for ``db``, whose
transaction is then a savepoint inside the module's one, so what a test changes is undone
before the next test, as with a fresh load.

Tests that need an empty database (the first load, the refusal without DEBUG, the plans of
förbund that do not exist) must not see a demo still loaded: within each module the tests that
use ``demo_loaded`` are moved after the others (each group keeps its order), so the module's
transaction opens only after the last test on an empty database. The order stays the same in
every run and with pytest-xdist (which sends a worker its tests in collection order).
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from apps.demo.plans import read_plan_files
from apps.plans import datasections
from apps.tenancy.models import Forbund

SLUGS = ["samo", "vastra", "solleftea"]
SHARED = "demo_loaded"
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """In each run of one module's tests here, the tests without the loaded demo first.

    Last, after pytest-django has put the database tests before the others (a module's tests
    may then stand in two or three runs; the module's transaction never outlives a run).
    """
    start = 0
    while start < len(items):
        path = Path(items[start].path).resolve()
        end = start + 1
        while end < len(items) and Path(items[end].path).resolve() == path:
            end += 1
        if HERE in path.parents:
            items[start:end] = sorted(
                items[start:end], key=lambda item: SHARED in getattr(item, "fixturenames", ())
            )
        start = end


def _stub(forbund, year):
    return {"stub": year}


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The three demo förbund, loaded through the command (DEBUG on, as in development).

    A stand-in is registered for every data key the demo plans use that no app has registered
    (none today), so that the plans are adopted as the seeds say.
    """
    used = {key for spec in read_plan_files() for _, key, *_ in spec.sections if key}
    added = [key for key in sorted(used) if datasections.get(key) is None]
    for key in added:
        datasections.register(key, key, _stub)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            with override_settings(DEBUG=True):
                call_command("load_demo", stdout=StringIO())
            try:
                yield {forbund.slug: forbund for forbund in Forbund.objects.filter(slug__in=SLUGS)}
            finally:
                transaction.set_rollback(True)
    finally:
        for key in added:
            datasections.unregister(key)
