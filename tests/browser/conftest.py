"""Browser tests: Debian's Chromium driven by Playwright (sync API) against live_server.

One browser for the whole session, a fresh context (cookies, storage) per test. Every test
gets the demo data afresh: live_server needs a transactional database, which is flushed
after each test. The demo is loaded once; later tests get its rows copied back.
"""

from __future__ import annotations

import contextlib
import io
import os

import pytest
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM
# calls there (SynchronousOnlyOperation). The loop never runs our ORM code concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home, and the network is closed: slow start-up, noise.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Auto-waiting covers the slow cases; anything slower than this is a hang, not a wait.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def _chromium_missing_message() -> str:
    return f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install chromium`"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, launched once per session."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            # In CI a missing browser must never turn the accessibility gate into a skip.
            pytest.fail(_chromium_missing_message(), pytrace=False)
        pytest.skip(_chromium_missing_message())

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium, live_server):
    """A page in a fresh browser context whose relative URLs go to the live server."""
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


# The demo's rows, kept after the first load in a schema of their own (the app role has no
# rights on it) and copied back for each later test: loading the demo takes 5-15 seconds,
# copying its rows back well under one.
SNAPSHOT_SCHEMA = "browser_demo_snapshot"


@contextlib.contextmanager
def _superuser():
    """The admin login as a raw autocommit connection, or None unless it is a superuser.

    Only a superuser reads every förbund's rows past row-level security and may turn the
    triggers off while the rows are copied back (they were audited when first written).
    """
    from apps.tenancy import dbroles
    from samordning.db import logins

    with dbroles.raw_connection(logins.ADMIN) as raw:
        superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        yield raw if raw is not None and raw.execute(superuser).fetchone()[0] else None


def _tables(raw, schema: str) -> list[str]:
    rows = raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [schema])
    return [name for (name,) in rows.fetchall()]


# What post_migrate makes again after every flush (under new ids): the snapshot's rows, to
# which the demo's rows refer, take their place.
REMADE_AFTER_FLUSH = {"django_content_type", "auth_permission"}


def _model_tables(raw) -> list[str]:
    """The models' tables (those flush empties) that exist in public."""
    from django.db import connection

    models = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
    return sorted(models & set(_tables(raw, "public")))


def _filled(raw, tables) -> list[str]:
    from psycopg import sql

    exists = "SELECT EXISTS (SELECT 1 FROM {})"
    return [
        t for t in tables if raw.execute(sql.SQL(exists).format(sql.Identifier("public", t))).fetchone()[0]
    ]


def _flushed(raw) -> bool:
    """True when no table holds rows but those post_migrate made again after the flush."""
    return set(_filled(raw, _model_tables(raw))) <= REMADE_AFTER_FLUSH


def _take_snapshot(raw, snapshot: dict) -> None:
    """Copy every non-empty table of the models into SNAPSHOT_SCHEMA."""
    from psycopg import sql

    schema = sql.Identifier(SNAPSHOT_SCHEMA)
    with raw.transaction():
        raw.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(schema))
        raw.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
        kept = _filled(raw, _model_tables(raw))
        for table in kept:
            copy, source = sql.Identifier(SNAPSHOT_SCHEMA, table), sql.Identifier("public", table)
            raw.execute(sql.SQL("CREATE TABLE {} AS SELECT * FROM {}").format(copy, source))
    snapshot["tables"] = kept


def _restore_snapshot(raw, snapshot: dict) -> None:
    """Put the demo's rows back into the flushed tables.

    Sequences were not reset by flush, so new rows never take a snapshot row's id. Caches that
    could hold something of an earlier test's demo (the same ids again) are cleared.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from psycopg import sql

    with raw.transaction():
        raw.execute("SET LOCAL session_replication_role = replica")  # no triggers: audited once
        for table in snapshot["tables"]:
            target = sql.Identifier("public", table)
            if table in REMADE_AFTER_FLUSH:
                raw.execute(sql.SQL("DELETE FROM {}").format(target))
            source = sql.Identifier(SNAPSHOT_SCHEMA, table)
            raw.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(target, source))
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The tables the demo filled, once a test has loaded it onto flushed tables."""
    snapshot: dict = {}
    yield snapshot
    if snapshot.get("tables") is not None:
        from psycopg import sql

        with django_db_blocker.unblock(), _superuser() as raw:
            if raw is not None:
                raw.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SNAPSHOT_SCHEMA))
                )


@pytest.fixture
def demo(transactional_db, live_server, demo_snapshot):
    """The demo förbund samo, vastra and solleftea with their <role>@<slug> users.

    The first test loads the demo; later ones get the same rows copied back (see
    SNAPSHOT_SCHEMA), unless there is no superuser login to copy with or the tables hold
    other rows already; then the demo is loaded as before.
    """
    from django.test import override_settings

    from apps.demo.loader import load_demo

    with _superuser() as raw:
        # Only onto flushed tables: nothing may refer to the content types it replaces.
        flushed = raw is not None and _flushed(raw)
        if flushed and demo_snapshot.get("tables"):
            _restore_snapshot(raw, demo_snapshot)
            return
        # Demo accounts have a known password: the loader is for DEBUG only (the command
        # refuses otherwise), so it runs here as it would in development.
        with override_settings(DEBUG=True):
            load_demo(stdout=io.StringIO())
        if flushed and "tables" not in demo_snapshot:
            _take_snapshot(raw, demo_snapshot)
