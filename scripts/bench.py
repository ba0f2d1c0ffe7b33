#!/usr/bin/env python
"""make bench: build a national-scale dataset in its own database, measure pages, aggregations, PDFs.

The database is ``<name of DATABASE_URL's database>_bench`` on the same server, created at the
start and dropped at the end (``--keep`` keeps it; the dev and test databases are never
touched). The data and the measurements are in :mod:`apps.demo.bench`. Prints a table and
writes the figures as JSON to ``BENCH_OUT`` (default ``.data/bench.json``).

    python scripts/bench.py [--forbund 80] [--scale 10] [--participants 10000] [--runs 30]
                            [--no-pdf] [--keep]
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--runs", type=int, default=30, help="requests per page and size")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
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
    print(f"Benchdatabas: {bench_name} (skapas nu, {'behålls' if args.keep else 'tas bort'} efteråt)")
    _server(maintenance, f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
    _server(maintenance, f'CREATE DATABASE "{bench_name}"')
    # Children (the PDF subprocesses) inherit the bench database, never the dev one.
    os.environ["DATABASE_URL"] = bench_url
    try:
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _server(maintenance, f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')


def _run(args) -> int:
    import django

    django.setup()
    _quiet()
    from django.conf import settings
    from django.core.management import call_command

    from apps.demo import bench

    # Bench-only: 400 demo accounts with a cheap hash (the pages use force_login anyway), and
    # the test client's host allowed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrerat på {time.perf_counter() - start:.0f} s. Bygger data …", flush=True)
    built = bench.build(forbund_count=args.forbund, scale=args.scale, participants=args.participants)
    print(
        f"Data byggd på {built.seconds:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in built.steps.items())})"
    )
    settings.DEBUG = False
    figures = bench.run_all(runs=args.runs, pdf=not args.no_pdf, built=built)
    figures["command"] = "make bench"
    print(bench.table(figures))
    out = Path(os.environ.get("BENCH_OUT") or BASE_DIR / ".data" / "bench.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
