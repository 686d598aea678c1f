"""The strict environment readers refuse nonsense instead of guessing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from seedbed.lib.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw,expected", [
    ("1", True), ("true", True), ("YES", True), (" on ", True),
    ("0", False), ("False", False), ("no", False), ("off", False),
])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SEEDBED_X", raw)
    assert env_bool("SEEDBED_X", not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "y es"])
def test_env_bool_refuses_anything_else_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SEEDBED_X", raw)
    with pytest.raises(ImproperlyConfigured, match="SEEDBED_X"):
        env_bool("SEEDBED_X", False)


def test_env_bool_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("SEEDBED_X", raising=False)
    assert env_bool("SEEDBED_X", True) is True
    monkeypatch.setenv("SEEDBED_X", "")
    assert env_bool("SEEDBED_X", False) is False


def test_env_int_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv("SEEDBED_N", " 42 ")
    assert env_int("SEEDBED_N", 1) == 42


@pytest.mark.parametrize("raw", ["abc", "4.5", "1e3", "12abc"])
def test_env_int_refuses_non_numbers(monkeypatch, raw):
    monkeypatch.setenv("SEEDBED_N", raw)
    with pytest.raises(ImproperlyConfigured, match="SEEDBED_N must be a whole number"):
        env_int("SEEDBED_N", 1)


def test_env_int_refuses_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SEEDBED_N", "0")
    with pytest.raises(ImproperlyConfigured, match="SEEDBED_N must be at least 1"):
        env_int("SEEDBED_N", 5, minimum=1)
    monkeypatch.setenv("SEEDBED_N", "1")
    assert env_int("SEEDBED_N", 5, minimum=1) == 1


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("SEEDBED_L", "a.example, b.example")
    assert env_list("SEEDBED_L", []) == ["a.example", "b.example"]


@pytest.mark.parametrize("raw", ["a,,b", "a,", ",a", "a, ,b"])
def test_env_list_refuses_empty_items(monkeypatch, raw):
    monkeypatch.setenv("SEEDBED_L", raw)
    with pytest.raises(ImproperlyConfigured, match="SEEDBED_L"):
        env_list("SEEDBED_L", [])


def test_env_list_default_is_a_copy(monkeypatch):
    monkeypatch.delenv("SEEDBED_L", raising=False)
    default = ["x"]
    got = env_list("SEEDBED_L", default)
    got.append("y")
    assert default == ["x"]


def test_env_str_without_default_must_be_set(monkeypatch):
    monkeypatch.delenv("SEEDBED_S", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SEEDBED_S must be set"):
        env_str("SEEDBED_S")
    monkeypatch.setenv("SEEDBED_S", "")
    with pytest.raises(ImproperlyConfigured, match="SEEDBED_S must be set"):
        env_str("SEEDBED_S")
    monkeypatch.setenv("SEEDBED_S", "value")
    assert env_str("SEEDBED_S") == "value"
