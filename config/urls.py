"""The site's URLs: the catalogue's public pages, and the editors' admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
]
