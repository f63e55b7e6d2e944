"""A quote names the question's words its story never uses, on every surface: a near miss
("the new fire chief", answered from the story of the new police chief) shows as one."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.render import blocks, embeds
from bot.render.plain import render_answer, unmentioned_line
from index.answering.answers import Answer, Quote
from index.answering.question import follow_up, parse_question
from index.article import Article, Paragraph
from index.citation import Citation
from tests.fake_discord import BOT_ID, MEMBER, run_bot
from tests.fake_slack import RunningBot, mention, settings_for

POLICE = Article(
    title="Harbor City picks Linden Falls deputy to lead police department",
    source="Harbor City Ledger",
    key="police-chief",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "Harbor City has hired Deputy Chief Teresa Vance of the Linden Falls Police "
                "Department as its next police chief, City Manager Paul Hendricks announced.",
                "Vance, 51, will be sworn in Jan. 5 and will earn an annual salary of $248,000.",
                "She replaces former Chief Ron Tillery, who retired in March after 31 years.",
            ),
        )
    ),
)
WILDFIRE = Article(
    title="Copper Gulch wildfire forces evacuations",
    source="Valley Wire",
    key="wildfire",
    paragraphs=(
        Paragraph(
            "The Copper Gulch wildfire had burned 6,800 acres by Sunday evening and was 5% "
            "contained, the county said."
        ),
    ),
)


@pytest.fixture
def newsroom(archive):
    archive.add([POLICE, WILDFIRE])
    return archive


def test_a_near_miss_names_the_word_its_story_lacks(newsroom):
    answer = newsroom.ask("who is the new fire chief in Harbor City?")
    police = [q for q in answer.quotes if q.citation.title == POLICE.title]
    assert police, "the police chief's story is the nearest answer"
    assert all("fire" in q.unmentioned for q in police)
    assert all("Harbor" not in q.unmentioned and "chief" not in q.unmentioned for q in police)


CRASH = Article(
    title="Driver convicted in Route 9 crash",
    source="Valley Wire",
    key="crash",
    paragraphs=(
        Paragraph(
            "A jury found the driver guilty of vehicular homicide in the death of a cyclist."
        ),
    ),
)


def test_a_word_searched_in_another_form_is_named_as_typed(archive):
    """No story says "died"; the crash story says "death", so "died" is searched as "death". The
    wildfire story says neither: the reader is told it never mentions "died", as asked."""
    archive.add([WILDFIRE, CRASH])
    answer = archive.ask("how many people died in the Copper Gulch wildfire?")
    fire = [q for q in answer.quotes if q.citation.title == WILDFIRE.title]
    assert fire, answer
    assert "died" in fire[0].unmentioned
    assert "death" not in fire[0].unmentioned


def test_a_word_in_another_paragraph_or_the_headline_is_mentioned(newsroom):
    """The quote about the swearing-in lacks "police" and "department", but its story has them:
    the story is checked, not the quote."""
    answer = newsroom.ask("when will the police department's new chief Vance be sworn in?")
    top = answer.quotes[0]
    assert "Jan. 5" in top.text and "police" not in top.text.lower()
    assert top.unmentioned == ("new",)  # "next police chief": "new" is nowhere in the story


def test_a_word_only_in_a_paragraph_the_answer_never_read_is_mentioned(archive):
    """Thirty passages about new deputies outrank the paragraph of the police story that says
    "new": the answer never reads it, and the index is asked instead."""
    later = (
        "The office moved to the Elm Street annex in 2019.",
        "It has 820 officers.",
        "The department plans a new training academy on the east side.",
    )
    police = replace(POLICE, paragraphs=POLICE.paragraphs + tuple(map(Paragraph, later)))
    roundup = Article(
        title="County roundup",
        key="roundup",
        paragraphs=tuple(
            Paragraph(f"New deputies were sworn in at the county office on day {day}.")
            for day in range(1, 31)
        ),
    )
    archive.add([police, roundup])
    answer, read = archive.explain("when will Vance be sworn in as the new chief?")
    top = answer.quotes[0]
    assert top.citation.title == POLICE.title
    police_read = [c.passage for c in read if c.passage.citation.title == POLICE.title]
    assert not any("new" in " ".join((p.text, *p.beside)) for p in police_read)
    assert top.unmentioned == ()
    assert archive.passages.held_by({"nowhere"}, {"new"}) == {"nowhere": set()}


def test_a_quote_whose_story_holds_every_word_names_none(newsroom):
    answer = newsroom.ask("How many acres has the Copper Gulch wildfire burned?")
    assert answer.quotes and answer.quotes[0].unmentioned == ()


def test_the_words_that_frame_a_question_are_not_what_it_asks_about():
    asked = parse_question("how long has Vance been chief right now, is it true she still is?")
    assert asked.naming == ("Vance", "chief")
    asked = parse_question("when was the last time the stadium was going to cost this much")
    assert asked.naming == ("stadium", "cost")
    asked = parse_question("What is the name of the stadium, and what kind of roof is it called?")
    assert asked.naming == ("stadium", "roof")  # the kind of answer wanted, not its subject
    asked = parse_question("how Riverton cut its water use, and how big the cut was")
    assert asked.naming == ("Riverton", "cut", "water", "use")  # "big" is a measure, not a name
    first = parse_question("who is the police chief?")
    then = follow_up(parse_question("and her salary?"), first)
    assert then.naming == ("salary",)  # the words it carries were asked before


# --- the surfaces ---------------------------------------------------------------------------

CITATION = Citation(
    article_id="police-chief",
    title=POLICE.title,
    author=None,
    source="Harbor City Ledger",
    source_url=None,
    url="https://hcledger.example/police-chief",
    published="2026-12-01",
    updated=None,
)
QUOTE = Quote(
    "Harbor City has hired Deputy Chief Teresa Vance.",
    1,
    2.0,
    ((0, 6),),
    None,
    CITATION,
    unmentioned=("new", "fire"),
)
ANSWER = Answer("who is the new fire chief in harbor city?", (QUOTE,))
SAID = "The story never mentions “new” or “fire”."


def test_the_words_are_listed_as_a_sentence():
    assert unmentioned_line(("fire",)) == "The story never mentions “fire”."
    assert unmentioned_line(("a", "b", "c")) == "The story never mentions “a”, “b” or “c”."


def test_the_terminal_says_it_under_the_citation():
    lines = render_answer(ANSWER).splitlines()
    assert lines[2] == f"    {SAID}"
    assert lines[1].startswith("    — “Harbor City picks")
    assert SAID not in render_answer(replace(ANSWER, quotes=(replace(QUOTE, unmentioned=()),)))


def test_slack_says_it_in_the_quotes_context_block():
    message = blocks.answer_message(ANSWER)
    contexts = [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]
    assert len(contexts) == 1 and contexts[0].endswith(f"\n_{SAID}_")


def test_discord_says_it_in_the_quotes_embed():
    [embed] = embeds.answer_message(ANSWER).embeds
    assert embed["description"].endswith(f"\n*{SAID}*")


def test_words_from_chat_are_escaped_on_each_surface():
    hostile = replace(ANSWER, quotes=(replace(QUOTE, unmentioned=("<!channel>", "*x*")),))
    slack = blocks.answer_message(hostile)["blocks"]
    context = next(b["elements"][0]["text"] for b in slack if b["type"] == "context")
    assert "<!channel>" not in context and "&lt;!channel&gt;" in context
    [embed] = embeds.answer_message(hostile).embeds
    assert "\\*x\\*" in embed["description"]
    snake = replace(ANSWER, quotes=(replace(QUOTE, unmentioned=("snake_case",)),))
    context = next(b for b in blocks.answer_message(snake)["blocks"] if b["type"] == "context")
    # mrkdwn has no escape for "_": the line is left plain rather than italics broken
    assert context["elements"][0]["text"].endswith("\nThe story never mentions “snake_case”.")


def test_a_word_in_more_than_one_passage_in_twenty_is_held_by_every_story(archive):
    """ "council", in 600 of 603 passages, is no word a story can be said to lack: it tells
    nothing, and looking for it would read every posting."""
    minutes = [
        Article(
            title=f"Council minutes {n}",
            key=f"minutes-{n}",
            paragraphs=tuple(
                Paragraph(f"The council met on day {d} of week {n}.") for d in range(6)
            ),
        )
        for n in range(100)
    ]
    archive.add([POLICE, *minutes])
    held = archive.passages.held_by({"police-chief"}, {"council", "fire", "vanc"})
    assert held == {"police-chief": {"council", "vanc"}}


# --- end to end: the real Bolt app and discord.py client against fakes on 127.0.0.1 ----------

NEAR_MISS = "who are the proposed guarantors of the ceasefire?"
SAID_OF_CEASEFIRE = "The story never mentions “ceasefire”."


def test_slack_posts_the_words_the_story_never_mentions(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention(NEAR_MISS))
        [posted] = fake.wait_for_calls("chat.postMessage")
    contexts = [b["elements"][0]["text"] for b in posted.args["blocks"] if b["type"] == "context"]
    assert contexts and contexts[0].endswith(f"\n_{SAID_OF_CEASEFIRE}_")
    assert "group of *guarantors*" in json.dumps(posted.args["blocks"], ensure_ascii=False)


def test_discord_replies_with_the_words_the_story_never_mentions(seeded, feedback):
    async def scenario(fake):
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> {NEAR_MISS}")
        return await fake.reply_to(asked)

    reply = run_bot(seeded, feedback, scenario).result
    first = reply.body["embeds"][0]["description"]
    assert "group of **guarantors**" in first
    assert first.endswith(f"\n*{SAID_OF_CEASEFIRE}*")
