"""The Slack app manifests ask for what the bot uses: its commands, events, scopes and buttons."""

from __future__ import annotations

import pytest
import yaml

from bot.slackbot.http import EVENTS_PATH
from tests.conftest import ROOT

MANIFESTS = ROOT / "slack"
# each event the bot listens to, and the scope Slack requires for it
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.mpim": "mpim:history",
}


def manifest(name: str) -> dict:
    return yaml.safe_load((MANIFESTS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["manifest.yml", "manifest-http.yml"])
def test_the_manifest_asks_for_what_the_bot_uses(name):
    app = manifest(name)
    features, settings = app["features"], app["settings"]
    commands = {c["command"] for c in features["slash_commands"]}
    assert commands == {"/ask", "/ingest", "/feeds"}
    assert all(c["should_escape"] is False for c in features["slash_commands"])
    events = set(settings["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)
    scopes = set(app["oauth_config"]["scopes"]["bot"])
    assert {EVENT_SCOPES[e] for e in events} <= scopes
    assert {"chat:write", "commands"} <= scopes
    assert settings["interactivity"]["is_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["app_home"]["messages_tab_read_only_enabled"] is False
    assert len(app["display_information"]["description"]) <= 140
    assert 175 <= len(app["display_information"]["long_description"]) <= 4000


def test_socket_mode_needs_no_urls():
    app = manifest("manifest.yml")
    assert app["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in app["settings"]["event_subscriptions"]
    assert all("url" not in c for c in app["features"]["slash_commands"])


def test_http_mode_sends_everything_to_the_events_path():
    app = manifest("manifest-http.yml")
    settings = app["settings"]
    assert settings["socket_mode_enabled"] is False
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(c["url"] for c in app["features"]["slash_commands"]),
    ]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)
