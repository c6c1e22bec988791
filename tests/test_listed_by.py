"""Which lists name a partnership: the "listed by" filter and facet, the differences page, links out."""

import json

from django.test import TestCase

from partnerships.models import Citation, Partnership, Place, Source

WIKIPEDIA = "twin-cities-wikipedia"
WIKIDATA = "wikidata-p190"


class ListedByTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        def place(slug, country, qid=""):
            return Place.objects.create(slug=slug, name=slug.title(), level="city", country=country, wikidata_id=qid)

        def source(slug, kind, url=""):
            text = "A news article." if kind == "document" else ""
            return Source.objects.create(slug=slug, title=slug.replace("-", " ").title(), kind=kind, url=url, text=text)

        news = source("news", "document")
        wikipedia = source(WIKIPEDIA, "dataset", "https://github.com/Hekman/twincities")
        wikidata = source(WIKIDATA, "dataset", "https://www.wikidata.org/wiki/Property:P190")
        harbin, murmansk = place("harbin", "CN", "Q42956"), place("murmansk", "RU", "Q1763")
        rasht, astrakhan = place("rasht", "IR", "Q178373"), place("astrakhan", "RU", "Q3927")
        kiruna, narvik = place("kiruna", "SE"), place("narvik", "NO")
        cls.pairs = {
            "harbin-murmansk": (harbin, murmansk, [news, wikipedia], ""),
            "rasht-astrakhan": (rasht, astrakhan, [wikipedia, wikidata], "Q178373-Q3927"),
            "kiruna-narvik": (kiruna, narvik, [wikidata], ""),
            "harbin-narvik": (harbin, narvik, [wikipedia], ""),
        }
        for slug, (a, b, sources, qid) in cls.pairs.items():
            partnership = Partnership.objects.create(slug=slug, place_a=a, place_b=b, wikidata_id=qid)
            for n, s in enumerate(sources):
                citation = Citation.objects.create(
                    slug=f"{slug}-{s.slug}", source=s, passage=s.text or f"row {n}", locator=f"line {n + 2}"
                )
                partnership.citations.add(citation)

    def rows(self, query):
        response = self.client.get(f"/partnerships/?{query}&format=json")
        self.assertEqual(response.status_code, 200)
        return {row["Slug"] for row in json.loads(b"".join(response.streaming_content))["rows"]}

    def test_the_filter_keeps_the_partnerships_a_list_names(self):
        self.assertEqual(self.rows(f"listed_by={WIKIPEDIA}"), {"harbin-murmansk", "rasht-astrakhan", "harbin-narvik"})
        self.assertEqual(self.rows("listed_by=curated"), {"harbin-murmansk"})
        self.assertEqual(self.rows(f"listed_by=curated&listed_by={WIKIDATA}"),
                         {"harbin-murmansk", "rasht-astrakhan", "kiruna-narvik"})
        self.assertEqual(self.rows(f"listed_by={WIKIDATA}&not_listed_by={WIKIPEDIA}"), {"kiruna-narvik"})
        self.assertEqual(self.rows(f"listed_by={WIKIPEDIA}&not_listed_by={WIKIDATA}"),
                         {"harbin-murmansk", "harbin-narvik"})

    def test_the_facet_counts_what_its_links_list(self):
        for page in ("/partnerships/", f"/partnerships/?listed_by={WIKIDATA}"):
            response = self.client.get(page)
            listed = next(opts for facet, opts in response.context["facets"] if facet.param == "listed_by")
            total = response.context["page"].paginator.count
            self.assertTrue(listed)
            for option in listed:
                shown = len(self.rows(option.toggle_url.lstrip("?")))
                expected = option.count if option.added is None or option.selected else total + option.added
                if not option.selected:
                    self.assertEqual(shown, expected, (page, option.value))
            counts = {o.value: o.count for o in listed}
            if page == "/partnerships/":
                self.assertEqual(counts, {"curated": 1, WIKIPEDIA: 3, WIKIDATA: 2})

    def test_the_differences_page_counts_what_its_links_list_in_html_csv_and_json(self):
        response = self.client.get("/partnerships/differences/")
        self.assertEqual(response.status_code, 200)
        rows = response.context["rows"]
        self.assertEqual(len(rows), 6)  # three lists name partnerships: each ordered pair of them
        for _listed, _missing, count, query in rows:
            self.assertEqual(len(self.rows(query)), count, query)
            csv = self.client.get(f"/partnerships/?{query}&format=csv")
            self.assertEqual(len(b"".join(csv.streaming_content).decode("utf-8-sig").strip().splitlines()) - 1, count)
            self.assertContains(response, f"?{query.replace('&', '&amp;')}&amp;format=csv")
        by_pair = {(a, b): n for a, b, n, _q in rows}
        self.assertEqual(by_pair[("Wikidata P190", "Twin Cities Wikipedia")], 1)
        self.assertEqual(by_pair[("Twin Cities Wikipedia", "Wikidata P190")], 2)

    def test_a_partnership_page_says_which_lists_name_it_with_links_out(self):
        response = self.client.get("/partnerships/rasht-astrakhan/")
        self.assertContains(response, "Twin Cities Wikipedia")
        self.assertContains(response, "Wikidata P190")
        self.assertContains(response, 'href="https://www.wikidata.org/wiki/Q178373"')
        self.assertContains(response, 'href="https://www.wikidata.org/wiki/Q3927"')
        self.assertContains(response, 'href="https://github.com/Hekman/twincities"')
        self.assertContains(self.client.get("/partnerships/harbin-murmansk/"), "News")

    def test_a_place_page_shows_its_wikidata_item(self):
        self.assertContains(self.client.get("/cities/murmansk/"), 'href="https://www.wikidata.org/wiki/Q1763"')
        self.assertNotContains(self.client.get("/cities/kiruna/"), "wikidata.org/wiki/Q")
