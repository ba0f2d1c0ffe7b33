"""load_demo: the three demo förbund with members and one account per role (password demo)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.demo.base import DemoDataError
from apps.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Läser in demodata: tre samordningsförbund med medlemmar och ett konto per roll "
        "(lösenord demo). Kan köras flera gånger. Vägrar köra när DEBUG är av."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo vägrar köra när DEBUG är av: demokontona har lösenordet 'demo' "
                "och hör inte hemma i en produktionsdatabas."
            )
        try:
            load_demo(stdout=self.stdout)
        except DemoDataError as error:
            raise CommandError(f"Demodatan är felaktig: {error}") from error
