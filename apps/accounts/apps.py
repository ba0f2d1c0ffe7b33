from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Login, the second factor (django-otp) and the login lockout (django-axes)."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Konton och inloggning"
