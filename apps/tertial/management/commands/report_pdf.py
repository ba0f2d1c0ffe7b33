"""report_pdf: a förbund's tertial report as PDF, synchronously, for operators and scripts."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope


class Command(BaseCommand):
    help = (
        "Skapar PDF:en av ett förbunds tertialrapport: den godkända versionen om det finns en, "
        "annars den senaste versionen."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="förbundets kortnamn")
        parser.add_argument("year", type=int, help="rapportens år")
        parser.add_argument("tertial", type=int, choices=(1, 2, 3), help="tertialet: 1, 2 eller 3")
        parser.add_argument(
            "-o", "--output", default="report.pdf", help="filen att skriva (standard report.pdf)"
        )

    def handle(self, *args, slug, year, tertial, output, **options):
        from apps.reports.pdf import html_to_pdf
        from apps.tertial.content import latest_version
        from apps.tertial.rendering import render_version_html

        forbund = Forbund.objects.filter(slug=slug).first()
        if forbund is None:
            raise CommandError(f"Det finns inget förbund med kortnamnet {slug!r}.")
        with tenant_scope(forbund):
            version = latest_version(forbund=forbund, year=year, tertial=tertial)
            if version is None:
                raise CommandError(f"{forbund.name} har ingen tertialrapport T{tertial} {year}.")
            rendered = html_to_pdf(render_version_html(version=version))
        Path(output).write_bytes(rendered.content)
        self.stdout.write(
            f"{output}: {forbund.name}, tertialrapport T{tertial} {year} version {version.number} "
            f"({version.get_status_display().lower()}), {rendered.pages} sidor, "
            f"{len(rendered.content)} byte, SHA-256 {rendered.sha256}"
        )
