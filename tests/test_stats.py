"""`python -m bot stats` over a question log made by asking in Slack, Discord and the console:
the real Bolt App and discord.py client against the fake servers, the console through the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.render.blocks import ACTION_MORE, ACTION_VOTE_UP
from index.feedback import asking
from index.feedback.store import FeedbackStore
from tests.conftest import modules_loaded
from tests.fake_discord import BOT_ID, MEMBER, run_bot
from tests.fake_slack import FakeSlack, RunningBot, mention, settings_for

GUARANTORS = "who are the proposed guarantors?"
ZEPPELIN = "what about the zeppelin festival?"  # nothing in the story answers it


@pytest.fixture
def store(seeded):
    """The feedback store in the archive's data directory, where `stats` reads it."""
    opened = FeedbackStore(seeded.data_dir / "feedback.sqlite3")
    yield opened
    opened.close()


def ask_in_slack(seeded, store) -> None:
    """Three questions in Slack: one answered and voted 👍, one unanswered, and one whose
    "More" page gets the 👍."""
    with FakeSlack() as fake, RunningBot(fake, settings_for(fake), seeded, store, http=True) as bot:
        bot.event(mention(GUARANTORS))
        [answered] = fake.wait_for_calls("chat.postMessage")
        bot.press(answered, ACTION_VOTE_UP, user="U0READER")
        fake.wait_for_calls("response:button")
        bot.event(mention(ZEPPELIN))
        fake.wait_for_calls("chat.postMessage", 2)
        bot.event(mention("Keller"))
        keller = fake.wait_for_calls("chat.postMessage", 3)[-1]
        bot.press(keller, ACTION_MORE)
        replaced = fake.wait_for_calls("response:button", 2)[-1]
        bot.press(replaced, ACTION_VOTE_UP, user="U0CRITIC")
        fake.wait_for_calls("response:button", 3)


def ask_in_discord(seeded, store) -> None:
    """Two questions in Discord: a mention whose answer gets a 👎, and /ask with no answer."""

    async def scenario(fake):
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> {GUARANTORS}")
        answer = await fake.reply_to(asked)
        message = fake._messages[int(answer.response["id"])]
        down = next(
            c["custom_id"]
            for row in answer.body["components"]
            for c in row["components"]
            if ":down:" in c["custom_id"]
        )
        await fake.responses(await fake.click(MEMBER, message, down))
        await fake.responses(
            await fake.slash(MEMBER, "ask", question="What about the  ZEPPELIN festival?")
        )

    assert run_bot(seeded, store, scenario).status == 0


def test_stats_shows_what_was_asked_in_slack_discord_and_the_console(seeded, store, cli):
    ask_in_slack(seeded, store)
    ask_in_discord(seeded, store)
    status, out, err = cli("console", stdin=f"{GUARANTORS}\n  What about the zeppelin festival \n")
    assert status == 0 and "guarantors" in out

    status, out, err = cli("stats", "--json")
    assert status == 0, err
    figures = json.loads(out)
    assert figures["questions"] == 7
    assert figures["platforms"] == {"slack": 3, "discord": 2, "console": 2}
    assert figures["answered"] == 4 and figures["answered_share"] == pytest.approx(4 / 7, abs=1e-4)
    # the same unanswered question, asked three ways, is one line: what the archive lacks
    assert figures["unanswered"] == [{"question": ZEPPELIN, "times": 3}]
    # two 👍 (one given on a "More" page, linked to its question) and one 👎
    assert figures["votes"] == {"up": 2, "down": 1, "up_share": pytest.approx(2 / 3, abs=1e-4)}
    [article] = figures["articles"]
    assert article["questions"] == 4 and article["title"] == "Marenia dam talks"
    assert article["id"] == seeded.articles()[0].id
    [today] = figures["days"]
    assert today == {"day": datetime.now(UTC).date().isoformat(), "asked": 7, "unanswered": 3}
    assert 0 < figures["median_ms"] <= figures["p95_ms"]
    assert figures["askers"] == 3  # U0REPORTER in Slack, a member in Discord, the console's user

    status, text, _ = cli("stats")
    assert status == 0
    assert "Answered:    4 of 7 (57%)" in text
    assert "2 👍, 1 👎 (67% 👍)" in text
    assert f"     3  {ZEPPELIN}" in text
    assert f"     4  Marenia dam talks [{article['id']}]" in text

    # the "More" page's 👍 counts for the question it continued
    keller = next(q for q in store.logged_questions() if q.question == "Keller")
    assert (keller.votes_up, keller.votes_down) == (1, 0)


def test_askers_are_kept_only_as_salted_hashes(seeded, store, cli):
    ask_in_slack(seeded, store)
    salt = seeded.data_dir / "questions.salt"
    assert salt.stat().st_mode & 0o777 == 0o600
    askers = {q.asker for q in store.logged_questions()}
    assert askers == {store.hash_asker("slack", "U0REPORTER")}
    files = list(seeded.data_dir.glob("feedback.sqlite3*"))  # the database and its WAL
    raw = b"".join(f.read_bytes() for f in files)
    assert b"Keller" in raw  # the questions are there,
    assert b"U0REPORTER" not in raw  # the asker's id never as it is
    # another data directory has another salt: the same id hashes differently there
    other = FeedbackStore(seeded.data_dir.parent / "elsewhere" / "feedback.sqlite3")
    try:
        assert other.hash_asker("slack", "U0REPORTER") not in askers
    finally:
        other.close()


def test_since_leaves_out_the_days_before_it(seeded, store, cli):
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    earlier = FeedbackStore(store_path(seeded), clock=lambda: three_days_ago)
    try:
        for question in (ZEPPELIN, GUARANTORS):
            asking.ask(seeded, earlier, question, platform="console", asker="someone")
    finally:
        earlier.close()
    assert cli("console", stdin=f"{ZEPPELIN}\n")[0] == 0

    everything = json.loads(cli("stats", "--json")[1])
    assert everything["questions"] == 3
    assert [d["asked"] for d in everything["days"]] == [2, 0, 0, 1]  # the quiet days too
    assert everything["unanswered"] == [{"question": ZEPPELIN, "times": 2}]

    today = datetime.now(UTC).date().isoformat()
    status, out, err = cli("stats", "--json", "--since", today)
    assert status == 0, err
    recent = json.loads(out)
    assert recent["since"] == today and recent["questions"] == 1
    assert [d["day"] for d in recent["days"]] == [today]
    assert recent["articles"] == [] and recent["unanswered"] == [{"question": ZEPPELIN, "times": 1}]

    with pytest.raises(SystemExit) as refused:
        cli("stats", "--since", "last week")
    assert refused.value.code == 2


def test_the_chart_is_a_png_of_questions_and_no_answers_per_day(seeded, store, cli, tmp_path):
    from matplotlib import image

    from bot.render.chart import ASKED_COLOR, SIZE

    ask_in_slack(seeded, store)
    chart = tmp_path / "asked.png"
    status, out, err = cli("stats", "--plot", str(chart))
    assert status == 0 and "chart written" in err
    assert "What the newsroom asks" in out  # the text report as well
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(chart)
    assert pixels.shape[:2] == (SIZE[1] * 100, SIZE[0] * 100)
    bar = tuple(int(ASKED_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    rgb = (pixels[:, :, :3] * 255).round().astype(int)
    assert ((rgb == bar).all(axis=2)).sum() > 1000  # the day's bar is drawn

    status, _, err = cli("stats", "--plot", str(tmp_path / "no such folder" / "x.png"))
    assert status == 1 and "cannot write the chart" in err


def test_stats_and_the_console_start_without_matplotlib(tmp_path):
    data = str(tmp_path / "D")
    stdin = "who are the proposed guarantors?\n"
    loaded = modules_loaded(["console", "--data", data], ["stats", "--data", data], stdin=stdin)
    assert "whoosh" in loaded and "index" in loaded  # it did run
    assert "matplotlib" not in loaded and "PIL" not in loaded


def store_path(archive):
    return archive.data_dir / "feedback.sqlite3"
