"""The question log: kept QUESTION_LOG_DAYS days, pruned as questions arrive and at start, off
at 0, and never in the way of an answer (real archive, real SQLite, the Slack bot over HTTP)."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.render.blocks import ACTION_VOTE_UP
from index.feedback import asking
from index.feedback.store import FeedbackStore
from tests.fake_slack import FakeSlack, RunningBot, mention, settings_for

GUARANTORS = "who are the proposed guarantors?"
SECRET_QUESTION = "who are the proposed guarantors of the sealed deal?"


def feedback_path(archive):
    return archive.data_dir / "feedback.sqlite3"


def log_at(archive, when: datetime, question: str, days: int = 90) -> None:
    """Ask through the real seam with the log's clock set to `when`."""
    store = FeedbackStore(feedback_path(archive), question_days=days, clock=lambda: when)
    try:
        assert asking.ask(archive, store, question, platform="console", asker="x").question_id
    finally:
        store.close()


def test_each_question_is_logged_with_its_outcome(seeded):
    store = FeedbackStore(feedback_path(seeded))
    try:
        answered = asking.ask(seeded, store, GUARANTORS, platform="slack", asker="U1", limit=3)
        refused = asking.ask(seeded, store, "zeppelin festival?", platform="discord", asker="7")
        facts = asking.ask(
            seeded, store, "who wrote the marenia article?", platform="console", asker=None
        )
        logged = {q.id: q for q in store.logged_questions()}
    finally:
        store.close()
    first = logged[answered.question_id]
    assert first.answered and first.quotes == len(answered.answer.quotes) > 0
    assert (first.platform, first.question) == ("slack", GUARANTORS)
    assert first.article_id == answered.answer.quotes[0].citation.article_id
    assert first.article_title == "Marenia dam talks"
    assert first.ms > 0
    assert datetime.fromisoformat(first.asked_at).utcoffset() == timedelta(0)
    second = logged[refused.question_id]
    assert not second.answered and second.quotes == 0 and second.article_id is None
    third = logged[facts.question_id]  # a question about the article, answered from its record
    assert third.answered and third.article_title == "Marenia dam talks"
    assert third.asker is None


def test_old_questions_are_pruned_as_new_ones_arrive(seeded):
    now = datetime.now(UTC)
    store = FeedbackStore(feedback_path(seeded))  # open before the old questions are there
    try:
        log_at(seeded, now - timedelta(days=100), "a question from last season")
        log_at(seeded, now - timedelta(days=89), "a question from last month")
        assert len(store.logged_questions()) == 2
        asking.ask(seeded, store, GUARANTORS, platform="slack", asker="U1")
        kept = [q.question for q in store.logged_questions()]
    finally:
        store.close()
    assert kept == ["a question from last month", GUARANTORS]


def test_old_questions_are_pruned_at_start_after_question_log_days(seeded, cli, monkeypatch):
    now = datetime.now(UTC)
    log_at(seeded, now - timedelta(days=100), "a question from last season")
    store = FeedbackStore(feedback_path(seeded))  # the default: 90 days
    try:
        assert store.logged_questions() == []
    finally:
        store.close()

    log_at(seeded, now - timedelta(days=2), "from the day before yesterday")
    log_at(seeded, now - timedelta(hours=1), "from an hour ago")
    monkeypatch.setenv("QUESTION_LOG_DAYS", "1")
    status, out, _ = cli("stats", "--json")
    assert status == 0 and '"questions": 1' in out
    status, out, _ = cli("console", stdin=f"{GUARANTORS}\n")
    assert status == 0 and "guarantors" in out
    store = FeedbackStore(feedback_path(seeded), question_days=1)
    try:
        kept = [q.question for q in store.logged_questions()]
    finally:
        store.close()
    assert kept == ["from an hour ago", GUARANTORS]


def test_zero_days_logs_nothing(seeded, cli, monkeypatch):
    monkeypatch.setenv("QUESTION_LOG_DAYS", "0")
    status, out, _ = cli("console", stdin=f"{GUARANTORS}\nzeppelin festival?\n")
    assert status == 0 and "guarantors" in out
    assert not feedback_path(seeded).exists()
    assert not (seeded.data_dir / "questions.salt").exists()

    # the chat bots keep their votes store, but no question goes into it
    store = FeedbackStore(feedback_path(seeded), question_days=0)
    try:
        with (
            FakeSlack() as fake,
            RunningBot(fake, settings_for(fake), seeded, store, http=True) as bot,
        ):
            bot.event(mention(GUARANTORS))
            [posted] = fake.wait_for_calls("chat.postMessage")
        assert "group of guarantors" in str(posted.args["blocks"]).replace("*", "")
        assert store.logged_questions() == []
        assert not (seeded.data_dir / "questions.salt").exists()
    finally:
        store.close()
    status, out, err = cli("stats")
    assert status == 0 and "no questions logged" in out
    assert "QUESTION_LOG_DAYS is 0" in err


def break_the_log(archive) -> None:
    """From outside the bot, as a full disk would: every insert into the log fails."""
    FeedbackStore(feedback_path(archive)).close()
    with sqlite3.connect(feedback_path(archive)) as db:
        db.execute(
            "CREATE TRIGGER no_room BEFORE INSERT ON questions"
            " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )


def test_a_log_that_cannot_be_written_never_stops_the_answer(seeded, cli, caplog):
    break_the_log(seeded)
    with caplog.at_level(logging.WARNING):
        status, out, _ = cli("console", stdin=f"{SECRET_QUESTION}\n")
    assert status == 0 and "group of guarantors" in out
    [warning] = [r for r in caplog.records if r.name == "index.feedback.asking"]
    assert warning.levelno == logging.WARNING
    assert "disk is full" in warning.getMessage()
    assert "sealed" not in warning.getMessage()  # the question is not repeated in the log


def test_in_slack_too_the_answer_goes_out_with_its_buttons(seeded, caplog):
    break_the_log(seeded)
    store = FeedbackStore(feedback_path(seeded))
    try:
        with (
            caplog.at_level(logging.WARNING),
            FakeSlack() as fake,
            RunningBot(fake, settings_for(fake), seeded, store, http=True) as bot,
        ):
            bot.event(mention(GUARANTORS))
            [posted] = fake.wait_for_calls("chat.postMessage")
        assert "group of guarantors" in str(posted.args["blocks"]).replace("*", "")
        assert ACTION_VOTE_UP in str(posted.args["blocks"])  # the answer is on record
        assert store.logged_questions() == []
    finally:
        store.close()
    assert len([r for r in caplog.records if r.name == "index.feedback.asking"]) == 1


@pytest.mark.parametrize("value", ["-1", "ninety", "1.5"])
def test_a_malformed_question_log_days_is_refused_by_name(cli, monkeypatch, value):
    monkeypatch.setenv("QUESTION_LOG_DAYS", value)
    status, _, err = cli("stats")
    assert status == 2 and "QUESTION_LOG_DAYS" in err and value not in err


def database_bytes(path) -> bytes:
    """Everything SQLite has written for the store: the database file and its write-ahead log."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_voters_are_kept_only_as_salted_hashes(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    try:
        answer_id = store.record_answer("slack", GUARANTORS, [])
        assert store.vote(answer_id, "U0VOTER42", +1)
        assert store.vote(answer_id, "U0VOTER42", -1)  # a second vote replaces the first
        [vote] = store.votes()
        assert vote.vote == -1
        assert vote.user == store.hash_asker("slack", "U0VOTER42") != "U0VOTER42"
        assert b"U0VOTER42" not in database_bytes(path)
    finally:
        store.close()


def test_votes_stored_with_raw_ids_by_an_earlier_version_get_them_hashed(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    answer_id = store.record_answer("discord", GUARANTORS, [])
    store.close()
    with sqlite3.connect(path) as db:  # as the version before hashing voters wrote them
        db.execute(
            "INSERT INTO votes VALUES (?, ?, ?, ?)",
            (answer_id, "123456789012345678", 1, "2026-12-01T10:00:00+00:00"),
        )
    store = FeedbackStore(path)
    try:
        [vote] = store.votes()
        assert vote.user == store.hash_asker("discord", "123456789012345678")
        assert store.vote(answer_id, "123456789012345678", -1)  # the same voter, recognised
        assert [v.vote for v in store.votes()] == [-1]
    finally:
        store.close()


def test_answers_shown_and_their_votes_are_kept_as_long_as_questions(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    now = datetime.now(UTC)
    ids = {}
    for days in (100, 89):
        then = FeedbackStore(path, clock=lambda days=days: now - timedelta(days=days))
        try:
            ids[days] = then.record_answer("slack", f"asked {days} days ago", [])
            assert then.vote(ids[days], "U1", +1)
        finally:
            then.close()
    store = FeedbackStore(path)  # opening prunes what is older than 90 days
    try:
        assert store.answer(ids[100]) is None
        assert store.answer(ids[89]).question == "asked 89 days ago"
        assert [v.answer.id for v in store.votes()] == [ids[89]]
    finally:
        store.close()
