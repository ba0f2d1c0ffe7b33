from django.urls import path

from . import views

urlpatterns = [
    path("", views.medlem_list, name="medlem_list"),
]
