"""Settings for the test suite: a throwaway secret key and PostgreSQL unless told otherwise.

The suite runs on the database named by DATABASE_URL; it defaults to the
PostgreSQL server on 127.0.0.1:5432 (pytest-django creates and drops
``test_naravard`` there). Set DATABASE_URL=sqlite:///… to run it on SQLite.
"""

import os

os.environ.setdefault(
    "NARAVARD_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/naravard")

from naravard.settings import *  # noqa: E402,F401,F403
from naravard.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# the live-server tests answer in request threads: their connections must close with the
# request, or the test database cannot be dropped at the end of the run
DATABASES["default"]["CONN_MAX_AGE"] = 0
# the suite's clients (schemathesis, the source readers) call the PxWeb API far more often than
# a person's client; tests/opendata/test_pxweb_limits.py sets a small limit of its own
PXWEB_MAX_CALLS = 1_000_000
# every chart the suite draws is checked against the Vega-Lite schema (presentation/charts.py)
NARAVARD_VALIDATE_CHARTS = True
