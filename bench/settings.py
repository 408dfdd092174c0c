"""Settings for benchmarks: the portal's own, plus a trivial view to compare against."""

from ikone.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
