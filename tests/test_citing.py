"""Citing a record (plain text, BibTeX, CSL-JSON) and its schema.org description as a linked JSON-LD document."""

import json

from django.utils import timezone

from tests.base import CatalogueTestCase

PAGES = {
    "/cities/narvik/": "Place",
    "/partnerships/harbin-murmansk/": None,
    "/delegations/harbin-delegation-murmansk-2016/": "Event",
    "/meetings/gilan-astrakhan-governors-meeting-2023/": "Event",
    "/people/igor-babushkin/": "Person",
    "/topics/health-care/": "DefinedTerm",
    "/sources/gilan-astrakhan-2023/": "Article",
}


class CitingTests(CatalogueTestCase):
    def test_every_detail_page_offers_a_citation_resting_on_its_source(self):
        today = timezone.localdate()
        for page in PAGES:
            with self.subTest(page=page):
                response = self.client.get(page)
                self.assertContains(response, f"http://testserver{page} (accessed {today:%-d %B %Y})")
                self.assertContains(response, f'href="{page}cite.bib"')
                self.assertContains(response, f'href="{page}cite.json"')
        meeting = self.client.get("/meetings/gilan-astrakhan-governors-meeting-2023/")
        self.assertContains(meeting, "Based on: Governor of Gilan, meeting the Governor of Astrakhan")

    def test_bibtex_and_csl_json(self):
        bib = self.client.get("/meetings/narvik-town-hall-meeting-2019/cite.bib")
        self.assertEqual(bib["Content-Type"], "application/x-bibtex; charset=utf-8")
        text = bib.content.decode()
        self.assertTrue(text.startswith("@misc{partnerships-meeting-narvik-town-hall-meeting-2019,\n"))
        self.assertIn("url = {http://testserver/meetings/narvik-town-hall-meeting-2019/}", text)
        self.assertIn(f"urldate = {{{timezone.localdate().isoformat()}}}", text)
        self.assertIn("Based on: Official visit from Kazakhstan", text)
        self.assertEqual(text.count("{"), text.count("}"))  # escaped: braces balance

        csl = json.loads(self.client.get("/people/igor-babushkin/cite.json").content)
        self.assertEqual(csl[0]["type"], "webpage")
        self.assertEqual(csl[0]["URL"], "http://testserver/people/igor-babushkin/")
        self.assertEqual(len(csl[0]["accessed"]["date-parts"][0]), 3)

    def test_json_ld_is_a_linked_document_of_the_right_type(self):
        for page, schema_type in PAGES.items():
            with self.subTest(page=page):
                response = self.client.get(page + "data.jsonld")
                if schema_type is None:
                    self.assertEqual(response.status_code, 404)
                    self.assertNotContains(self.client.get(page), "application/ld+json")
                    continue
                self.assertEqual(response["Content-Type"], "application/ld+json; charset=utf-8")
                data = json.loads(response.content)
                self.assertEqual(data["@context"], "https://schema.org")
                self.assertEqual(data["@type"], schema_type)
                self.assertEqual(data["url"], f"http://testserver{page}")
                self.assertContains(
                    self.client.get(page),
                    f'<link rel="alternate" type="application/ld+json" '
                    f'title="Described in schema.org terms (JSON-LD)" href="{page}data.jsonld">',
                    html=False,
                )

    def test_uncertain_dates_in_schema_org_are_no_more_precise_than_the_source(self):
        day = json.loads(self.client.get("/meetings/narvik-town-hall-meeting-2019/data.jsonld").content)
        self.assertEqual((day["startDate"], day["endDate"]), ("2019-08-29", "2019-08-29"))
        month = json.loads(self.client.get("/meetings/harbin-protocol-signing-2014/data.jsonld").content)
        self.assertEqual(month["startDate"], "2014-03")
        self.assertNotIn("endDate", month)
        half = json.loads(self.client.get("/meetings/narvik-kazakhstan-follow-up-2020/data.jsonld").content)
        self.assertEqual(half["startDate"], "2020")
        self.assertIn("first half of 2020", half["description"])
        event = json.loads(self.client.get("/meetings/gilan-astrakhan-governors-meeting-2023/data.jsonld").content)
        self.assertEqual(event["location"]["name"], "Rasht")
        self.assertEqual(event["subjectOf"][0]["inLanguage"], "fa")

    def test_unknown_records_are_not_found(self):
        for path in ("/cities/nowhere/cite.bib", "/nothing/narvik/cite.json", "/people/nobody/data.jsonld"):
            self.assertEqual(self.client.get(path).status_code, 404, path)
