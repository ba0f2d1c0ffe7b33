from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "apps.followup"
    label = "followup"
    verbose_name = "Uppföljning"
