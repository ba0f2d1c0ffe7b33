from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"
    verbose_name = "Verksamhetsplaner"

    def ready(self) -> None:
        # Registers the built-in data sections (other apps register theirs from their ready())
        # and the live data sections' warmer (apps.tenancy.datacache, "Warming").
        from . import datasections, warm  # noqa: F401
