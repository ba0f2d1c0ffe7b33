from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "apps.followup"
    label = "followup"
    verbose_name = "Uppföljning"

    def ready(self) -> None:
        from apps.tenancy.walls import register_history_purge

        from .models import Bedomning, Deltagare

        # Retention deletes these rows and then their history (retention.purge_history), the
        # one history the app role may delete, through the database's narrow purge function.
        register_history_purge(Deltagare)
        register_history_purge(Bedomning)

        # What this app contributes to shared features (docs/architecture.md, "Registration"):
        # the delmål kinds computed from participants, counts and surveys.
        from . import delmal_kinds

        delmal_kinds.register()
