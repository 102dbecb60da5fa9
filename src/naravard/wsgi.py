"""WSGI entry point (used by 'naravard serve' and by any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naravard.settings")
application = get_wsgi_application()
