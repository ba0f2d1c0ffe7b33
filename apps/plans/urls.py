from django.urls import path

from . import views

urlpatterns = [
    path("nytt-ar/", views.year_start, name="plan_year_start"),
]
