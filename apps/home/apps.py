from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "apps.home"
    label = "home"
    verbose_name = "Översikt"

    def ready(self) -> None:
        # The start page's warmer (apps.tenancy.datacache, "Warming").
        from . import warm  # noqa: F401
