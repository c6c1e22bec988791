"""Facts of the Persian source (governors of Gilan and Astrakhan in Rasht, 18 Farvardin 1402)."""

from tests.base import CatalogueTestCase


class GilanAstrakhanTests(CatalogueTestCase):
    document = "30_gilan_astrakhan_2023.json"

    def test_the_meeting_in_both_calendars(self):
        response = self.client.get("/meetings/gilan-astrakhan-governors-meeting-2023/")
        self.assertContains(response, "7 April 2023")
        self.assertContains(response, "18 Farvardin 1402")
        self.assertContains(response, "۱۸ فروردین ماه ۱۴۰۲")
        self.assertEqual(response.context["meeting"].place.slug, "rasht")

    def test_the_governors_on_their_sides(self):
        response = self.client.get("/meetings/gilan-astrakhan-governors-meeting-2023/")
        self.assertEqual([p.person.slug for p in response.context["hosts"]], ["asadollah-abbasi"])
        self.assertEqual([p.person.slug for p in response.context["guests"]], ["igor-babushkin"])
        self.assertContains(response, "اسدالله عباسی")
        self.assertContains(response, "استاندار آستراخان")

    def test_figures_stated(self):
        response = self.client.get("/cities/astrakhan-oblast/")
        self.assertContains(response, "16,000,000 tonnes per year")
        self.assertContains(response, "۱۶ میلیون تن")
        self.assertContains(response, "Ports")

    def test_invitations_and_plans(self):
        response = self.client.get("/meetings/gilan-astrakhan-governors-meeting-2023/")
        outcomes = {o.slug: o for o in response.context["outcomes"]}
        self.assertEqual(outcomes["astrakhan-invites-gilan-governor"].made_by.slug, "igor-babushkin")
        for slug in ["astrakhan-music-festival-invitation-2023", "astrakhan-media-conference-invitation-2023",
                     "gilan-bandar-anzali-exhibition-invitation", "astrakhan-zones-investment-proposal"]:
            self.assertIn(slug, outcomes)
        # Invitations made at the meeting are done; the events they invite to are planned.
        invitations = [o for o in outcomes.values() if o.kind == "invitation"]
        self.assertEqual({o.status for o in invitations}, {"done"})
        self.assertEqual({o.leads_to.status for o in invitations}, {"planned"})

    def test_persian_renderings(self):
        from partnerships.models import Citation, Outcome, Place

        delegations = Citation.objects.get(slug="gilan-2023-abbasi-delegations-exhibition").passage_english
        self.assertIn("increase our trade delegations, at a higher level", delegations)
        self.assertIn("in this region", Citation.objects.get(slug="gilan-2023-special-zones").passage_english)
        self.assertIn("in this region", Outcome.objects.get(slug="astrakhan-zones-investment-proposal").notes)
        astrakhan = Place.objects.get(slug="astrakhan-oblast").description
        self.assertIn("annual cargo turnover of 16 million tonnes", astrakhan)
        self.assertNotIn("ports with a cargo turnover", astrakhan)

    def test_persian_quotes_are_right_to_left(self):
        response = self.client.get("/meetings/gilan-astrakhan-governors-meeting-2023/")
        self.assertContains(response, '<blockquote lang="fa" dir="rtl">')
        source = self.client.get("/sources/gilan-astrakhan-2023/")
        self.assertContains(source, 'lang="fa" dir="rtl"')

    def test_whom_babushkin_met_and_where_he_went(self):
        response = self.client.get("/people/igor-babushkin/")
        self.assertEqual([p.slug for p in response.context["met"]], ["asadollah-abbasi"])
        self.assertContains(response, "Caspian")

    def test_relations_described_as_cooperation(self):
        response = self.client.get("/partnerships/gilan-astrakhan/")
        self.assertEqual(response.context["partnership"].status, "cooperation")
