"""The matrix's building blocks, shared by tests/test_access_matrix.py and tests/matrix/*."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class World:
    users: dict
    challenge: Any  # open, for the whole organisation
    draft: Any
    idea: Any
    token: Any  # the contributor's API token
    # Objects each module of tests/matrix/ builds for its own probes, by module name.
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    rule: str  # the rule the route must declare
    method: str = "get"
    kwargs: Callable[[World], dict] = lambda w: {}
    data: Any = None  # the request body, or a function of the World for one naming records
    allowed: int = 200  # the status every admitted role gets …
    per_role: dict[str, int] = field(default_factory=dict)  # … except these
    anonymous: int | None = None  # public routes only: what anonymous gets
    # A read that records an audit event when it succeeds (an export is itself evidence).
    audited: bool = False

    def body(self, world: World) -> Any:
        return self.data(world) if callable(self.data) else self.data

    def expected(self, actor: str) -> int:
        return self.per_role.get(actor, self.allowed)
