"""/konto/: login and logout, password change, and the second factor."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "byt-losenord/",
        auth_views.PasswordChangeView.as_view(success_url="/konto/byt-losenord/klart/"),
        name="password_change",
    ),
    path("byt-losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tvastegsverifiering/", views.mfa_overview, name="mfa_overview"),
    path("tvastegsverifiering/kod/", views.mfa_verify, name="mfa_verify"),
    path("tvastegsverifiering/aktivera/", views.mfa_setup, name="mfa_setup"),
    path("tvastegsverifiering/reservkoder/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("tvastegsverifiering/reservkoder/nya/", views.mfa_regenerate, name="mfa_regenerate"),
    path("tvastegsverifiering/stang-av/", views.mfa_disable, name="mfa_disable"),
]
