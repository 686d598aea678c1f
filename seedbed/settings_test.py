"""The test suite's settings: the real settings module, read with SEEDBED_TESTING on."""

import os

os.environ.setdefault("SEEDBED_TESTING", "1")

from seedbed.settings import *  # noqa: E402,F403
