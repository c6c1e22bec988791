"""Place names in the reader's language, where the catalogue knows one.

A place's `name` is its English or Latin-script name, and shows on every
page unless the catalogue knows the name in the reader's language:

1. a country (a place of level "country") is named as django-countries
   names it in that language ("Казахстан", "哈萨克斯坦");
2. a place whose native name is in that language is named by it
   (Мурманск on Russian pages, 哈尔滨 on Chinese ones, رشت on Persian ones);
3. otherwise a curated other name in that language (a PlaceName with that
   `language`, not a misspelling) where the page has loaded the place's
   names (its own page does).

GeoNames' alternate names carry no language in the cities15000 file, so
imported names (language "mul") never stand in for a name; the curated
ones and each place's native name do. Norwegian Bokmål pages take names
in "nb" and in the general "no".
"""

from django.utils.translation import get_language
from django_countries import countries

# The language codes a name may carry for each page language.
NAME_LANGUAGES = {"nb": {"nb", "no"}, "zh-hans": {"zh", "zh-hans", "zh-cn"}}
SKIPPED_KINDS = {"misspelling"}


def name_languages(language):
    language = (language or "en").lower()
    return NAME_LANGUAGES.get(language, {language, language.split("-")[0]})


def local_name(place, language=None):
    """The place's name for a reader of `language` (the active one by default).

    A partnership is named by its places' names; anything without a name
    (a person, a topic: their names are not translated) shows as it is.
    """
    if place is None or place == "":
        return ""
    if hasattr(place, "place_a") and hasattr(place, "place_b"):  # a partnership is named by its two places
        return f"{local_name(place.place_a, language)} – {local_name(place.place_b, language)}"
    name = getattr(place, "name", None)
    if name is None or not hasattr(place, "name_native"):
        return place if name is None else name
    language = (language or get_language() or "en").lower()
    if language == "en":
        return name
    wanted = name_languages(language)
    if getattr(place, "level", None) == "country" and place.country:
        return countries.name(getattr(place.country, "code", place.country)) or name
    if place.name_native and (getattr(place, "native_language", "") or "").lower() in wanted:
        return place.name_native
    prefetched = getattr(place, "_prefetched_objects_cache", {}).get("names")
    if prefetched is not None:
        for other in prefetched:
            if (other.language or "").lower() in wanted and other.kind not in SKIPPED_KINDS:
                return other.name
    return name
