from django.apps import AppConfig


class TertialConfig(AppConfig):
    name = "apps.tertial"
    label = "tertial"
    verbose_name = "Tertialrapporter"

    def ready(self) -> None:
        # Registers the tertial report as a document kind of apps.reports (its PDF machinery),
        # and the drafts' warmer (apps.tenancy.datacache, "Warming").
        from . import documents, warm  # noqa: F401
