#!/usr/bin/env python
"""make bench: build a national-scale dataset in its own database, measure pages, aggregations, PDFs.

The database is ``<name of DATABASE_URL's database>_bench`` on the same server, created at the
start and dropped at the end (the dev and test databases are never touched). The data and the
measurements are in :mod:`apps.demo.bench`. Prints a table and writes the figures as JSON to
``BENCH_OUT`` (default ``.data/bench.json``).

    python scripts/bench.py [--forbund 80] [--scale 10] [--participants 10000] [--runs 30]
                            [--plan-repeat 2] [--no-pdf] [--keep] [--reuse] [--jobs N]

``--keep`` keeps the bench database afterwards. A database whose build finished carries a
marker (a comment on the database: the shape asked for, a fingerprint of the demo files and
what was built). ``--reuse`` skips the build when the bench database exists with a marker of
the same shape, the same demo files and no unapplied migration, and only measures; otherwise
it builds as usual. A reused or reusable database is kept (``--reuse`` implies ``--keep``),
so the usual loop is one ``make bench BENCH_ARGS=--reuse`` to build and any number after it
to measure again. ``--jobs`` is how many processes load the förbund in parallel (default: the
machine's cores plus one, since each waits for the database half of the time).

Migrating takes minutes on a loaded machine, so the first build keeps its freshly migrated,
still empty database as ``<name>_bench_template``; later fresh builds copy it (and migrate
what is new). A changed migration file or package version makes a new template.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samordning.settings.development")


def _bench_url(url: str) -> tuple[str, str, str]:
    """(bench database URL, its name, the server's maintenance URL) from DATABASE_URL."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "samordning"
    bench = f"{name}_bench"  # always a database of its own, even for a database named *_bench
    return (
        urlunsplit(parts._replace(path=f"/{bench}")),
        bench,
        urlunsplit(parts._replace(path="/postgres")),
    )


def _server(maintenance_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(statement)


MARKER = "samordning-bench "
DEMO_FILES = BASE_DIR / "fixtures" / "demo"


def _shape(args) -> dict:
    """What a bench database must have been built with to be reused: the arguments, the demo files."""
    digest = hashlib.sha256()
    for path in sorted(DEMO_FILES.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(DEMO_FILES)).encode() + b"\0" + path.read_bytes())
    return {
        "forbund": args.forbund,
        "scale": args.scale,
        "participants": args.participants,
        "plan_repeat": args.plan_repeat,
        "demo_files": digest.hexdigest()[:16],
    }


def _marker(maintenance_url: str, name: str) -> dict | None:
    """The bench database's marker; None when it does not exist, {} when it has none."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if row is None:
        return None
    text = row[0] or ""
    try:
        return json.loads(text[len(MARKER) :]) if text.startswith(MARKER) else {}
    except ValueError:
        return {}


def _reusable(marker: dict | None, shape: dict) -> bool:
    """Whether a bench database with this marker holds a finished build of this shape."""
    return bool(marker) and marker.get("shape") == shape and "built" in marker


def _set_marker(maintenance_url: str, name: str, marker: dict) -> None:
    import psycopg
    from psycopg import sql

    statement = sql.SQL("COMMENT ON DATABASE {} IS {}").format(
        sql.Identifier(name), sql.Literal(MARKER + json.dumps(marker, ensure_ascii=False))
    )
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(statement)


def _quiet() -> None:
    for name in ("weasyprint", "fontTools", "django.request"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def pdf_one(kind: str, slug: str, pk: int) -> int:
    """Child process: render one document, print its figures and this process's peak RSS as JSON."""
    import django

    django.setup()
    _quiet()
    from apps.demo.bench import render_pdf

    figures = render_pdf(kind, slug, pk)
    figures["own_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forbund", type=int, default=80, help="förbund in all (default 80)")
    parser.add_argument("--scale", type=int, default=10, help="the large förbund's multiple of the 1× one")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument(
        "--plan-repeat",
        type=int,
        default=2,
        help="times the large förbund's plan repeats its sections (2 gives about 130 pages at scale 10)",
    )
    parser.add_argument("--runs", type=int, default=30, help="requests per page and size")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument(
        "--pages",
        help="measure only these key pages, comma-separated (overview, goals, …); the default is all",
    )
    parser.add_argument("--no-aggregation", action="store_true", help="skip the SQL-ratio measurements")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the kept bench database when it was built with the same shape (implies --keep)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=_cores() + 1,
        help="processes loading the förbund in parallel (default: cores + 1)",
    )
    parser.add_argument("--pdf-one", nargs=3, metavar=("KIND", "SLUG", "PK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pdf_one:
        kind, slug, pk = args.pdf_one
        return pdf_one(kind, slug, int(pk))

    source = os.environ.get("DATABASE_URL")
    if not source:
        print("DATABASE_URL saknas: starta tjänsterna (make services) eller sätt den.")
        return 1
    bench_url, bench_name, maintenance = _bench_url(source)
    shape = _shape(args)
    found = _marker(maintenance, bench_name) if args.reuse else None
    reusable = _reusable(found, shape)
    from_template = False
    keep = args.keep or args.reuse
    if reusable:
        print(f"Benchdatabas: {bench_name} (återanvänds: byggd {found.get('built_at', '?')} med samma form)")
    else:
        if args.reuse:
            why = "finns inte" if found is None else "har en annan form eller byggdes aldrig klart"
            print(f"Benchdatabas: {bench_name} {why}; den byggs om.")
        print(f"Benchdatabas: {bench_name} (skapas nu, {'behålls' if keep else 'tas bort'} efteråt)")
        from_template = _fresh(maintenance, bench_name)
    # Children (the PDF subprocesses, the build's workers) inherit the bench database, never the dev one.
    os.environ["DATABASE_URL"] = bench_url
    try:
        return _run(
            args,
            shape=shape,
            marker=found if reusable else None,
            maintenance=maintenance,
            name=bench_name,
            from_template=from_template,
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            _server(maintenance, f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')


def _migrations_fingerprint() -> str:
    """The project's migration files and the installed packages' versions, as one digest."""
    from importlib import metadata

    digest = hashlib.sha256()
    for path in sorted((BASE_DIR / "apps").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(BASE_DIR)).encode() + b"\0" + path.read_bytes())
    packages = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:16]


def _fresh(maintenance: str, name: str) -> bool:
    """An empty bench database; True when copied from the migrated template (see _save_template)."""
    template = f"{name}_template"
    found = _marker(maintenance, template)
    _server(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if found and found.get("migrations") == _migrations_fingerprint():
        _server(maintenance, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return True
    _server(maintenance, f'CREATE DATABASE "{name}"')
    return False


def _save_template(maintenance: str, name: str) -> None:
    """Keep the just-migrated, still empty bench database as ``<name>_template``.

    Migrating takes minutes on a loaded machine; the next fresh build copies the template in
    seconds (and migrates whatever is new). A changed migration file or package version makes
    a new one.
    """
    template = f"{name}_template"
    _server(maintenance, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    _server(maintenance, f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
    _set_marker(maintenance, template, {"migrations": _migrations_fingerprint()})


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _run(args, *, shape: dict, marker: dict | None, maintenance: str, name: str, from_template: bool) -> int:
    import django

    django.setup()
    _quiet()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from apps.demo import bench

    # Bench-only: 400 demo accounts with a cheap hash (the pages use force_login anyway), and
    # the test client's host allowed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if marker is not None and _pending_migrations():
        print("Benchdatabasen saknar migreringar som koden har; den byggs om.")
        connections.close_all()
        from_template = _fresh(maintenance, name)
        marker = None
    if marker is not None:
        built = bench.Built(**marker["built"])
        print(f"Data återanvänd (byggd på {built.seconds:.0f} s). Mäter …", flush=True)
    else:
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        if not from_template:
            connections.close_all()
            _save_template(maintenance, name)
        migrated = time.perf_counter() - start
        how = "från mallen" if from_template else "från början"
        print(f"Migrerat {how} på {migrated:.0f} s. Bygger data med {args.jobs} processer …", flush=True)
        built = bench.build(
            forbund_count=args.forbund,
            scale=args.scale,
            participants=args.participants,
            plan_repeat=args.plan_repeat,
            jobs=args.jobs,
        )
        key = "migrate_from_template" if from_template else "migrate"
        built.steps = {key: round(migrated, 1), **built.steps}
        built.seconds = round(built.seconds + migrated, 1)
        print(
            f"Data byggd på {built.seconds:.0f} s "
            f"({', '.join(f'{k} {v:.0f} s' for k, v in built.steps.items())})",
            flush=True,
        )
        connections.close_all()
        built_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        _set_marker(maintenance, name, {"shape": shape, "built_at": built_at, "built": built.__dict__})
    # A freshly built database has no planner statistics yet (autovacuum may not have come by):
    # without them PostgreSQL plans for one row per table and picks nested loops. Production
    # tables are analysed, so the bench measures analysed tables too.
    start = time.perf_counter()
    _analyze(os.environ["DATABASE_URL"])
    print(f"ANALYZE på {time.perf_counter() - start:.0f} s. Mäter …", flush=True)
    settings.DEBUG = False
    # Measure in a process settled as a web worker is (samordning/wsgi.py): views imported, the
    # start-up (and here the build's leftovers) frozen out of the garbage collector's full runs.
    from samordning.startup import settle

    settle()
    figures = bench.run_all(
        runs=args.runs,
        pdf=not args.no_pdf,
        pages_only=tuple(args.pages.split(",")) if args.pages else None,
        aggregation=not args.no_aggregation,
        built=built,
    )
    figures["command"] = "make bench"
    figures["reused"] = marker is not None
    print(bench.table(figures))
    out = Path(os.environ.get("BENCH_OUT") or BASE_DIR / ".data" / "bench.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"JSON: {out}")
    return 0


def _analyze(url: str) -> None:
    """ANALYZE the whole bench database, logged in as DATABASE_URL's login (the owner role may not)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


if __name__ == "__main__":
    sys.exit(main())
