"""The site's URLs: the catalogue's public pages, and the editors' admin."""

from django.contrib import admin
from django.urls import include, path

from partnerships.admin import desk

urlpatterns = [
    # Before the admin's own URLs, which would take "partnerships/desk/" for a model's.
    path("admin/partnerships/desk/", include(desk.urlpatterns)),
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
]
