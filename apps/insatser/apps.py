from django.apps import AppConfig


class InsatserConfig(AppConfig):
    name = "apps.insatser"
    label = "insatser"
    verbose_name = "Insatser"

    def ready(self) -> None:
        # What this app contributes to shared features (docs/architecture.md, "Registration").
        from apps.dataio.registry import DatasetSpec, register

        from .resources import InsatsResource

        register(
            DatasetSpec(
                "insatser", "Insatser med årsrader", InsatsResource, "plan_edit", "plan_view", "insatser"
            )
        )
