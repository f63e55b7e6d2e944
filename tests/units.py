"""The systemd unit files in deploy/, read as systemd reads them (sections, keys, comments)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
COMMANDS = ("slack", "discord", "watch")  # one unit per long-running `newsbot` command


@dataclass(frozen=True)
class Unit:
    path: Path
    sections: dict[str, list[tuple[str, str]]]

    def values(self, section: str, key: str) -> list[str]:
        """Every value given to a key, in order (systemd keys may repeat; an empty value resets
        a list, so it is kept as an entry)."""
        return [value for k, value in self.sections.get(section, []) if k == key]

    def value(self, section: str, key: str) -> str | None:
        """The effective value of a key that takes one value: the last one set."""
        found = self.values(section, key)
        return found[-1] if found else None

    def exec_start(self) -> list[str]:
        (line,) = self.values("Service", "ExecStart")
        return shlex.split(line)

    def environment(self) -> dict[str, str]:
        """The Environment= assignments (not those of EnvironmentFile=)."""
        pairs = [
            p.split("=", 1) for v in self.values("Service", "Environment") for p in shlex.split(v)
        ]
        return dict(pairs)


def read_unit(path: Path) -> Unit:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = (pending + raw.strip()) if pending else raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        assert current is not None, f"{path.name}: a setting outside any section: {line}"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not a key=value line: {line}"
        sections[current].append((key.strip(), value.strip()))
    return Unit(path, sections)


def unit_for(command: str) -> Unit:
    return read_unit(DEPLOY / f"newsbot-{command}.service")
