"""Every page of the curated catalogue answers, names itself, and links onwards."""

import re

from django.test import override_settings

from partnerships.models import Delegation, Meeting, Partnership, Person, Place, Source, Topic
from tests.base import CatalogueTestCase

DETAIL_MODELS = [Place, Partnership, Delegation, Meeting, Person, Topic, Source]


class PageTests(CatalogueTestCase):
    def test_every_record_has_a_detail_page_with_title_and_breadcrumbs(self):
        for model in DETAIL_MODELS:
            for record in model.objects.all():
                with self.subTest(record=record.slug):
                    response = self.client.get(record.get_absolute_url())
                    self.assertEqual(response.status_code, 200)
                    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
                    self.assertTrue(title.strip().endswith("· Partnerships catalogue"))
                    self.assertGreater(len(title.strip()), len("· Partnerships catalogue"))
                    self.assertContains(response, 'aria-label="Breadcrumb"')

    def test_links_on_detail_pages_lead_somewhere(self):
        seen = set()
        for model in DETAIL_MODELS:
            for record in model.objects.all():
                html = self.client.get(record.get_absolute_url()).content.decode()
                for href in re.findall(r'href="(/[^"#?]*)', html):
                    if href.startswith(("/static/", "/admin/")) or href in seen:
                        continue
                    seen.add(href)
                    with self.subTest(link=href, on=record.slug):
                        self.assertEqual(self.client.get(href).status_code, 200)
        self.assertGreater(len(seen), 50)

    def test_the_overview_counts_and_entry_points(self):
        response = self.client.get("/")
        self.assertContains(response, "Partnerships between cities and regions")
        for label, count, _ in response.context["counts"]:
            self.assertGreater(count, 0, label)
        self.assertContains(response, "first half of 2020")  # a planned follow-up

    def test_unknown_pages_get_the_sites_404(self):
        for path in ["/cities/no-such-place/", "/meetings/nothing/", "/nowhere/"]:
            response = self.client.get(path)
            self.assertEqual(response.status_code, 404)
            self.assertContains(response, "Partnerships catalogue", status_code=404)
            self.assertContains(response, "Not found", status_code=404)

    @override_settings(DEBUG=False)
    def test_server_errors_get_the_sites_500(self):
        self.client.raise_request_exception = False
        from unittest import mock

        with mock.patch("partnerships.views.render", side_effect=RuntimeError("boom")):
            response = self.client.get("/")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "Something went wrong", status_code=500)
