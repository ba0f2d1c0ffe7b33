from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "apps.tenancy"
    label = "tenancy"
    verbose_name = "Förbund och behörigheter"

    def ready(self) -> None:
        from . import checks  # noqa: F401
