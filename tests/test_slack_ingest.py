"""Adding articles from Slack: editors only, by /ingest or by DM, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from tests.fake_slack import RunningBot, message, settings_for
from tests.webserver import body

EDITOR = "U0EDITOR"
STORY = (SAMPLES / "river-cleanup.txt").read_bytes()


@pytest.fixture
def routes():
    return {"/river": body(STORY, "text/plain; charset=utf-8")}


def editors_bot(fake, archive, feedback):
    settings = settings_for(fake, slack_editors=frozenset({EDITOR}), allow_private_urls=True)
    return RunningBot(fake, settings, archive, feedback, http=True)


def test_an_editor_adds_an_article_and_is_told_its_title(fake, archive, feedback, site):
    with editors_bot(fake, archive, feedback) as bot:
        status, _ = bot.command("/ingest", site.url("/river"), user_id=EDITOR)
        assert status == 200
        [reply] = fake.wait_for_calls("response:command")
    [article] = archive.articles()
    assert reply.args["response_type"] == "ephemeral"
    assert reply.args["text"].startswith("Added:")
    assert article.title in reply.args["text"]
    assert site.requests == ["/river"]


def test_adding_it_again_says_it_is_already_there(fake, archive, feedback, site):
    with editors_bot(fake, archive, feedback) as bot:
        bot.command("/ingest", site.url("/river"), user_id=EDITOR)
        fake.wait_for_calls("response:command")
        bot.command("/ingest", site.url("/river"), user_id=EDITOR)
        _, again = fake.wait_for_calls("response:command", 2)
    assert "Already in the archive" in again.args["text"]
    assert len(archive.articles()) == 1


def test_anyone_else_is_told_they_may_not_and_nothing_happens(fake, archive, feedback, site):
    with editors_bot(fake, archive, feedback) as bot:
        bot.command("/ingest", site.url("/river"), user_id="U0INTERN")
        [reply] = fake.wait_for_calls("response:command")
    assert "only the newsroom's editors" in reply.args["text"]
    assert site.requests == []
    assert archive.articles() == []


def test_a_failure_says_why(fake, archive, feedback, site):
    with editors_bot(fake, archive, feedback) as bot:
        bot.command("/ingest", site.url("/missing"), user_id=EDITOR)
        [reply] = fake.wait_for_calls("response:command")
    assert reply.args["text"].startswith("Could not add")
    assert "404" in reply.args["text"]
    assert archive.articles() == []


def test_only_web_links_can_be_added_never_server_files(fake, archive, feedback):
    with editors_bot(fake, archive, feedback) as bot:
        bot.command("/ingest", str(SAMPLES / "river-cleanup.txt"), user_id=EDITOR)
        bot.command("/ingest", "file:///etc/passwd", user_id=EDITOR)
        replies = fake.wait_for_calls("response:command", 2)
    assert all("web links" in r.args["text"] for r in replies)
    assert archive.articles() == []


def test_an_editor_can_add_an_article_in_a_direct_message(fake, archive, feedback, site):
    url = site.url("/river")
    with editors_bot(fake, archive, feedback) as bot:
        dm = message(f"ingest <{url}>", channel="D0EDITOR", channel_type="im", user=EDITOR)
        bot.event(dm)
        [reply] = fake.wait_for_calls("chat.postMessage")
    assert reply.args["channel"] == "D0EDITOR"
    assert reply.args["text"].startswith("Added:")
    assert len(archive.articles()) == 1


def test_ingest_in_a_direct_message_from_anyone_else_is_refused(fake, archive, feedback, site):
    url = site.url("/river")
    with editors_bot(fake, archive, feedback) as bot:
        bot.event(message(f"ingest <{url}>", channel="D0INTERN", channel_type="im"))
        [reply] = fake.wait_for_calls("chat.postMessage")
    assert "only the newsroom's editors" in reply.args["text"]
    assert site.requests == [] and archive.articles() == []
