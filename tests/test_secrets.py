"""Tokens and signing secrets never reach a log line, an error message or the terminal."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess

import pytest

from bot.config import Settings
from bot.redact import MASK, Redactor
from tests.conftest import ROOT
from tests.generated import bot_env, run

BOT_TOKEN = "xoxb-1111111111-2222222222-SeCrEtBoTtOkEnVaLuE"
APP_TOKEN = "xapp-1-A0000000000-3333333333-SeCrEtApPtOkEn"
SIGNING = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
DISCORD = "MTAwMDAwMDAwMDAwMDAwMDAw.GsEcRt.SeCrEtDiScOrDtOkEnVaLuE12345"
SECRETS = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_APP_TOKEN": APP_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING,
    "DISCORD_TOKEN": DISCORD,
}


def leaked(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text or value[-12:] in text]


def test_settings_never_show_secrets_in_their_repr():
    settings = Settings.from_env(SECRETS)
    assert leaked(repr(settings)) == []
    assert sorted(settings.secrets()) == sorted(SECRETS.values())


@pytest.mark.parametrize(
    "setting",
    [
        "MAX_ARTICLE_BYTES",
        "MAX_QUESTION_CHARS",
        "FETCH_TIMEOUT",
        "ALLOW_PRIVATE_URLS",
        "LOG_LEVEL",
        "RATE_LIMIT_PER_MINUTE",
        "SLACK_API_URL",
        "DISCORD_API_BASE",
        "DISCORD_GATEWAY_URL",
        "DISCORD_GUILD_IDS",
    ],
)
def test_a_secret_pasted_into_the_wrong_setting_is_named_never_echoed(tmp_path, setting):
    status, out, err = run(
        "list", "--data", str(tmp_path), cwd=tmp_path, env=bot_env(**{setting: BOT_TOKEN})
    )
    assert status == 2
    assert err.startswith(f"error: {setting} must be")
    assert leaked(out + err) == []


@pytest.mark.parametrize("value", ["²³", "9" * 5000, "inf", "nan", "-1"])
def test_malformed_numbers_are_refused_with_the_settings_name(tmp_path, value):
    for setting in ("MAX_ARTICLE_BYTES", "FETCH_TIMEOUT", "DISCORD_GUILD_IDS"):
        status, _, err = run(
            "list", "--data", str(tmp_path), cwd=tmp_path, env=bot_env(**{setting: value})
        )
        assert status == 2 and err.startswith(f"error: {setting} must be"), (setting, value, err)
        assert "Traceback" not in err


def test_malformed_tokens_stop_start_up_with_a_message_that_does_not_repeat_them(tmp_path):
    bad = {"SLACK_BOT_TOKEN": "xoxp-not-a-bot-token-SeCrEt", "SLACK_APP_TOKEN": APP_TOKEN}
    status, out, err = run("slack", "--data", str(tmp_path), cwd=tmp_path, env=bot_env(**bad))
    assert status == 2  # a setting to repair: a service manager must not restart it
    assert "SLACK_BOT_TOKEN is malformed" in err
    assert "SeCrEt" not in out + err


@pytest.mark.parametrize(
    "command", [["slack"], ["slack", "--http", "--port", "38917"], ["discord"]]
)
def test_a_failing_start_up_logged_at_debug_shows_no_secret(tmp_path, command):
    env = bot_env(
        LOG_LEVEL="DEBUG",
        SLACK_API_URL="http://127.0.0.1:9/api/",  # the discard port: nothing answers
        DISCORD_API_BASE="http://127.0.0.1:9/api/v10",
        DISCORD_GATEWAY_URL="ws://127.0.0.1:9/gateway",
        **SECRETS,
    )
    status, out, err = run(
        *command, "--data", str(tmp_path / "d"), cwd=tmp_path, env=env, timeout=90
    )
    assert status != 0
    assert "DEBUG" in err  # the debug log really was written ...
    assert leaked(out + err) == []  # ... and holds no secret


def test_the_log_filter_blanks_secrets_in_messages_arguments_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redactor(SECRETS.values()))
    logger = logging.getLogger("tests.secrets")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("token %s and app token %s", BOT_TOKEN, APP_TOKEN)
        logger.warning(f"Discord {DISCORD} and signing {SIGNING}")
        try:
            raise RuntimeError(f"request failed with Authorization: Bearer {BOT_TOKEN}")
        except RuntimeError:
            logger.exception("a request error")
        logger.warning("a token not in our settings: xoxb-9999999999-8888888888-OtherToken")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert leaked(written) == []
    assert "OtherToken" not in written
    assert written.count(MASK) >= 6
    assert "a request error" in written and "RuntimeError" in written


def test_a_dotenv_others_can_read_is_warned_about_without_showing_its_secrets(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"SLACK_BOT_TOKEN={BOT_TOKEN}\n")
    env_file.chmod(0o644)
    env = bot_env()
    env.pop("SLACK_BOT_TOKEN", None)
    status, out, err = run("list", "--data", str(tmp_path / "d"), cwd=tmp_path, env=env)
    assert status == 0
    assert "chmod 600" in err
    assert leaked(out + err) == []
    env_file.chmod(0o600)
    status, out, err = run("list", "--data", str(tmp_path / "d"), cwd=tmp_path, env=env)
    assert "chmod" not in err


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_dotenv_is_ignored_by_git():
    done = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert done.returncode == 0
