"""Which language a request is answered in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class CatalogueLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, plus the admin in the editor's language and a first visit's language.

    A public page's language is its URL prefix, English without one, so
    that every address names one page in one language. The admin
    (BROWSER_LANGUAGE_PATHS) has no prefix and follows the language cookie
    or Accept-Language instead.

    A reader arriving from elsewhere (no language cookie, no link from this
    site) at an unprefixed page, whose browser prefers one of the other
    languages, is redirected to that page in that language. Links within
    the site (the language switcher's "English" included) are followed as
    they are, so a reader can always choose English.
    """

    def process_request(self, request):
        if request.path_info.startswith(settings.BROWSER_LANGUAGE_PATHS):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            return None
        super().process_request(request)
        return self.first_visit_redirect(request)

    def process_response(self, request, response):
        if request.path_info.startswith(settings.BROWSER_LANGUAGE_PATHS):
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)

    def first_visit_redirect(self, request):
        """The redirect of a first visit to the page in the browser's language, or None."""
        if (
            request.method not in ("GET", "HEAD")
            or translation.get_language_from_path(request.path_info)
            or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
            or "text/html" not in request.headers.get("Accept", "")  # browsers' page loads, not scripts or exports
            or self.from_this_site(request)
        ):
            return None
        preferred = translation.get_language_from_request(request, check_path=False)
        if preferred == settings.LANGUAGE_CODE:
            return None
        with translation.override(preferred):  # the prefix patterns match the active language's prefix
            if not is_valid_path(f"/{preferred}{request.path_info}", getattr(request, "urlconf", None)):
                return None
        response = HttpResponseRedirect(f"/{preferred}{request.get_full_path()}")
        patch_vary_headers(response, ["Accept-Language", "Cookie", "Referer"])
        patch_cache_control(response, private=True)
        return response

    @staticmethod
    def from_this_site(request):
        referer = request.headers.get("Referer", "")
        return bool(referer) and urlsplit(referer).netloc == request.get_host()
