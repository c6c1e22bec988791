"""Facts of the Norwegian source (Kazakhstan's ambassador in Narvik, 29.8.2019), read off the public pages."""

from tests.base import CatalogueTestCase


class NarvikKazakhstanTests(CatalogueTestCase):
    document = "10_narvik_kazakhstan_2019.json"

    def test_the_town_hall_meeting(self):
        response = self.client.get("/meetings/narvik-town-hall-meeting-2019/")
        hosts, guests = response.context["hosts"], response.context["guests"]
        self.assertEqual(len(hosts), 8)
        self.assertEqual({p.person.slug for p in guests}, {"yerkin-akhinzhanov", "talgat-zhumagulov"})
        self.assertContains(response, "29 August 2019")
        self.assertContains(response, "29.8.2019")
        self.assertContains(response, "rådhuset til Narvik kommune")
        for topic in ["Aquaculture", "Transport &amp; logistics", "Higher education", "Second World War"]:
            self.assertContains(response, topic)

    def test_every_local_participant_with_title(self):
        response = self.client.get("/meetings/narvik-town-hall-meeting-2019/")
        for name, title in [
            ("Rune Edvardsen", "Ordfører"),
            ("Geir-Ketil Hansen", "Varaordfører"),
            ("Lars Skjønnås", "Rådmann"),
            ("Lars N. Andersen", "Assisterende rådmann"),
            ("Lennarth Kvernmo", "Rådgiver næring og utvikling"),
            ("Rune J. Arnøy", "Direktør Narvik Havn"),
            ("Ragnar Krogstad", "Utviklingssjef Narvik Havn"),
            ("Eystein Markusson", "Narviksenteret"),
        ]:
            with self.subTest(name=name):
                self.assertContains(response, name)
                self.assertContains(response, title)

    def test_the_ambassador_and_the_sources_odd_wording(self):
        response = self.client.get("/people/yerkin-akhinzhanov/")
        self.assertContains(response, "Den Norske ambassadøren til Kazakhstan")
        self.assertContains(response, "Mr.")
        kazakhstan = self.client.get("/cities/kazakhstan/")
        self.assertContains(kazakhstan, "Kazhakstan")
        self.assertContains(kazakhstan, "misspelling found in a source")
        self.assertEqual(kazakhstan.context["place"].get_level_display(), "country")

    def test_the_tours_after_the_meeting(self):
        tour = self.client.get("/meetings/narviksenteret-tour-2019/")
        self.assertContains(tour, "Elena Badanina")
        self.assertContains(tour, "Russian")
        camp = self.client.get("/meetings/beisfjord-prison-camp-visit-2019/")
        self.assertContains(camp, "Michael Stokke")
        self.assertContains(camp, "den Sovjetiske fangeleiren i Beisfjord")
        # "fangeleir" is a prison camp: the source does not speak of prisoners of war.
        self.assertContains(camp, "Tour of the Soviet prison camp at Beisfjord")
        self.assertNotContains(camp, "prisoner-of-war")
        self.assertNotContains(self.client.get("/topics/second-world-war/"), "prisoners of war")
        # The meeting's earlier address, from before the correction, leads to it for good.
        self.assertRedirects(
            self.client.get("/meetings/beisfjord-pow-camp-visit-2019/"), "/meetings/beisfjord-prison-camp-visit-2019/",
            status_code=301,
        )

    def test_the_ambassador_is_read_as_kazakhstans_and_says_so(self):
        # Titles call him Kazakhstan's ambassador; every note on him gives that reading and its reason.
        meeting = self.client.get("/meetings/narvik-town-hall-meeting-2019/").context["meeting"]
        self.assertIn("Kazakhstan's ambassador", meeting.title)
        person = self.client.get("/people/yerkin-akhinzhanov/").context["person"]
        office = person.offices.get()
        self.assertEqual(office.title, "Ambassador of Kazakhstan")
        for notes in (person.notes, office.notes, meeting.notes):
            self.assertIn("Den Norske ambassadøren til Kazakhstan", notes)
            self.assertIn("official visit from Kazakhstan", notes)
        self.assertNotIn("does not state to which country", person.notes)
        embassy = office.organisation
        self.assertIsNone(embassy.place)  # where the mission is based is not stated
        self.assertIn("inference", embassy.notes)

    def test_first_contact_and_the_follow_up_planned_for_2020(self):
        partnership = self.client.get("/partnerships/kazakhstan-narvik/")
        self.assertEqual(partnership.context["partnership"].status, "first_contact")
        self.assertContains(partnership, "first half of 2020")
        follow_up = self.csv_rows("/meetings/?status=planned&partnership=kazakhstan-narvik&format=csv")
        self.assertEqual([r["Slug"] for r in follow_up], ["narvik-kazakhstan-follow-up-2020"])
        self.assertEqual(follow_up[0]["Date (ISO interval)"], "2020-01-01/2020-06-30")

    def test_the_contact_details(self):
        response = self.client.get("/people/lennarth-kvernmo/")
        self.assertContains(response, "900 36666")
        self.assertContains(response, "lennart.kvernmo@narvik.kommune.no")

    def test_quotes_in_norwegian_with_english(self):
        response = self.client.get("/meetings/narvik-town-hall-meeting-2019/")
        self.assertContains(response, 'lang="no"')
        self.assertContains(response, "Selve møtet foregikk i rådhuset til Narvik kommune.")
