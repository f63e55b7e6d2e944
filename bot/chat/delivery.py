"""How hard a reply is pushed through a faltering platform, and how it fails: both surfaces'."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """One try's timeout, the pauses between tries, and the time after which none starts."""

    timeout: float = 15.0
    delays: tuple[float, ...] = (1.0, 4.0, 10.0, 20.0)  # five tries within about a minute
    deadline: float = 60.0


class Trouble(Exception):
    """The platform did not take a message, after every try; `reason` says how (no secrets)."""

    def __init__(self, reason: str, tries: int):
        super().__init__(f"{reason} (after {tries} tries)")
        self.reason = reason
        self.tries = tries
