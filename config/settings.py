"""Settings for the partnerships catalogue, read from the environment.

SQLite is the default database; DATABASE_URL switches to PostgreSQL.
Debug is off unless DJANGO_DEBUG is set, and without debug a secret key
must come from DJANGO_SECRET_KEY.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """A boolean from the environment: 1/true/yes/on or 0/false/no/off/empty."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    """A whole number from the environment; anything else refuses to start."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=""):
    """A comma-separated list from the environment, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",  # its translations of country names
    "django_filters",
    "axes",
    "partnerships",
    "scaling",
    "benchmarks",
    "partnerships.builds",  # the record of the catalogue's builds (build_catalogue)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "partnerships.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: from its URL prefix (/nb/, /ru/, ...), in the admin from the editor's browser.
    "partnerships.i18n.middleware.CatalogueLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Readers' requests read replicas (when there are any); public responses get validators.
    "scaling.middleware.ReplicaReadsMiddleware",
    "scaling.middleware.CatalogueCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Drafts are left out of every query of a request by anyone who is not an editor.
    "partnerships.publishing.DraftsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Exports read their server-side cursors to the end: plan those for every row, not for the first
    # tenth (PostgreSQL's default, which picks row-by-row plans ~10x slower for a whole export). And no
    # JIT compilation: it costs ~100 ms on a list's facet queries and gains nothing at this size.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c cursor_tuple_fraction=1 -c jit=off"

# Read replicas (PostgreSQL streaming standbys of the primary): readers' pages read from them, see
# scaling/routers.py. In tests a replica mirrors the test database under its own host and port.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {
        **dj_database_url.parse(url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60)),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["scaling.routers.ReplicaRouter"]

# How long a shared cache in front (a CDN, a caching proxy) may serve a public page before asking
# again; browsers always ask, and get a 304 when the catalogue has not changed (scaling/middleware.py).
SHARED_CACHE_SECONDS = env_int("DJANGO_SHARED_CACHE_SECONDS", 60)
UNCACHED_PATHS = ("/healthz",)
# Rendered public pages kept under the catalogue's version (0 entries: none kept), as files in
# DJANGO_PAGE_CACHE_DIR shared by every web process of the machine, so that a page one worker rendered
# serves the others and outlives a worker's recycling; "" keeps them in each process's memory instead.
PAGE_CACHE_DIR = os.environ.get("DJANGO_PAGE_CACHE_DIR", str(BASE_DIR / "cache" / "pages"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": PAGE_CACHE_DIR,
        "TIMEOUT": None,  # a page is retired by the next write, not by age
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_PAGE_CACHE_ENTRIES", 500)},
    },
}
if not PAGE_CACHE_DIR:
    CACHES["pages"].update(BACKEND="django.core.cache.backends.locmem.LocMemCache", LOCATION="pages")
if not CACHES["pages"]["OPTIONS"]["MAX_ENTRIES"]:
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
PAGE_CACHE_MAX_BYTES = 2_000_000
# Where each web process keeps streamed exports as files under the catalogue's version ("" for nowhere).
EXPORT_CACHE_DIR = os.environ.get("DJANGO_EXPORT_CACHE_DIR", str(BASE_DIR / "cache" / "exports"))
# How the lists that keep an in-memory index of their facets build it: "background", "inline", "off"
# (partnerships/listindex.py).
LIST_INDEX = os.environ.get("DJANGO_LIST_INDEX", "background")
TEST_RUNNER = "tests.runner.CatalogueTestRunner"  # the page cache off while testing

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a login while its username is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The site's languages; English pages have no prefix, the others live under /nb/, /ru/, /fa/, /zh-hans/.
# Translations: locale/<language>/LC_MESSAGES/django.po (see README, "Languages").
LANGUAGES = [
    ("en", "English"),
    ("nb", "Norwegian Bokmål"),
    ("ru", "Russian"),
    ("fa", "Persian"),
    ("zh-hans", "Simplified Chinese"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Paths outside the language prefixes whose pages are in the visitor's language (cookie, Accept-Language).
BROWSER_LANGUAGE_PATHS = ("/admin/",)
USE_TZ = True

# Countries: ISO 3166-1 as django-countries has it, plus Kosovo under XK, the
# user-assigned code GeoNames and the EU use (the twin-town lists name it).
COUNTRIES_OVERRIDE = {"XK": "Kosovo"}

# The open dataset's files (manage.py export_dataset writes them; /downloads/ serves them).
DOWNLOADS_DIR = Path(os.environ.get("DJANGO_DOWNLOADS_DIR") or BASE_DIR / "downloads")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development static files come from the finders; staticfiles/ exists after collectstatic only.
warnings.filterwarnings("ignore", message="No directory at: ")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Behind a TLS-terminating proxy in production; harmless in development.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # the admin's forms carry the token; no script reads the cookie
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: partnerships/security.py (no inline script or style; scripts only in the admin and the map).

# Failed logins (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT failures for one username, or from
# one client address, logins are refused for DJANGO_LOGIN_COOLOFF_MINUTES; every failure is logged.
# Behind DJANGO_PROXY_COUNT proxies (the TLS proxy: 1) the client address is the one the outermost
# proxy saw, taken from X-Forwarded-For; with 0 it is the connection's own address.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "partnerships.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_SENSITIVE_PARAMETERS = []  # the log names the username tried (passwords are never logged)
AXES_VERBOSE = False  # its start-up banner; failures and lockouts are still logged

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Every failed login and lockout (WARNING), whatever the level of the rest.
    "loggers": {"axes": {"level": "WARNING"}},
}
