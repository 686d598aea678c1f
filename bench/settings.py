"""Settings for the benchmark: the real settings, plus a URLconf with a bare baseline view.

SEEDBED_TESTING supplies a throw-away secret key and plain-HTTP cookies for the in-process
client; DEBUG stays off so timings carry no debug overhead (no query log, no debug pages).
bench/run.py points DATABASE_URL at one of the SQLite files under bench/data/.
"""

import os

os.environ.setdefault("SEEDBED_TESTING", "1")

from seedbed.settings import *  # noqa: E402,F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
