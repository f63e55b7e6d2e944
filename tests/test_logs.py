"""Log lines: an ISO 8601 time on each; LOG_FORMAT=json gives one JSON object a line; secrets
are blanked in both formats, tracebacks included. The real logging set-up of bot/cli.py."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from datetime import datetime

import pytest

from bot import logs
from bot.redact import MASK
from tests.conftest import ROOT

SECRET = "xoxb-1111111111-2222222222-abcdefghijklmnopqrstuvwx"
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d ")


@pytest.fixture
def configured():
    """bot.logs.configure with its own stream; root logger restored afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    made = []

    def configure(log_format: str) -> io.StringIO:
        stream = io.StringIO()
        made.append(logs.configure("INFO", log_format, [SECRET], stream=stream))
        return stream

    yield configure
    for handler in made:
        root.removeHandler(handler)
    root.setLevel(level)
    assert root.handlers == handlers


def log_a_failure() -> None:
    log = logging.getLogger("bot.test")
    log.info("Connected with %s", SECRET)
    try:
        raise RuntimeError(f"the API refused {SECRET}")
    except RuntimeError:
        log.exception("The call failed")


def test_json_lines_carry_time_level_logger_message_and_exception(configured):
    stream = configured("json")
    log_a_failure()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["level"] for line in lines] == ["INFO", "ERROR"]
    assert {line["logger"] for line in lines} == {"bot.test"}
    assert lines[0]["message"] == f"Connected with {MASK}"
    assert lines[1]["message"] == "The call failed"
    assert (
        "Traceback" in lines[1]["exception"] and f"the API refused {MASK}" in lines[1]["exception"]
    )
    assert "exception" not in lines[0]
    for line in lines:
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
    assert SECRET not in stream.getvalue()


def test_text_lines_start_with_an_iso_time_and_blank_secrets(configured):
    stream = configured("text")
    log_a_failure()
    text = stream.getvalue()
    first, second = text.splitlines()[:2]
    assert ISO_TIME.match(first) and first.endswith(f"INFO bot.test: Connected with {MASK}")
    assert ISO_TIME.match(second) and second.endswith("ERROR bot.test: The call failed")
    assert "Traceback" in text and SECRET not in text


def test_configuring_again_replaces_the_handler_instead_of_doubling_lines(configured):
    configured("text")
    stream = configured("json")
    logging.getLogger("bot.test").warning("once")
    assert len(stream.getvalue().splitlines()) == 1
    assert sum(getattr(h, "newsbot", False) for h in logging.getLogger().handlers) == 1


def test_python_m_bot_logs_json_lines_to_standard_error(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"SLACK_BOT_TOKEN={SECRET}\n")
    env_file.chmod(0o644)  # readable by others: the bot warns, naming the file
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "LOG_", "SLACK_"))}
    env |= {"LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "list", "--data", str(tmp_path / "data")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # standard error also holds the command's own summary; every log line is a JSON object
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    others = [line for line in done.stderr.splitlines() if not line.startswith("{")]
    assert not [line for line in others if "WARNING" in line or "bot.cli" in line]
    [warning] = [line for line in lines if "chmod 600" in line["message"]]
    assert warning["level"] == "WARNING" and warning["logger"] == "bot.cli"
    assert datetime.fromisoformat(warning["time"]).tzinfo is not None
    assert SECRET not in done.stderr


def test_a_malformed_log_format_is_refused_naming_the_setting(cli, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    status, _, err = cli("list")
    assert status == 2 and "LOG_FORMAT" in err and "yaml" not in err
