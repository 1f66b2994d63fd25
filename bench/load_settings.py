"""The product's settings with one URL added for the HTTP load bench (bench/load.py): the
floor view, reachable only when gunicorn is started with these settings, never in production."""

from roundtable.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
