from django.apps import AppConfig


class InsatserConfig(AppConfig):
    name = "apps.insatser"
    label = "insatser"
    verbose_name = "Insatser"
