"""plan_pdf: a förbund's verksamhetsplan of a year as PDF, synchronously, for operators and scripts."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.plans.models import PlanVersion, VersionStatus
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope


def version_for(*, forbund: Forbund, year: int) -> PlanVersion | None:
    """The newest adopted version of the year's plan, else its newest draft (call inside the scope)."""
    versions = PlanVersion.objects.filter(forbund=forbund, plan__year=year).select_related("plan")
    return (
        versions.filter(status=VersionStatus.FASTSTALLD).order_by("-number").first()
        or versions.order_by("-number").first()
    )


class Command(BaseCommand):
    help = (
        "Skapar PDF:en av ett förbunds verksamhetsplan för ett år: den fastställda versionen "
        "om det finns en, annars det senaste utkastet."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="förbundets kortnamn")
        parser.add_argument("year", type=int, help="planens år")
        parser.add_argument("-o", "--output", default="plan.pdf", help="filen att skriva (standard plan.pdf)")

    def handle(self, *args, slug, year, output, **options):
        from apps.reports.pdf import version_pdf

        forbund = Forbund.objects.filter(slug=slug).first()
        if forbund is None:
            raise CommandError(f"Det finns inget förbund med kortnamnet {slug!r}.")
        with tenant_scope(forbund):
            version = version_for(forbund=forbund, year=year)
            if version is None:
                raise CommandError(f"{forbund.name} har ingen verksamhetsplan för {year}.")
            rendered = version_pdf(version=version)
        Path(output).write_bytes(rendered.content)
        self.stdout.write(
            f"{output}: {forbund.name}, verksamhetsplan {year} version {version.number} "
            f"({version.get_status_display().lower()}), {rendered.pages} sidor, "
            f"{len(rendered.content)} byte, SHA-256 {rendered.sha256}"
        )
