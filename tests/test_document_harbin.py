"""Facts of the English source (Harbin delegation in Murmansk, May 2016, and the history since 2014)."""

from tests.base import CatalogueTestCase


class HarbinMurmanskTests(CatalogueTestCase):
    document = "20_harbin_murmansk_2016.json"

    def test_the_history_as_a_timeline(self):
        response = self.client.get("/partnerships/harbin-murmansk/")
        steps = [(s.status, s.date_display) for s in response.context["steps"]]
        self.assertEqual(steps, [("protocol_of_intent", "March 2014"), ("protocol_of_intent", "13 October 2015")])
        self.assertEqual(response.context["partnership"].status, "protocol_of_intent")
        self.assertContains(response, "9–11 September 2016")

    def test_three_delegations(self):
        rows = self.csv_rows("/delegations/?partnership=harbin-murmansk&sort=date&format=csv")
        self.assertEqual(
            [(r["Slug"], r["Date"], r["From (slug)"], r["To (slug)"]) for r in rows],
            [
                ("murmansk-delegation-harbin-2014", "March 2014", "murmansk", "harbin"),
                ("murmansk-delegation-harbin-2015", "2015", "murmansk", "harbin"),
                ("harbin-delegation-murmansk-2016", "23–25 May 2016", "harbin", "murmansk"),
            ],
        )
        first = self.client.get("/delegations/murmansk-delegation-harbin-2014/")
        self.assertContains(first, "Invited by")

    def test_the_planned_twinning_at_the_gulf_stream_festival(self):
        festival = self.client.get("/meetings/gulf-stream-festival-2016/")
        self.assertContains(festival, "planned")
        self.assertContains(festival, "9–11 September 2016")
        self.assertContains(self.client.get("/partnerships/harbin-murmansk/"), "11")
        rows = self.csv_rows("/partnerships/?reached=twinning&format=csv")
        self.assertEqual(rows, [])  # the source only plans it

    def test_health_care_details_of_the_hospital_visit(self):
        response = self.client.get("/meetings/murmansk-emergency-hospital-visit-2016/")
        self.assertContains(response, "Murmansk city emergency hospital")
        self.assertContains(response, "cerebral palsy")
        topics = {t.slug for t in response.context["topics"]}
        self.assertEqual(topics, {"rehabilitation", "distance-medicine", "doctor-exchange"})

    def test_the_sources_misspellings_are_kept(self):
        self.assertContains(self.client.get("/cities/murmansk/"), "Murmnask")
        self.assertContains(self.client.get("/sources/harbin-murmansk-2016/"), "People&quot;s Government of Harbin")

    def test_figures_and_the_2015_expo(self):
        place = self.client.get("/partnerships/harbin-murmansk/")
        self.assertContains(place, "the 11 sister city")
        expo = self.client.get("/meetings/ii-russian-chinese-expo-2015/")
        self.assertContains(expo, "II")
        self.assertContains(expo, "Exhibitions")

    def test_the_signing_of_13_october_2015_is_not_placed_or_tied_to_a_visit(self):
        signing = self.client.get("/meetings/harbin-twinning-protocol-signing-2015/").context["meeting"]
        self.assertEqual((signing.place, signing.delegation), (None, None))
        self.assertIn("inference", signing.notes)
        self.assertEqual(signing.date_display, "13 October 2015")

    def test_the_summary_says_what_the_source_says(self):
        partnership = self.client.get("/partnerships/harbin-murmansk/").context["partnership"]
        self.assertIn("relatively recently", partnership.summary)
        self.assertNotIn("began in March 2014", partnership.summary)
        self.assertIn("stated purposes", partnership.summary)

    def test_the_handed_over_invitation_is_made(self):
        outcomes = {o.slug: o for o in self.client.get(
            "/meetings/harbin-delegation-murmansk-meeting-2016/").context["outcomes"]}
        self.assertEqual(outcomes["murmansk-gulf-stream-invitation-2016"].status, "done")
        self.assertEqual(outcomes["harbin-murmansk-twinning-agreement-2016"].status, "planned")

    def test_source_date_and_text(self):
        response = self.client.get("/sources/harbin-murmansk-2016/")
        self.assertContains(response, "23 May 2016")
        # Headed with the visit's first day, yet narrating all three: the publication date is uncertain.
        source = response.context["source"]
        self.assertEqual((source.date_earliest.isoformat(), source.date_latest.isoformat(), source.date_precision),
                         ("2016-05-23", "2016-12-31", "days"))
        self.assertEqual(source.date_original, "23 May 2016")
        self.assertContains(response, "Thus, Harbin will become the 11 sister city of Murmansk.")
