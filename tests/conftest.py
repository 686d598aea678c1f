"""Extra fixtures for the cross-cutting suites (the shared ones are in the root conftest.py)."""

from __future__ import annotations

import pytest

from tests.support import new_challenge


@pytest.fixture
def draft_challenge(users):

    return new_challenge(
        users["manager"], title="Night-shift energy use",
        description="Still being written: how could the night shift use less energy?")


@pytest.fixture
def contributor_token(users):
    """An API token owned by the contributor: (token row, secret)."""
    from seedbed.accounts.actions import create_api_token

    return create_api_token(users["contributor"], name="matrix")
