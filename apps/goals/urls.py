from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.malomrade_list, name="malomrade_list"),
    path("<int:year>/nytt-malomrade/", views.malomrade_create, name="malomrade_create"),
    path("malomrade/<uuid:public_id>/andra/", views.malomrade_edit, name="malomrade_edit"),
    path("malomrade/<uuid:public_id>/ta-bort/", views.malomrade_delete, name="malomrade_delete"),
    path("malomrade/<uuid:public_id>/flytta/", views.malomrade_move, name="malomrade_move"),
    path("malomrade/<uuid:public_id>/nytt-delmal/", views.delmal_create, name="delmal_create"),
    path("delmal/<uuid:public_id>/andra/", views.delmal_edit, name="delmal_edit"),
    path("delmal/<uuid:public_id>/ta-bort/", views.delmal_delete, name="delmal_delete"),
    path("delmal/<uuid:public_id>/flytta/", views.delmal_move, name="delmal_move"),
]
