"""The site in English, Norwegian Bokmål, Russian, Persian and Simplified Chinese.

Catalogues: every message of the code is translated in every language, none
fuzzy or empty, and the committed .mo files say what their .po files say.
Pages: each page type in each language shows no English interface text;
URLs, the language switcher, the first visit's redirect, dates, numbers,
plural forms, place names and exports follow the reader's language.
"""

import datetime
import gettext
import html
import json
import re
import shutil
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from partnerships.i18n.formats import reader_date
from tests.base import CatalogueTestCase

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["nb", "ru", "fa", "zh-hans"]
PO_LANGUAGES = ["nb", "ru", "fa", "zh_Hans"]
DOMAINS = ["django", "djangojs"]

PAGE_TYPES = [
    "/",
    "/cities/",
    "/cities/murmansk/",
    "/cities/gilan/",
    "/partnerships/",
    "/partnerships/harbin-murmansk/",
    "/delegations/",
    "/delegations/harbin-delegation-murmansk-2016/",
    "/meetings/",
    "/meetings/?topic=health-care&country=CN&date_from=2010&country=XX",
    "/meetings/gilan-astrakhan-governors-meeting-2023/",
    "/meetings/narvik-town-hall-meeting-2019/",
    "/people/",
    "/people/igor-babushkin/",
    "/topics/",
    "/topics/health-care/",
    "/sources/",
    "/sources/gilan-astrakhan-2023/",
    "/map/",
    "/map/?year=2016",
    "/search/?q=murmansk",
    "/search/?q=nothing-is-called-this",
    "/api/",
    "/downloads/",
    "/no-such-page/",
]
# Elements whose text is the interface's, never the catalogue's data.
INTERFACE = re.compile(r"<(dt|th|label|button|legend|summary|h2)\b[^>]*>(.*?)</\1>", re.S)
# Elements a page says are in English (the API reference's OpenAPI descriptions): not interface text.
ENGLISH_ON_PURPOSE = re.compile(r'<(\w+)\b[^>]*\blang="en"[^>]*>.*?</\1>', re.S)


def catalogue(language, domain="django"):
    with (LOCALE / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
        return read_po(f, locale=language)


def text_of(fragment):
    return spaced(html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))).strip()


def spaced(text):
    """Text with CLDR's no-break and narrow no-break spaces ("2019\u202fг.") as plain ones, for comparing."""
    return text.replace("\u202f", " ").replace("\xa0", " ")



class CataloguesTests(TestCase):
    def test_every_message_is_translated_in_every_language(self):
        for language in PO_LANGUAGES:
            for domain in DOMAINS:
                for message in catalogue(language, domain):
                    if not message.id:
                        continue
                    with self.subTest(language=language, domain=domain, message=message.id):
                        self.assertFalse(message.fuzzy, "fuzzy")
                        strings = message.string if isinstance(message.string, tuple) else (message.string,)
                        self.assertTrue(strings and all(strings), "not translated")

    def test_placeholders_survive_translation(self):
        placeholder = re.compile(r"%\(\w+\)s")
        for language in PO_LANGUAGES:
            for domain in DOMAINS:
                for message in catalogue(language, domain):
                    if not message.id:
                        continue
                    ids = message.id if isinstance(message.id, tuple) else (message.id,)
                    wanted = set(placeholder.findall(ids[-1]))
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    for string in strings:
                        with self.subTest(language=language, message=ids[0]):
                            # A plural form may leave the number out ("1 dag" is fine as "én dag"), nothing else.
                            self.assertLessEqual(set(placeholder.findall(string)), wanted)
                            self.assertLessEqual(wanted - {"%(count)s", "%(n)s", "%(low)s"},
                                                 set(placeholder.findall(string)))

    def test_compiled_catalogues_match_their_sources(self):
        """The committed .mo files are what `manage.py compile_translations` makes of the .po files."""
        for language in PO_LANGUAGES:
            for domain in DOMAINS:
                with self.subTest(language=language, domain=domain):
                    expected = {}
                    for message in catalogue(language, domain):
                        if not message.id:
                            continue
                        prefix = f"{message.context}\x04" if message.context else ""
                        if isinstance(message.id, tuple):
                            for i, string in enumerate(message.string):
                                expected[(prefix + message.id[0], i)] = string
                        else:
                            expected[prefix + message.id] = message.string
                    with (LOCALE / language / "LC_MESSAGES" / f"{domain}.mo").open("rb") as f:
                        compiled = dict(gettext.GNUTranslations(f)._catalog)
                    compiled.pop("", None)
                    self.assertEqual(compiled, expected, "run manage.py compile_translations")

    def test_the_catalogues_hold_every_message_of_the_code(self):
        """Extract the messages afresh (GNU gettext's xgettext, where installed) and compare."""
        if not shutil.which("xgettext") or not shutil.which("msgmerge"):
            self.skipTest("GNU gettext is not installed: messages cannot be extracted here")
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(LOCALE, tmp, dirs_exist_ok=True)
            with override_settings(LOCALE_PATHS=[tmp]):
                for domain, ignore in (("django", ["tests", "loadtest"]), ("djangojs", ["static/vendor"])):
                    call_command(
                        "makemessages", domain=domain, locale=PO_LANGUAGES, verbosity=0, no_obsolete=True,
                        ignore_patterns=[".venv", "staticfiles", *ignore],
                    )
            for language in PO_LANGUAGES:
                for domain in DOMAINS:
                    with open(Path(tmp) / language / "LC_MESSAGES" / f"{domain}.po", "rb") as f:
                        fresh = read_po(f, locale=language)
                    committed = catalogue(language, domain)
                    for message in fresh:
                        if not message.id:
                            continue
                        with self.subTest(language=language, domain=domain, message=message.id):
                            known = committed.get(message.id, context=message.context)
                            self.assertIsNotNone(known, "missing from the .po file: run makemessages and translate")
                            self.assertFalse(message.fuzzy, "fuzzy after makemessages: the English changed")
                            strings = message.string if isinstance(message.string, tuple) else (message.string,)
                            self.assertTrue(all(strings), "not translated")


class PagesInEveryLanguageTests(CatalogueTestCase):
    @staticmethod
    def english_interface(language):
        """The interface's English texts that `language` says otherwise (Norwegian's "Status" is "Status")."""
        return {
            message.id
            for message in catalogue(language.replace("-hans", "_Hans"))
            if message.id and not isinstance(message.id, tuple) and "%" not in message.id
            and message.string != message.id
        }

    def test_no_page_shows_english_interface_text_in_another_language(self):
        for path in PAGE_TYPES:
            for language in LANGUAGES:
                english = self.english_interface(language)
                sentences = [t for t in english if len(t.split()) >= 4]
                with self.subTest(path=path, language=language):
                    response = self.client.get(f"/{language}{path}")
                    self.assertIn(response.status_code, (200, 404))
                    content = response.content.decode()
                    self.assertIn(f'<html lang="{language}"', content)
                    content = ENGLISH_ON_PURPOSE.sub(" ", content)
                    for _tag, inner in INTERFACE.findall(content):
                        shown = text_of(inner)
                        self.assertFalse(shown in english, f"English in <{_tag}>: {shown!r}")
                    page_text = text_of(content)
                    for sentence in sentences:
                        self.assertFalse(sentence in page_text, f"English: {sentence!r}")

    def test_persian_pages_run_right_to_left(self):
        self.assertContains(self.client.get("/fa/"), '<html lang="fa" dir="rtl">')
        self.assertContains(self.client.get("/ru/"), '<html lang="ru" dir="ltr">')
        self.assertContains(self.client.get("/"), '<html lang="en" dir="ltr">')


class LanguageUrlsTests(CatalogueTestCase):
    def test_english_has_no_prefix_and_the_others_have_theirs(self):
        self.assertContains(self.client.get("/meetings/"), "Meetings and visits")
        self.assertContains(self.client.get("/ru/meetings/"), "Встречи и визиты")
        self.assertContains(self.client.get("/zh-hans/meetings/"), "会见与访问")
        self.assertEqual(self.client.get("/en/meetings/").status_code, 404)

    def test_plumbing_and_the_admin_have_no_prefix(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        self.assertEqual(self.client.get("/robots.txt").status_code, 200)
        self.assertEqual(self.client.get("/ru/healthz").status_code, 404)
        self.assertEqual(self.client.get("/ru/admin/").status_code, 404)

    def test_the_admin_speaks_the_editors_language(self):
        self.client.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
        page = self.client.get("/admin/partnerships/meeting/", headers={"accept-language": "ru"})
        self.assertContains(page, '<html lang="ru"')
        self.assertContains(page, "встреча")  # the model's name, from the catalogue's translations
        self.assertContains(page, "состоялась")  # a choice label in the status filter
        english = self.client.get("/admin/partnerships/meeting/")
        self.assertContains(english, "Select meeting to change")

    def test_a_first_visit_is_redirected_to_the_browsers_language(self):
        browser = {"accept": "text/html,*/*", "accept-language": "ru,en;q=0.5"}
        response = self.client.get("/meetings/?country=CN", headers=browser)
        self.assertRedirects(response, "/ru/meetings/?country=CN", fetch_redirect_response=False)
        self.assertIn("Accept-Language", response["Vary"])
        self.assertEqual(
            self.client.get("/", headers={**browser, "accept-language": "fa-IR"})["Location"], "/fa/"
        )

    def test_choosing_english_is_respected(self):
        browser = {"accept": "text/html,*/*", "accept-language": "ru"}
        # A link within the site (the switcher's "English"), a language cookie, a script or an export: no redirect.
        within = self.client.get("/meetings/", headers={**browser, "referer": "http://testserver/ru/meetings/"})
        self.assertEqual(within.status_code, 200)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertEqual(self.client.get("/meetings/", headers=browser).status_code, 200)
        self.client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
        self.assertEqual(self.client.get("/meetings/?format=csv", headers={"accept-language": "ru"}).status_code, 200)
        self.assertEqual(self.client.get("/meetings/", headers={"accept-language": "en"}).status_code, 200)

    def test_the_switcher_keeps_the_page_and_its_filters(self):
        page = self.client.get("/ru/meetings/?topic=health-care&country=CN").content.decode()
        switcher = re.search(r'<nav class="languages".*?</nav>', page, re.S).group(0)
        self.assertIn('href="/meetings/?topic=health-care&amp;country=CN"', switcher)
        self.assertIn('href="/fa/meetings/?topic=health-care&amp;country=CN"', switcher)
        self.assertIn('href="/zh-hans/meetings/?topic=health-care&amp;country=CN"', switcher)
        self.assertIn('aria-current="page" lang="ru"', switcher)
        english = self.client.get("/cities/murmansk/").content.decode()
        self.assertIn('href="/nb/cities/murmansk/"', english)


class ReadersFormsTests(CatalogueTestCase):
    def assertShows(self, path, text):
        self.assertIn(text, spaced(self.client.get(path).content.decode()))

    def test_dates_in_each_language(self):
        path = "/meetings/narvik-town-hall-meeting-2019/"
        self.assertShows(path, "29 August 2019")
        self.assertShows(f"/nb{path}", "29. august 2019")
        self.assertShows(f"/ru{path}", "29 августа 2019 г.")
        self.assertShows(f"/zh-hans{path}", "2019年8月29日")
        self.assertShows(f"/fa{path}", "(۲۹ اوت ۲۰۱۹)")

    def test_persian_reads_the_solar_hijri_date_first(self):
        path = "/meetings/caspian-sea-of-friendship-exhibition-visit-2023/"
        self.assertShows(f"/fa{path}", "۱۸ فروردین ۱۴۰۲ (۷ آوریل ۲۰۲۳)")
        self.assertShows(f"/ru{path}", ">7 апреля 2023 г.</time>")
        self.assertShows(f"/ru{path}", "(18 фарвардина 1402 г., иранский календарь (солнечная хиджра))")

    def test_uncertain_dates_read_naturally(self):
        first_half = (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
        for language, expected in {"nb": "første halvår 2020", "ru": "первое полугодие 2020 г.",
                                   "zh-hans": "2020年上半年", "fa": "نیمهٔ نخست ۲۰۲۰"}.items():
            with translation.override(language):
                self.assertIn(expected, spaced(reader_date("half", *first_half)))
        with translation.override("ru"):
            march = reader_date("month", datetime.date(2014, 3, 1), datetime.date(2014, 3, 31))
            self.assertEqual(spaced(march), "март 2014 г.")
            self.assertEqual(reader_date("year", datetime.date(2015, 1, 1), datetime.date(2015, 12, 31)), "2015")

    def test_russian_counts_take_the_right_plural_form(self):
        page = self.client.get("/ru/meetings/").content.decode()
        self.assertRegex(page, r'<p class="summary"><strong>\d+</strong> встреч')
        titles = set(re.findall(r'class="count" title="([^"]+)"', page))
        self.assertIn("1 встреча", titles)
        self.assertIn("2 встречи", titles)
        self.assertIn("5 встреч", titles)
        self.assertShows("/ru/", "<strong>3</strong> источника")

    def test_persian_digits_in_counts(self):
        page = self.client.get("/fa/meetings/").content.decode()
        self.assertRegex(page, r'<p class="summary"><strong>[۰-۹]+</strong> دیدار')

    def test_place_names_in_the_readers_language(self):
        self.assertShows("/ru/partnerships/harbin-murmansk/", "<h1>Harbin – Мурманск</h1>")
        self.assertShows("/zh-hans/partnerships/harbin-murmansk/", "<h1>哈尔滨 – Murmansk</h1>")
        self.assertShows("/fa/cities/astrakhan-oblast/", "آستراخان")
        self.assertShows("/ru/cities/kazakhstan/", "Казахстан")
        for language in LANGUAGES:
            self.assertShows(f"/{language}/cities/narvik/", "Narvik")

    def test_country_names_are_translated(self):
        self.assertShows("/ru/cities/", "Россия")
        self.assertShows("/fa/cities/", "روسیه")


class ExportsInEveryLanguageTests(CatalogueTestCase):
    def test_csv_headers_follow_the_page_and_headers_en_keeps_english(self):
        russian = self.csv_rows("/ru/meetings/?format=csv")
        self.assertIn("Встреча", russian[0])
        self.assertIn("подписание", {row["Вид"] for row in russian})
        english = self.csv_rows("/ru/meetings/?format=csv&headers=en")
        self.assertIn("Meeting", english[0])
        self.assertIn("signing", {row["Kind"] for row in english})
        self.assertEqual(self.csv_rows("/meetings/?format=csv")[0].keys(), english[0].keys())

    def test_json_keys_stay_english(self):
        response = self.client.get("/zh-hans/meetings/?format=json")
        data = json.loads(b"".join(response.streaming_content))
        self.assertIn("Meeting", data["columns"])
        self.assertIn("Slug", data["rows"][0])


class MigrationsTests(TestCase):
    def test_translated_names_need_no_new_migration(self):
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
