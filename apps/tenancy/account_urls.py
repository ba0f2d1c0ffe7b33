from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "byt-losenord/",
        auth_views.PasswordChangeView.as_view(success_url="/konto/byt-losenord/klart/"),
        name="password_change",
    ),
    path("byt-losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
