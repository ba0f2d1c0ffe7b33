from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "apps.budgets"
    label = "budgets"
    verbose_name = "Budget och ekonomi"

    def ready(self) -> None:
        # What this app contributes to shared features (docs/architecture.md, "Registration"):
        # the "budget" and "langtidsbudget" data sections of the verksamhetsplan (registered when
        # plan_sections is imported) and the delmål kinds computed from the budget and utfall.
        from . import delmal_kinds, plan_sections  # noqa: F401

        delmal_kinds.register()
