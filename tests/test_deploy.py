"""deploy/: the systemd units for the Slack bot, the Discord bot and the feed watcher, and the
operator's page that installs them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from tests.conftest import ROOT
from tests.units import COMMANDS, DEPLOY, unit_for

BINARY = "/opt/newsbot/venv/bin/newsbot"
DATA = "/var/lib/newsbot"
ENV_FILE = "/etc/newsbot/newsbot.env"
DOCS = ROOT / "docs" / "operating.md"
# Settings the bot reads; a test process must not inherit them from whoever runs the tests.
SETTINGS = set(dotenv_values(ROOT / ".env.example"))


def _seconds(span: str) -> float:
    """A systemd time span ("15s", "5min", "1h", "1min 30s", "90") in seconds."""
    units = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hr": 3600, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", span)
    assert parts, span
    return sum(float(number) * units[unit or "s"] for number, unit in parts)


def _cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        cwd=cwd,
        env=env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_there_is_one_unit_per_long_running_command_and_no_other():
    assert sorted(p.name for p in DEPLOY.glob("*.service")) == sorted(
        f"newsbot-{command}.service" for command in COMMANDS
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_each_unit_starts_an_existing_newsbot_command_on_the_data_directory(command, tmp_path):
    argv = unit_for(command).exec_start()
    assert argv[0] == BINARY
    assert argv[1] == command
    assert argv[2:] == ["--data", DATA]

    shown = _cli(command, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"usage: python -m bot {command} ")

    # The unit's own arguments, run for real on a scratch data directory with no settings at
    # all: the command line is accepted (argparse would exit 2 with "usage:"), and start-up
    # stops at the first missing setting.
    ran = _cli(*[a.replace(DATA, str(tmp_path / "data")) for a in argv[1:]], cwd=tmp_path)
    assert "usage:" not in ran.stderr, ran.stderr
    missing = {
        "slack": (2, "SLACK_BOT_TOKEN"),
        "discord": (2, "DISCORD_TOKEN"),
        "watch": (2, "no feeds to watch"),
    }[command]
    assert (ran.returncode, missing[1] in ran.stderr) == (missing[0], True), ran.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_each_unit_runs_unprivileged_and_writes_only_the_data_directory(command):
    unit = unit_for(command)
    service = dict(unit.sections["Service"])
    assert service["User"] == service["Group"] == "newsbot"
    assert "DynamicUser" not in service  # a fixed user, so operators can run commands as it
    assert service["StateDirectory"] == "newsbot"  # /var/lib/newsbot, given to the user
    assert service["WorkingDirectory"] == DATA
    assert service["ProtectSystem"] == "strict"  # everything else read-only ...
    assert service["ProtectHome"] == "yes"  # ... and home directories out of sight
    assert service["PrivateTmp"] == "yes"
    assert service["NoNewPrivileges"] == "yes"
    assert service["PrivateDevices"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    assert service["RestrictSUIDSGID"] == "yes"
    assert service["UMask"] == "0027"
    # No other writable place: no ReadWritePaths, no runtime, cache, logs or config directory.
    writable = {"ReadWritePaths", "RuntimeDirectory", "CacheDirectory", "LogsDirectory"}
    writable |= {"ConfigurationDirectory", "BindPaths", "TemporaryFileSystem"}
    assert not writable & set(service), writable & set(service)
    assert unit.values("Install", "WantedBy") == ["multi-user.target"]
    assert "network-online.target" in unit.value("Unit", "After").split()
    assert "network-online.target" in unit.value("Unit", "Wants").split()


@pytest.mark.parametrize("command", COMMANDS)
def test_each_unit_restarts_with_back_off_and_gives_up_on_configuration_errors(command, tmp_path):
    unit = unit_for(command)
    assert unit.value("Service", "Restart") == "on-failure"
    first = _seconds(unit.value("Service", "RestartSec"))
    last = _seconds(unit.value("Service", "RestartMaxDelaySec"))
    assert 5 <= first < last <= 600
    assert int(unit.value("Service", "RestartSteps")) >= 2
    # The start limit lives in [Unit] (systemd ignores it in [Service] since version 230); it
    # must leave room for the back-off to reach its longest delay before giving up.
    assert unit.value("Service", "StartLimitBurst") is None
    burst = int(unit.value("Unit", "StartLimitBurst"))
    window = _seconds(unit.value("Unit", "StartLimitIntervalSec"))
    assert burst >= 10 and window >= 30 * 60
    # Exit status 2 is a configuration error: no restart. The CLI really exits 2 for those.
    assert unit.value("Service", "RestartPreventExitStatus") == "2"
    malformed = _cli("list", "--data", str(tmp_path), cwd=tmp_path)
    assert malformed.returncode == 0, malformed.stderr
    env_file = tmp_path / ".env"
    env_file.write_text("FETCH_TIMEOUT=soon\n")
    malformed = _cli("list", "--data", str(tmp_path), cwd=tmp_path)
    assert malformed.returncode == 2 and "FETCH_TIMEOUT" in malformed.stderr


def test_the_units_differ_only_in_their_command():
    texts = {c: (DEPLOY / f"newsbot-{c}.service").read_text(encoding="utf-8") for c in COMMANDS}
    masked = {
        re.sub(r"(newsbot[- ])(slack|discord|watch)\b", r"\1COMMAND", t).split("[Unit]", 1)[1]
        for t in texts.values()
    }
    masked = {re.sub(r"^Description=.*$", "", t, flags=re.M) for t in masked}
    assert len(masked) == 1, "the hardening and restart settings should be the same in all three"


@pytest.mark.parametrize("command", COMMANDS)
def test_settings_come_from_the_env_file_and_the_journal_gets_lines_at_once(command):
    unit = unit_for(command)
    # No "-" prefix: a missing settings file stops the start instead of running without it.
    assert unit.values("Service", "EnvironmentFile") == [ENV_FILE]
    environment = unit.environment()
    assert environment["PYTHONUNBUFFERED"] == "1"
    assert environment["ORT_DISABLE_TELEMETRY"] == "1"
    assert not set(environment) & SETTINGS, "settings belong in the env file, not the unit"


def test_env_example_reads_the_same_as_a_systemd_environment_file():
    """systemd's EnvironmentFile= and python-dotenv differ on quotes, escapes, `$` expansion
    and inline comments; .env.example uses none of them, so both read the same values."""
    plain = {}
    for number, line in enumerate((ROOT / ".env.example").read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", key), f"line {number}: {line}"
        assert not re.search(r"[\"'\\$#`]|^\s|\s$", value), f"line {number}: {line}"
        plain[key] = value
    assert plain == dotenv_values(ROOT / ".env.example")
    assert "BOT_DATA_DIR" in plain


def _systemd_version() -> int:
    out = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True)
    return int(re.search(r"systemd (\d+)", out.stdout).group(1))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verifies_the_units_and_rates_them_well_sandboxed(tmp_path):
    # verify checks that ExecStart's program exists and is executable: the units are checked
    # as they are, with only that path pointed at an executable stand-in.
    program = tmp_path / "bin" / "newsbot"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    copies = []
    for unit in sorted(DEPLOY.glob("*.service")):
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace(BINARY, str(program)))
        copies.append(copy)
    version = _systemd_version()

    def verify(*units: Path) -> list[str]:
        done = subprocess.run(
            ["systemd-analyze", "verify", *map(str, units)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines = (done.stdout + done.stderr).splitlines()
        # RestartSteps= and RestartMaxDelaySec= arrived in systemd 254; older ones skip them.
        tolerated = r".*: Unknown key '(RestartSteps|RestartMaxDelaySec)' in section \[Service\]"
        return [
            line
            for line in lines
            if line.strip() and not (version < 254 and re.match(tolerated, line))
        ] + ([] if done.returncode == 0 else [f"exit status {done.returncode}"])

    assert verify(*copies) == []
    # ... and the check is not blind: a typo in a value is caught.
    broken = tmp_path / "broken.service"
    broken.write_text(copies[0].read_text().replace("ProtectSystem=strict", "ProtectSystem=strct"))
    assert any("strct" in line for line in verify(broken))

    if version >= 250:  # offline security review; exposure from 0 (sandboxed) to 10 (none)
        for copy in copies:
            rated = subprocess.run(
                ["systemd-analyze", "security", "--offline=true", "--threshold=20", str(copy)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert rated.returncode == 0, f"{copy.name} exposure above 2.0:\n{rated.stdout}"


def test_the_operating_page_installs_these_units_and_the_readme_links_it():
    page = DOCS.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"deploy/newsbot-{command}.service" in page
        assert f"newsbot-{command}" in page
    for path in (BINARY, DATA, ENV_FILE, ".env.example", "requirements.txt"):
        assert path in page, path
    for words in ("useradd", "journalctl", "systemctl enable", "reset-failed"):
        assert words in page, words
    assert "docker" not in page.lower()
    assert "(docs/operating.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_operating_pages_overrides_are_commands_the_cli_accepts(tmp_path):
    """Every `ExecStart=` the page tells an operator to put in a drop-in parses: the CLI, run
    with those arguments and no settings, stops at a missing setting, not at "usage:"."""
    overrides = [
        line.removeprefix("ExecStart=").split()
        for line in DOCS.read_text(encoding="utf-8").splitlines()
        if line.startswith("ExecStart=") and line != "ExecStart="
    ]
    assert len(overrides) >= 2  # HTTP mode, and a health port
    assert any("--health-port" in argv for argv in overrides)
    for argv in overrides:
        assert argv[0] == BINARY
        ran = _cli(*[a.replace(DATA, str(tmp_path / "data")) for a in argv[1:]], cwd=tmp_path)
        assert "usage:" not in ran.stderr, (argv, ran.stderr)
        assert ran.returncode == 2 and "SLACK_BOT_TOKEN" in ran.stderr, ran.stderr
