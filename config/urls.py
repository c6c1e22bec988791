"""The site's URLs: the catalogue's public pages in every language, the editors' admin, and plumbing.

English pages have no prefix (/cities/), the other languages one each
(/ru/cities/). The admin, the health check, robots.txt and the favicon
are the same in every language and have no prefix.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from partnerships import views
from partnerships.admin import desk

urlpatterns = [
    # Before the admin's own URLs, which would take "partnerships/desk/" for a model's.
    path("admin/partnerships/desk/", include(desk.urlpatterns)),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["partnerships"]), name="javascript-catalog"),
    path("", include("partnerships.urls")),
    prefix_default_language=False,
)
