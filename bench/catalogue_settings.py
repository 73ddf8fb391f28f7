"""The settings bench/catalogue.py serves the portal with under gunicorn: the production ones,
with URLs that add the baseline's bare view (bench/catalogue_urls.py), so that production URLs
never gain it."""

import os

from kcc_portal.settings import *  # noqa: F403 - the same settings, one URL more
from kcc_portal.settings import CACHES

ROOT_URLCONF = "bench.catalogue_urls"
# Its own key prefix in the shared Redis, so that nothing it caches is mistaken for the portal's;
# bench/catalogue.py gives each run its own, so that no run reads pages cached by an earlier one.
PREFIX = os.environ.get("BENCH_CACHE_PREFIX", "kcc-bench-catalogue")
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": PREFIX}}
