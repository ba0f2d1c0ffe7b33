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
        # the delmål kinds computed from participants, counts and surveys, and the import and
        # export of participants and assessments, for the insats' own staff only, and of monthly
        # counts and survey results, for those who enter them by hand.
        from apps.dataio.registry import DatasetSpec, register

        # The statistics page's warmer (apps.tenancy.datacache, "Warming").
        from . import delmal_kinds, imports, warm  # noqa: F401
        from .resources import BedomningResource, DeltagareResource

        delmal_kinds.register()
        staff = "participants_log"
        register(
            DatasetSpec(
                "deltagare", "Deltagare", DeltagareResource, staff, staff, "deltagare", uploader_only=True
            )
        )
        register(
            DatasetSpec(
                "bedomningar",
                "Stegbedömningar",
                BedomningResource,
                staff,
                staff,
                "stegbedomningar",
                uploader_only=True,
            )
        )
        counts, surveys = imports.COUNT_ABILITIES, imports.SURVEY_ABILITY
        register(
            DatasetSpec(
                "antal",
                "Antal per månad",
                imports.MonthlyCountResource,
                counts,
                counts,
                "antal-per-manad",
                description=imports.COUNT_HELP[0],
                columns=imports.COUNT_HELP[1],
            )
        )
        register(
            DatasetSpec(
                "enkater",
                "Enkätsvar",
                imports.SurveyResultResource,
                surveys,
                surveys,
                "enkatsvar",
                description=imports.SURVEY_HELP[0],
                columns=imports.SURVEY_HELP[1],
            )
        )
