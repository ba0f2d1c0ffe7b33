#!/usr/bin/env python
"""make bench: render the PDF of the largest demo plan N times; print median time, pages, memory.

Loads the demo data first (only with DEBUG on, as ``load_demo`` does), then picks the plan
version whose print HTML is longest. With no plan at all, it creates one for the förbund with
the most insatser from the template sections. Target on the 2-core machine: a 20-page plan in
≤ 3 s and ≤ 300 MB.

    python scripts/bench.py [--runs 5] [--no-load]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samordning.settings.development")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-load", action="store_true", help="use the database as it is")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from django.conf import settings

    from apps.plans import selectors as plan_selectors
    from apps.plans import services as plan_services
    from apps.plans.models import PlanVersion
    from apps.reports import pdf
    from apps.tenancy.models import Forbund
    from apps.tenancy.scope import tenant_scope

    if not args.no_load:
        if settings.DEBUG:
            from apps.demo.loader import load_demo

            try:
                load_demo(stdout=io.StringIO())
            except Exception as exc:  # the demo data is someone else's: bench what is there
                print(f"Demodatan kunde inte läsas in ({exc}); mäter det som finns.")
        else:
            print("DEBUG är av: läser inte in demodata, mäter det som finns.")

    def largest() -> tuple[Forbund, int, int] | None:
        best = None
        for forbund in Forbund.objects.order_by("pk"):
            with tenant_scope(forbund):
                for version in PlanVersion.objects.filter(forbund=forbund).select_related("plan"):
                    size = len(pdf.version_html(version=version))
                    if best is None or size > best[2]:
                        best = (forbund, version.pk, size)
        return best

    found = largest()
    if found is None:
        from apps.insatser.models import Insats

        counts = []
        for forbund in Forbund.objects.order_by("pk"):
            with tenant_scope(forbund):
                counts.append((Insats.objects.filter(forbund=forbund).count(), forbund))
        if not counts:
            print("Inga förbund i databasen: kör make demo först.")
            return 1
        forbund = max(counts, key=lambda c: c[0])[1]
        with tenant_scope(forbund):
            years = plan_selectors.data_years(forbund=forbund)
            year = years[0] if years else 2026
            plan_services.plan_create(forbund=forbund, actor=None, year=year)
        print(f"Ingen demoplan fanns: skapade verksamhetsplan {year} för {forbund.name} ur mallen.")
        found = largest()
    forbund, version_id, html_size = found

    def render():
        with tenant_scope(forbund):
            version = PlanVersion.objects.select_related("plan").get(pk=version_id)
            return version, pdf.version_pdf(version=version)

    version, rendered = render()  # warm-up: fonts, templates, imports
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        version, rendered = render()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    render()
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    median = statistics.median(times)
    print(f"Plan: {forbund.name}, verksamhetsplan {version.plan.year} version {version.number} "
          f"({version.get_status_display().lower()}), HTML {html_size // 1024} KiB")  # fmt: skip
    print(f"Körningar: {args.runs} (plus en uppvärmning)")
    print(f"Mediantid: {median:.2f} s (min {min(times):.2f} s, max {max(times):.2f} s)")
    print(f"Sidor: {rendered.pages}, storlek {len(rendered.content) // 1024} KiB")
    print(
        f"Minne: topp {maxrss_mb:.0f} MB RSS för processen, "
        f"{python_peak / 2**20:.0f} MB Python-allokeringar under en körning"
    )
    ok = median <= 3.0 and maxrss_mb <= 300
    print(f"Mål (≤ 3 s och ≤ 300 MB): {'uppfyllt' if ok else 'EJ uppfyllt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
