from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "apps.goals"
    label = "goals"
    verbose_name = "Målområden och delmål"
