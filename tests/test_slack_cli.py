"""`python -m bot slack --http --port P` as an admin runs it, against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from bot.config import Settings
from index.archive import Archive
from index.ingest.sources import ingest
from tests.conftest import ROOT
from tests.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    WAIT_SECONDS,
    FakeSlack,
    event_body,
    free_port,
    mention,
    send,
)
from tests.health_probe import wait_for_health

pytestmark = pytest.mark.skipif(
    Settings.from_env({"SLACK_BOT_TOKEN": BOT_TOKEN}).slack_bot_token != BOT_TOKEN
    or not hasattr(Settings, "require_slack"),
    reason="bot/config.py does not read the SLACK_* settings yet (Settings.require_slack)",
)


def environment(**settings: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_"))}
    return {**env, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO", **settings}


def start(data, port: int, env: dict, cwd) -> subprocess.Popen:
    command = [sys.executable, "-m", "bot", "slack", "--data", str(data), "--http"]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_healthy(process: subprocess.Popen, port: int) -> None:
    try:
        if wait_for_health(port, stop=lambda: process.poll() is not None) is not None:
            return
    except AssertionError:
        pass
    process.kill()
    raise AssertionError(f"the bot never became healthy: {process.communicate()[1]}")


def test_the_command_answers_a_signed_mention_once_and_rejects_a_forgery(tmp_path, story_path):
    data = tmp_path / "data"
    with Archive(data) as archive:
        assert ingest(archive, [str(story_path)]).added
    port = free_port()
    with FakeSlack() as fake:
        env = environment(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
        )
        process = start(data, port, env, tmp_path)
        try:
            wait_healthy(process, port)
            url = f"http://127.0.0.1:{port}/slack/events"
            body = event_body(mention("who are the proposed guarantors?", ts="1712.0001"), "Ev1")
            assert send(url, body, content_type="application/json")[0] == 200
            [posted] = fake.wait_for_calls("chat.postMessage")
            assert posted.args["thread_ts"] == "1712.0001"
            assert "group of guarantors" in posted.text().replace("*", "")
            assert "Mara Okonjo" in posted.text() and "North Sound Report" in posted.text()
            retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
            assert send(url, body, content_type="application/json", headers=retry)[0] == 200
            forged = send(url, body, content_type="application/json", secret="not-the-secret")
            assert forged[0] == 401
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=WAIT_SECONDS)
        assert process.returncode == 0
        assert len(fake.calls_to("chat.postMessage")) == 1
    assert BOT_TOKEN not in stderr and SIGNING_SECRET not in stderr


def test_a_missing_token_stops_the_command_naming_the_setting(tmp_path):
    env = environment(SLACK_SIGNING_SECRET=SIGNING_SECRET)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "slack", "--data", str(tmp_path / "data"), "--http"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )
    assert done.returncode != 0
    assert "SLACK_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
