"""Settings refuse to start insecurely, and a production-like configuration passes
`check --deploy`. Run in a fresh interpreter with an explicit environment, so the test run's
own SEEDBED_TESTING does not leak in."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
             "SEEDBED_DATA_DIR": str(tmp_path / "data"),
             "DJANGO_SETTINGS_MODULE": "seedbed.settings", **env}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=60)


def setup_django(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    return run(["-c", "import django; django.setup()"], env, tmp_path)


def random_key(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def test_settings_refuse_to_load_without_a_secret_key(tmp_path):
    result = setup_django({}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SEEDBED_SECRET_KEY must be set" in result.stderr


def test_settings_refuse_a_short_secret_key(tmp_path):
    result = setup_django({"SEEDBED_SECRET_KEY": "short"}, tmp_path)
    assert result.returncode != 0
    assert "SEEDBED_SECRET_KEY must be a random string of at least 50 characters" in result.stderr


def test_settings_refuse_a_nonsense_flag_naming_the_variable(tmp_path):
    result = setup_django({"SEEDBED_SECRET_KEY": random_key(), "SEEDBED_DEBUG": "maybe"},
                          tmp_path)
    assert result.returncode != 0
    assert "SEEDBED_DEBUG must be one of" in result.stderr


def test_settings_refuse_an_unknown_cache_url(tmp_path):
    result = setup_django({"SEEDBED_SECRET_KEY": random_key(),
                           "SEEDBED_CACHE_URL": "memcached://x"}, tmp_path)
    assert result.returncode != 0
    assert "SEEDBED_CACHE_URL must be" in result.stderr


def test_debug_mode_starts_without_a_secret_key(tmp_path):
    result = setup_django({"SEEDBED_DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {
        "SEEDBED_SECRET_KEY": random_key(60),
        "SEEDBED_DEBUG": "0",
        "SEEDBED_ALLOWED_HOSTS": "seedbed.example.com",
    }, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
