from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "apps.members"
    label = "members"
    verbose_name = "Medlemmar och organisation"

    def ready(self) -> None:
        # What this app contributes to shared features (docs/architecture.md, "Registration").
        from apps.dataio.registry import DatasetSpec, register

        from .resources import MedlemResource

        register(
            DatasetSpec("medlemmar", "Medlemmar", MedlemResource, "members_edit", "plan_view", "medlemmar")
        )
