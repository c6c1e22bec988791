"""The catalogue's public pages; config/urls.py serves them under each language's prefix."""

from django.urls import path

from . import api, calendars, citing, dataset, feeds, lists, openapi, views
from .maps import views as map_views

urlpatterns = [
    path("", views.home, name="home"),
    path("cities/", lists.PlaceList.as_view(), name="place-list"),
    path("cities/<slug:slug>/", views.place_detail, name="place-detail"),
    path("partnerships/", lists.PartnershipList.as_view(), name="partnership-list"),
    # Before the partnerships' own pages, whose slugs never end a path at "differences" (a pair of places).
    path("partnerships/differences/", views.differences, name="differences"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership-detail"),
    path("delegations/", lists.DelegationList.as_view(), name="delegation-list"),
    path("delegations/<slug:slug>/", views.delegation_detail, name="delegation-detail"),
    path("meetings/", lists.MeetingList.as_view(), name="meeting-list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
    path("people/", lists.PersonList.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("topics/", lists.TopicList.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("sources/", lists.SourceList.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("map/", map_views.network_map, name="map"),
    path("map/data.json", map_views.map_data, name="map-data"),
    path("search/", views.search, name="search"),
    path("feed.atom", feeds.WholeCatalogueFeed(), name="catalogue-feed"),
    path("cities/<slug:slug>/feed.atom", feeds.PlaceFeed(), name="place-feed"),
    path("cities/<slug:slug>/calendar.ics", calendars.place_calendar, name="place-calendar"),
    path("partnerships/<slug:slug>/feed.atom", feeds.PartnershipFeed(), name="partnership-feed"),
    path("partnerships/<slug:slug>/calendar.ics", calendars.partnership_calendar, name="partnership-calendar"),
    path("people/<slug:slug>/feed.atom", feeds.PersonFeed(), name="person-feed"),
    path("topics/<slug:slug>/feed.atom", feeds.TopicFeed(), name="topic-feed"),
    path("<str:kind>/<slug:slug>/cite.bib", citing.cite_bibtex, name="cite-bibtex"),
    path("<str:kind>/<slug:slug>/cite.json", citing.cite_csl, name="cite-csl"),
    path("<str:kind>/<slug:slug>/data.jsonld", citing.linked_data, name="linked-data"),
    path("api/", openapi.reference, name="api-reference"),
    path("api/v1/", api.index, name="api-index"),
    path("api/v1/openapi.json", openapi.openapi_json, name="api-openapi"),
    path("api/v1/<slug:noun>/", api.list_endpoint, name="api-list"),
    path("api/v1/<path:rest>", api.not_found),
    path("downloads/", dataset.downloads, name="downloads"),
    path("downloads/<path:name>", dataset.download, name="download"),
]
