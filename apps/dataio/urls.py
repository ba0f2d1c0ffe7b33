from django.urls import path

from . import views

app_name = "dataio"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:dataset>.<slug:file_format>", views.export, name="export"),
    path("import/<uuid:public_id>/", views.import_preview, name="import_preview"),
    path("import/<uuid:public_id>/genomfor/", views.import_confirm, name="import_confirm"),
]
