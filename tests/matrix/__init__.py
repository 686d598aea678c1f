"""Probes for the access matrix, one module per area.

Each module defines ``HTML_SAMPLES`` and ``API_SAMPLES`` (route name / "METHOD /api/v1/path" →
``tests.test_access_matrix.Probe``) and ``build(users, org) -> dict``, which creates the objects
its probes need; a probe's ``kwargs`` reads them as ``w.extra["<module>"]["<key>"]``.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def matrix_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")]
