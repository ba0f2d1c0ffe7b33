from django.urls import path

from . import views

urlpatterns = [
    path("", views.platform_forbund_list, name="platform_forbund_list"),
    path("nytt/", views.platform_forbund_create, name="platform_forbund_create"),
    path("<slug:slug>/", views.platform_forbund_detail, name="platform_forbund_detail"),
]
