from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "Rapporter och dokument"

    def ready(self) -> None:
        # The verksamhetsplan's document kind; other apps register theirs from their ready().
        from . import plan_document  # noqa: F401
