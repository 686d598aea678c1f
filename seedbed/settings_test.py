"""The test suite's settings: the real settings module, read with SEEDBED_TESTING on."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SEEDBED_TESTING", "1")

from seedbed.settings import *  # noqa: E402,F403
from seedbed.settings import DATABASES  # noqa: E402

# SQLite's default test database is in memory with a shared cache, which answers concurrent
# writers with "database table is locked" at once instead of waiting on the busy timeout; the
# tests that append to the audit chain or vote from several threads need real locking. A file
# per test process costs about as much time and lets parallel runs coexist.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not (
    DATABASES["default"]["TEST"]["NAME"]
):
    DATABASES["default"]["TEST"]["NAME"] = str(
        Path(tempfile.gettempdir()) / f"seedbed-test-{os.getpid()}.sqlite3"
    )

# Attachments written by tests go to a private temporary folder, never into var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="seedbed-test-media-"))
