from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="dataio_index"),
    path("export/<slug:dataset>.<slug:file_format>", views.export, name="dataio_export"),
    path("import/<uuid:public_id>/", views.preview, name="dataio_preview"),
    path("import/<uuid:public_id>/genomfor/", views.confirm, name="dataio_confirm"),
]
