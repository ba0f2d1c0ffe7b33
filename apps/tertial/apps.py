from django.apps import AppConfig


class TertialConfig(AppConfig):
    name = "apps.tertial"
    label = "tertial"
    verbose_name = "Tertialrapporter"
