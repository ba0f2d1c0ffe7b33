"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samordning.settings.production")

application = get_wsgi_application()

from samordning.startup import settle  # noqa: E402 (after Django is set up)

settle()
