"""Django settings, read from the environment (12-factor).

Environment variables:
  DATABASE_URL          sqlite:///PATH or postgresql://USER@HOST:PORT/NAME
                        (default: the demo's SQLite file in NARAVARD_DATA_DIR)
  NARAVARD_SECRET_KEY   required outside the demo
  NARAVARD_DEBUG        "1" turns Django's debug mode on (never in production)
  NARAVARD_DEMO         "1" marks the embedded demo: demo secret key allowed,
                        cookies without the Secure flag (plain http on localhost)
  NARAVARD_ALLOWED_HOSTS comma-separated host names (default: localhost only)
  NARAVARD_DATA_DIR     where the demo database and outgoing e-mail files live
  NARAVARD_PUBLIC_MAX_AGE seconds public pages and open data may be cached (default 60)
  NARAVARD_PUBLISHER    the agency that publishes the report, named on its cover, in its
                        method section and as the PDF's author (default Socialstyrelsen)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent

DEMO_SECRET_KEY = "naravard-demo-only-not-secret"  # noqa: S105 - refused outside the demo


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    """Folder for the demo database and other local files."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "naravard"
    return Path(os.environ.get("NARAVARD_DATA_DIR", default))


DEMO = _flag("NARAVARD_DEMO")
DEBUG = _flag("NARAVARD_DEBUG")

SECRET_KEY = os.environ.get("NARAVARD_SECRET_KEY", "")
if DEMO and not SECRET_KEY:
    SECRET_KEY = DEMO_SECRET_KEY
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "NARAVARD_SECRET_KEY is not set. Set it to a long random string "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or run the embedded demo with 'naravard demo'."
    )
if DEMO and os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "NARAVARD_DEMO runs only on the demo's own SQLite file; unset DATABASE_URL "
        "(or unset NARAVARD_DEMO to run on that database with a real secret key)."
    )
if SECRET_KEY == DEMO_SECRET_KEY and not DEMO:
    raise ImproperlyConfigured(
        "Refusing to start with the demo secret key outside the demo. "
        "Set NARAVARD_SECRET_KEY to a secret of your own."
    )
if not DEMO and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "NARAVARD_SECRET_KEY is too short: use at least 32 random characters."
    )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("NARAVARD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

DEMO_DATABASE_PATH = data_dir() / "demo.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DEMO_DATABASE_PATH}"
# A connection is kept for a minute and checked before each request uses it, so that after a
# database restart (or any dropped connection) a request opens a new one instead of failing.
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
except ValueError as exc:  # unknown scheme and the like
    raise ImproperlyConfigured(f"DATABASE_URL is not usable ({DATABASE_URL!r}): {exc}") from exc
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:///PATH or postgresql://…")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DATABASES["default"]["ATOMIC_REQUESTS"] = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "naravard.refdata",
    "naravard.accounts",
    "naravard.collect",
    "naravard.catalog",
    "naravard.ingest",
    "naravard.engine",
    "naravard.sources",
    "naravard.publish",
    "naravard.report",
    "naravard.qualitative",
    "naravard.presentation",
    "naravard.site",
    "naravard.opendata",
    "naravard.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # before WhiteNoise, which answers static files itself: those carry the headers too
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # the PxWeb API's calls per time window and client address (before the cache: a cached
    # answer counts too)
    "naravard.opendata.limits.CallLimitMiddleware",
    # public, anonymous answers from the cache (after Locale: the language is in the key;
    # before CSRF: a page that sets the CSRF cookie is personal and not kept)
    "naravard.site.caching.PublicCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # query strings, form posts and URL parts cleaned before a view reads them (core/text.py)
    "naravard.core.cleaning.CleanTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # a signed-in session ends after its role's idle time (NARAVARD_SESSION_IDLE)
    "naravard.accounts.sessions.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    # a NaravardError a view lets through: the status page of its kind, with its message
    "naravard.presentation.errors.ErrorPageMiddleware",
]

ROOT_URLCONF = "naravard.urls"
WSGI_APPLICATION = "naravard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "naravard.presentation.context.site",
            ],
            # filters every template has without {% load %} (naravard/date_filters.py)
            "builtins": ["naravard.presentation.date_filters"],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login rate limiting, must come first
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:workspace"
LOGOUT_REDIRECT_URL = "publish:home"

# Login rate limiting (django-axes): lock a username from one address after
# five failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # grouping only where asked (intcomma), never in years

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("NARAVARD_STATIC_ROOT") or None  # only for collectstatic
WHITENOISE_USE_FINDERS = True  # serve straight from the package; no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security basics. The demo runs on plain http on localhost, so only there
# may cookies travel without the Secure flag.
SESSION_COOKIE_SECURE = not DEMO
CSRF_COOKIE_SECURE = not DEMO
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this many seconds without a request, by role (accounts/sessions.py moves
# the end forward at most every 5 minutes): analysts, who have the admin, and coordinators
# after 8 hours, respondents after 24. A password change ends the account's other sessions.
# The agency named as the report's publisher (cover, method section, the PDF's author).
NARAVARD_PUBLISHER = os.environ.get("NARAVARD_PUBLISHER", "").strip() or "Socialstyrelsen"

NARAVARD_SESSION_IDLE = {
    "analyst": 8 * 3600,
    "region_coordinator": 8 * 3600,
    "municipality_respondent": 24 * 3600,
}
SESSION_COOKIE_AGE = 8 * 3600  # any other session (Django's default is two weeks)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: nothing from another origin, no
# inline script or style, no eval (charts.js runs Vega's expression interpreter). A published
# report's own <style> is allowed by its hash (report/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if not DEMO and not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("NARAVARD_HSTS_SECONDS", "3600"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("NARAVARD_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# HTTP caching of public answers (site/caching.py): anonymous GETs of the open-data APIs
# and public pages are kept per publication version and marked public for this many seconds
# (how long nginx and browsers may show a page after a release or withdrawal).
NARAVARD_PUBLIC_MAX_AGE = int(os.environ.get("NARAVARD_PUBLIC_MAX_AGE", "60"))
# The PxWeb API's calls per time window and client address (opendata/limits.py), announced in
# its /config and answered with 429 and Retry-After beyond it.
PXWEB_MAX_CALLS = int(os.environ.get("NARAVARD_PXWEB_MAX_CALLS", "30"))
PXWEB_TIME_WINDOW = int(os.environ.get("NARAVARD_PXWEB_TIME_WINDOW", "10"))
CACHES = {
    "default": {
        # Django's in-process cache, bounded by the bytes it holds (site/memory_cache.py)
        "BACKEND": "naravard.site.memory_cache.BoundedMemoryCache",
        "LOCATION": "naravard",
        "TIMEOUT": 600,  # bounds how long a change the version does not track can hide
        "OPTIONS": {"MAX_BYTES": 96 * 1024 * 1024},  # per server process
    },
}

# Disclosure control: counts below this are never published (see engine/disclosure.py).
DISCLOSURE_THRESHOLD = int(os.environ.get("NARAVARD_DISCLOSURE_THRESHOLD", "5"))

EMAIL_BACKEND = (
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO
    else os.environ.get("NARAVARD_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
)
EMAIL_FILE_PATH = data_dir() / "outbox"
DEFAULT_FROM_EMAIL = os.environ.get("NARAVARD_FROM_EMAIL", "naravard@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
