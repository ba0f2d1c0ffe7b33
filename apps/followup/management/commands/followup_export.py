"""python manage.py followup_export <slug> <year> -o file.csv: the national follow-up export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.followup import export
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope


class Command(BaseCommand):
    help = "Skriver förbundets underlag till Uppföljning Finsam för ett år (CSV eller XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", required=True, help="Filnamn; .xlsx ger XLSX, annars CSV.")

    def handle(self, *args, slug, year, output, **options):
        forbund = Forbund.objects.filter(slug=slug).first()
        if forbund is None:
            raise CommandError(f"Inget förbund med kortnamnet {slug}.")
        with tenant_scope(forbund):
            rows = export.national_rows(forbund=forbund, year=year)
        path = Path(output)
        path.write_bytes(export.to_xlsx(rows) if path.suffix.lower() == ".xlsx" else export.to_csv(rows))
        self.stdout.write(f"{len(rows)} insatser skrivna till {path}.")
