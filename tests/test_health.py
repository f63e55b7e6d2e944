"""Health checks in every mode: the archive read afresh (a damaged index or store is a 503
naming it), the feed watcher alive, the platform heard from lately; over real HTTP, from the
real Slack (HTTP and Socket Mode) and Discord bots against the fakes, and `watch` as run."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from bot.chat.feeds import BackgroundWatcher
from bot.config import Settings
from bot.health import PATH, HealthCheck, HealthServer, Heard, Link
from tests.conftest import ROOT
from tests.fake_discord import TOKEN, run_bot
from tests.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    RunningBot,
    free_port,
    settings_for,
)
from tests.feeds import ConditionalFeed, Entry, rss
from tests.health_probe import damage_index, damage_store, get_health, wait_for_health
from tests.webserver import WebServer

INDEX_REASON = "the search index cannot be read"


def test_a_readable_archive_is_healthy_with_its_figures(sampled):
    report = HealthCheck(sampled, "test")()
    assert report.ok and report.status == 200
    body = report.body()
    assert body["ok"] is True and "reasons" not in body
    assert body["articles"] == len(sampled.articles()) > 0
    assert body["passages"] == sampled.passages.passage_count() > 0


def test_a_damaged_index_is_a_503_naming_it(sampled):
    damage_index(sampled.data_dir)
    report = HealthCheck(sampled, "test")()
    assert report.status == 503
    [reason] = report.reasons
    assert reason.startswith(INDEX_REASON)
    assert report.body()["passages"] is None
    assert report.body()["articles"] == len(sampled.articles())  # the store still reads


def test_a_damaged_store_is_a_503_naming_it(sampled):
    damage_store(sampled.data_dir)
    report = HealthCheck(sampled, "test")()
    assert report.status == 503
    assert [r for r in report.reasons if r.startswith("the article store cannot be read")]
    assert report.body()["articles"] is None


def test_a_stopped_watcher_is_a_reason(archive):
    watching = BackgroundWatcher(Settings(), archive).start()
    check = HealthCheck(archive, "test", watcher=watching.alive)
    try:
        assert check().ok and check().body()["feed_watcher"] == "running"
    finally:
        watching.close()
    report = check()
    assert report.reasons == ("the feed watcher has stopped",)
    assert report.body()["feed_watcher"] == "stopped"


def test_a_platform_not_heard_from_lately_is_a_reason(archive):
    now = [1_000_000.0]
    heard = Heard(clock=lambda: now[0])
    connected = [True]
    check = HealthCheck(
        archive,
        "test",
        link=lambda: Link(connected[0], heard.at),
        platform="Discord",
        clock=lambda: now[0],
        within=120,
    )
    assert check().reasons == ("nothing heard from Discord yet",)
    heard.note()
    now[0] += 119
    assert check().ok and check().body()["heard_seconds_ago"] == 119
    now[0] += 2
    assert check().reasons == ("nothing heard from Discord for 121 seconds",)
    heard.note()
    connected[0] = False
    assert check().reasons == ("not connected to Discord",)


def test_the_health_server_answers_200_then_503_with_reasons_in_json(sampled):
    with HealthServer(HealthCheck(sampled, "test"), free_port()) as server:
        status, body = get_health(server.port)
        assert status == 200 and body["ok"] is True and body["mode"] == "test"
        damage_index(sampled.data_dir)
        status, body = get_health(server.port)
        assert status == 503
        assert body["ok"] is False and body["reasons"][0].startswith(INDEX_REASON)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/other", timeout=10)
        assert missing.value.code == 404 and PATH in missing.value.read().decode()


# -- each mode, as it runs


def _no_secret_in(body: dict) -> None:
    text = str(body)
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, TOKEN):
        assert secret not in text


def test_slack_http_mode_healthz_reads_the_index(sampled, feedback):
    with (
        FakeSlack() as fake,
        RunningBot(fake, settings_for(fake), sampled, feedback, http=True) as bot,
    ):
        status, healthy = get_health(bot.port)
        damage_index(sampled.data_dir)
        damaged_status, damaged = get_health(bot.port)
    assert status == 200 and healthy["mode"] == "slack-http"
    assert healthy["articles"] == len(sampled.articles()) and healthy["feed_watcher"] == "running"
    assert "connected" not in healthy  # Slack calls this mode: no connection to watch
    assert damaged_status == 503 and damaged["reasons"][0].startswith(INDEX_REASON)
    _no_secret_in(healthy)
    _no_secret_in(damaged)


def test_slack_socket_mode_health_port_hears_the_websocket(sampled, feedback):
    port = free_port()
    with FakeSlack() as fake:
        settings = settings_for(fake)
        with RunningBot(fake, settings, sampled, feedback, http=False, health_port=port):
            healthy = wait_for_health(port)
            damage_index(sampled.data_dir)
            status, damaged = get_health(port)
    assert healthy["mode"] == "slack-socket-mode" and healthy["connected"] is True
    assert healthy["heard_seconds_ago"] is not None  # the hello, a pong or an envelope
    assert healthy["feed_watcher"] == "running"
    assert status == 503 and damaged["reasons"][0].startswith(INDEX_REASON)
    _no_secret_in(healthy)


def test_discord_health_port_is_ready_once_the_gateway_is_heard(sampled, feedback):
    port = free_port()

    async def scenario(fake):
        healthy = await asyncio.to_thread(wait_for_health, port)
        damage_index(sampled.data_dir)
        return healthy, await asyncio.to_thread(get_health, port)

    run = run_bot(sampled, feedback, scenario, health_port=port)
    healthy, (status, damaged) = run.result
    assert healthy["mode"] == "discord" and healthy["connected"] is True
    assert healthy["heard_seconds_ago"] is not None and healthy["feed_watcher"] == "running"
    assert status == 503 and damaged["reasons"][0].startswith(INDEX_REASON)
    assert damaged["connected"] is True  # the index is the one reason
    _no_secret_in(healthy)
    assert run.status == 0


STORY = Entry(
    "Harbor Ferry Adds a Night Crossing",
    "https://valleywire.example/2026/06/night-ferry",
    "The harbor ferry will add a crossing at ten at night from July, the port authority said.",
)


def test_watch_health_port_as_run_from_the_command_line(tmp_path):
    data, port = tmp_path / "data", free_port()
    with WebServer({"/feed.rss": ConditionalFeed(rss([STORY]))}) as site:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "LOG_"))}
        env |= {"ALLOW_PRIVATE_URLS": "true", "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "bot", "watch", "--data", str(data)]
        command += ["--health-port", str(port), site.url("/feed.rss")]
        watching = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            # The store takes the story before the index commits its passages: wait for both.
            healthy = wait_for_health(
                port, until=lambda body: body["articles"] == 1 and body["passages"] >= 1
            )
            damage_index(data)  # after the first poll's story is in: nothing writes now
            status, damaged = get_health(port)
        finally:
            watching.send_signal(signal.SIGTERM)
            out, err = watching.communicate(timeout=30)
    assert healthy["ok"] is True and healthy["mode"] == "watch" and healthy["passages"] >= 1
    assert "feed_watcher" not in healthy  # the watcher is the process itself
    assert status == 503 and damaged["reasons"][0].startswith(INDEX_REASON)
    assert watching.returncode == 0, err.decode()
    assert b"1 new" in out
