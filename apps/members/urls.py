from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.medlem_list, name="medlem_list"),
    path("ny/", views.medlem_create, name="medlem_create"),
    path("<uuid:public_id>/andra/", views.medlem_edit, name="medlem_edit"),
    path("<uuid:public_id>/ta-bort/", views.medlem_delete, name="medlem_delete"),
    path("<uuid:public_id>/flytta/", views.medlem_move, name="medlem_move"),
    path("styrelse/", views.styrelseledamot_list, name="styrelseledamot_list"),
    path("styrelse/ny/", views.styrelseledamot_create, name="styrelseledamot_create"),
    path("styrelse/<uuid:public_id>/andra/", views.styrelseledamot_edit, name="styrelseledamot_edit"),
    path("styrelse/<uuid:public_id>/ta-bort/", views.styrelseledamot_delete, name="styrelseledamot_delete"),
    path("organ/", views.organ_list, name="organ_list"),
    path("organ/ny/", views.organ_create, name="organ_create"),
    path("organ/<uuid:public_id>/andra/", views.organ_edit, name="organ_edit"),
    path("organ/<uuid:public_id>/ta-bort/", views.organ_delete, name="organ_delete"),
    path("organ/<uuid:public_id>/flytta/", views.organ_move, name="organ_move"),
    path("organ/<uuid:public_id>/ledamoter/ny/", views.organ_medlem_create, name="organ_medlem_create"),
    path("organ/ledamoter/<uuid:public_id>/andra/", views.organ_medlem_edit, name="organ_medlem_edit"),
    path("organ/ledamoter/<uuid:public_id>/ta-bort/", views.organ_medlem_delete, name="organ_medlem_delete"),
    path("arsplanering/", views.styrelsemote_list, name="styrelsemote_list"),
    path("arsplanering/ny/", views.styrelsemote_create, name="styrelsemote_create"),
    path("arsplanering/<uuid:public_id>/andra/", views.styrelsemote_edit, name="styrelsemote_edit"),
    path("arsplanering/<uuid:public_id>/ta-bort/", views.styrelsemote_delete, name="styrelsemote_delete"),
]
