from django.urls import path

from . import views
from .models import DocumentKind

app_name = "reports"

urlpatterns = [
    path("plan/<uuid:version_id>/", views.document_panel, name="document_panel"),
    path("plan/<uuid:version_id>/skapa/", views.document_create, name="document_create"),
    path(
        "tertialrapport/<uuid:version_id>/",
        views.document_panel,
        {"kind": DocumentKind.TERTIALRAPPORT},
        name="tertial_document_panel",
    ),
    path(
        "tertialrapport/<uuid:version_id>/skapa/",
        views.document_create,
        {"kind": DocumentKind.TERTIALRAPPORT},
        name="tertial_document_create",
    ),
    path("<uuid:document_id>/ladda-ner/", views.document_download, name="document_download"),
]
