from django.apps import AppConfig


class TertialConfig(AppConfig):
    name = "apps.tertial"
    label = "tertial"
    verbose_name = "Tertialrapporter"

    def ready(self) -> None:
        # Registers the tertial report as a document kind of apps.reports (its PDF machinery).
        from . import documents  # noqa: F401
