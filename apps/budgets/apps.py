from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "apps.budgets"
    label = "budgets"
    verbose_name = "Budget och ekonomi"

    def ready(self) -> None:
        # Registers the "budget" and "langtidsbudget" data sections of the verksamhetsplan.
        from . import plan_sections  # noqa: F401
