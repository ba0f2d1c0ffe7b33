from django.urls import path

from . import views

app_name = "insatser"

urlpatterns = [
    path("", views.insats_list, name="insats_list"),
    path("ny/", views.insats_create, name="insats_create"),
    path("plattformar/", views.plattform_list, name="plattform_list"),
    path("plattformar/ny/", views.plattform_create, name="plattform_create"),
    path("plattformar/<uuid:public_id>/andra/", views.plattform_edit, name="plattform_edit"),
    path("plattformar/<uuid:public_id>/ta-bort/", views.plattform_delete, name="plattform_delete"),
    path("installningar/", views.settings_edit, name="settings_edit"),
    path("<uuid:public_id>/", views.insats_detail, name="insats_detail"),
    path("<uuid:public_id>/andra/", views.insats_edit, name="insats_edit"),
    path("<uuid:public_id>/ta-bort/", views.insats_delete, name="insats_delete"),
    path("<uuid:public_id>/flytta/", views.insats_move, name="insats_move"),
    path("<uuid:public_id>/status/", views.insats_transition, name="insats_transition"),
    path("<uuid:public_id>/ar/ny/", views.insats_year_create, name="insats_year_create"),
    path("<uuid:public_id>/ar/<uuid:year_id>/", views.insats_year_detail, name="insats_year_detail"),
    path("<uuid:public_id>/ar/<uuid:year_id>/andra/", views.insats_year_edit, name="insats_year_edit"),
    path("<uuid:public_id>/ar/<uuid:year_id>/ta-bort/", views.insats_year_delete, name="insats_year_delete"),
    path("<uuid:public_id>/personal/", views.insats_staff_create, name="insats_staff_create"),
    path("<uuid:public_id>/personal/ta-bort/", views.insats_staff_delete, name="insats_staff_delete"),
]
