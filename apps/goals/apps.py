from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "apps.goals"
    label = "goals"
    verbose_name = "Målområden och delmål"

    def ready(self) -> None:
        # What this app contributes to shared features (docs/architecture.md, "Registration").
        from apps.dataio.registry import DatasetSpec, register

        from .resources import DelmalResource

        register(DatasetSpec("delmal", "Delmål", DelmalResource, "plan_edit", "plan_view", "delmal"))

        # The computed delmål's warmer (apps.tenancy.datacache, "Warming").
        from . import warm  # noqa: F401
