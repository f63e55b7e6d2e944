"""Answer quality: focused verbatim quotes, ranking cues, honest no-answer, filters, metadata."""

from __future__ import annotations

import pytest

from index.answering.question import parse_question
from index.article import Article, Paragraph
from index.ingest.sources import ingest
from index.sentences import sentence_spans
from tests.conftest import SAMPLES, assert_verbatim


@pytest.fixture
def newsroom(archive, story_path):
    """The archive holding the syndicated story and the samples."""
    ingest(archive, [str(story_path), str(SAMPLES)])
    return archive


def test_the_guarantors_sentence_not_the_whole_paragraph(newsroom, story_text):
    top = newsroom.ask("who are the proposed guarantors?").quotes[0]
    assert "a group of guarantors" in top.text
    assert_verbatim(top.text, story_text)
    paragraph = next(line for line in story_text.splitlines() if "group of guarantors" in line)
    assert len(top.text) < len(paragraph)
    assert len(top.text) <= 460
    assert top.paragraph == 4


def test_the_seed_guarantors_sentence_not_the_whole_paragraph(seed_path, archive):
    ingest(archive, [str(seed_path), str(SAMPLES)])
    seed_text = seed_path.read_text(encoding="utf-8")
    top = archive.ask("who are the proposed guarantors?").quotes[0]
    assert "a group of guarantors" in top.text
    assert_verbatim(top.text, seed_text)
    paragraph = next(line for line in seed_text.splitlines() if "group of guarantors" in line)
    assert len(top.text) < len(paragraph) and len(top.text) <= 460
    assert top.paragraph == 4


def test_the_terms_are_quoted_and_never_the_subheading(newsroom, story_text):
    answer = newsroom.ask("What are Marenia's terms for a deal?")
    top = answer.quotes[0]
    for term in ("summer flow", "lawsuit", "locks"):
        assert term in top.text
    assert_verbatim(top.text, story_text)
    assert all(q.text != "What are Marenia’s terms for a deal?" for q in answer.quotes)
    assert top.heading == "What are Marenia’s terms for a deal?"


def test_a_misspelt_question_is_corrected_and_says_so(newsroom):
    answer = newsroom.ask("who are the proposed guarantours?")
    assert answer.corrected == "who are the proposed guarantors?"
    assert "a group of guarantors" in answer.quotes[0].text


def test_chat_words_spelt_right_are_not_corrected_into_other_words(newsroom):
    """ "status" is not "states", nor "thanks" "than": an ending is no inflection unless it is one
    ("Alaskan", "Alaska" above)."""
    status = newsroom.ask("what's the status of the bridge vote?")
    assert status.corrected is None
    assert "postponed its vote" in status.quotes[0].text
    thanks = newsroom.ask("thanks!")
    assert thanks.suggestion is None and thanks.quotes == ()


def test_a_misspelt_name_in_the_possessive_is_corrected_and_keeps_its_ending(newsroom):
    """Before, "Marennia's" was no word to correct (an apostrophe) and, as a name no article
    holds, the question was declined."""
    for typed, meant in (("Marennia's", "Marenia's"), ("Marennia’s", "Marenia’s")):
        answer = newsroom.ask(f"What are {typed} terms for a deal?")
        assert answer.corrected == f"What are {meant} terms for a deal?"
        assert "summer flow" in answer.quotes[0].text


def test_a_slip_is_corrected_to_the_word_written_likest_it(archive):
    """ "Ryal" is one letter from "real" and from "royal": the likelier meant is the one written
    like it, though "real" is commoner. "Civial" is the stem "civil", written "civil" here,
    though the first passage holding the stem writes "civilization"."""
    texts = [
        "Ancient civilization along the river began with farming villages.",
        "The real cost of the war was counted in real wages and real losses, in real terms.",
        "Veterans of the Spanish Civil War trained the cadets at the Royal Military College.",
    ]
    archive.add(
        [Article(title="Notes", paragraphs=tuple(Paragraph(t) for t in texts), key="notes")]
    )
    royal = archive.ask("Who trained cadets at the Ryal Military College?")
    assert royal.corrected == "Who trained cadets at the Royal Military College?"
    assert "Spanish Civil War" in royal.quotes[0].text
    civil = archive.ask("Who were the veterans of the Spanish Civial War?")
    assert civil.corrected == "Who were the veterans of the Spanish Civil War?"


def test_a_name_spelt_as_a_word_is_corrected_one_slip_away_and_no_further(archive):
    """A capitalised word is corrected from the archive even when it is an English word
    ("Percy Shelly": Shelley), but only one slip away: "Canada" is not "Canadian", nor "Senate"
    "sent" (before, both were read so and the question answered as if about them)."""
    texts = (
        "Canadian lumber exports fell 8 percent in March after the new tariffs took effect.",
        "The council sent the budget back to committee, and the poet Percy Shelley's sonnet "
        "was read aloud before the vote.",
    )
    archive.add([Article(title="Notes", paragraphs=tuple(map(Paragraph, texts)), key="notes")])
    shelley = archive.ask("Whose sonnet by Percy Shelly was read before the vote?")
    assert shelley.corrected == "Whose sonnet by Percy Shelley was read before the vote?"
    for question in ("How much did Canada's exports fall?", "When did the Senate pass the budget?"):
        answer = archive.ask(question)
        assert answer.corrected is None and answer.suggestion is None and answer.quotes == ()


def test_a_quote_opening_with_he_reaches_back_to_the_sentence_that_names_him(archive):
    """ "He is also the oldest quarterback …" cannot be quoted on deadline without who "he" is:
    the quote takes in the sentence before it, within its length budget."""
    text = (
        "The Broncos won the title game on Sunday, beating the Carolina Panthers 24 to 10 before "
        "a crowd of 71,088 in Santa Clara, California, on a cool and windy evening. "
        "Denver's defense forced four turnovers and sacked the Panthers' quarterback six times, "
        "and held the league's best offense to ten points. "
        "Peyton Manning finished with 141 passing yards, one interception and no touchdowns, the "
        "lowest total of his long career in any playoff start. "
        "He is also the oldest quarterback ever to play in the title game, at age 39. "
        "Von Miller, who had two and a half sacks, was named the game's most valuable player. "
        "The city will hold a parade downtown on Tuesday, and schools will close early so that "
        "families can attend."
    )
    archive.add([Article(title="Broncos win", paragraphs=(Paragraph(text),), key="broncos")])
    top = archive.ask("Who is the oldest quarterback to play in the title game?").quotes[0]
    assert top.text.startswith("Peyton Manning finished") and "He is also the oldest" in top.text
    assert top.text in text and len(top.text) <= 450
    assert {"oldest", "quarterback"} <= {top.text[s:e] for s, e in top.highlights}


def test_a_misspelt_little_word_is_read_as_the_word_meant(newsroom):
    """ "teh" and "thier" are no words the index holds (it leaves out "the" and "their"): the
    English word list says what was meant, rather than the archive's nearest ("tier")."""
    answer = newsroom.ask("who are teh proposed guarantors?")
    assert answer.corrected == "who are the proposed guarantors?"
    assert "a group of guarantors" in answer.quotes[0].text
    assert newsroom.ask("what are thier terms?").suggestion == "what are their terms?"


def test_a_short_name_the_archive_lacks_is_no_slip_for_a_little_word(newsroom):
    """ "ofo" would be a slip for "of", but "Ofo" is a name: no story holds it, so nothing is
    quoted, rather than the question without it."""
    answer = newsroom.ask("What did Ofo say about the harbor bridge budget?")
    assert answer.corrected is None and answer.quotes == ()


def test_a_month_is_found_abbreviated_or_spelt_out(archive):
    """AP style writes "Feb. 3" beside a date and "December" alone; a question may write either
    the other way. Before, "Dec" was taken for a name no story holds, and the question declined.
    The index reads an abbreviation as its month: no correction is needed, or shown."""
    texts = (
        "The ferry will resume service on Feb. 3 after repairs to its hull.",
        "Crews worked through December to finish the hull.",
    )
    archive.add([Article(title="Ferry", paragraphs=tuple(map(Paragraph, texts)), key="ferry")])
    spelt_out = archive.ask("When in February will the ferry resume service?")
    assert spelt_out.quotes and "Feb. 3" in spelt_out.quotes[0].text
    abbreviated = archive.ask("What did crews do in Dec?")
    assert abbreviated.corrected is None
    assert "worked through December" in abbreviated.quotes[0].text


def _board_members(archive, target: str) -> None:
    """An archive of 40 short stories of board members sworn in on other days, and `target`."""
    months, people = ["Nov.", "Oct.", "Sept.", "Aug.", "Feb.", "Jan."], ["Ana Reyes", "Omar Diaz"]
    texts = [
        f"{people[i % 2]} was sworn in on {months[i % 6]} {10 + i % 19} in Ward {10 + i % 7}."
        for i in range(40)
    ]
    texts.append("Crews worked through December to finish the hull of the ferry.")
    texts.append(target)
    archive.add(
        [
            Article(title=f"Story {i}", paragraphs=(Paragraph(t),), key=f"s{i}")
            for i, t in enumerate(texts)
        ]
    )


def test_a_month_abbreviated_in_the_story_is_found_by_its_name(archive):
    """Before, "December" did not find "Dec. 8" (another story said "December": the word was
    known, so no other form of it was tried), and among forty swearings-in the question was
    declined."""
    _board_members(archive, "Nadia Alvarez will be sworn in on Dec. 8 in Ward 12.")
    answer = archive.ask("who will be sworn in on December 8?")
    assert answer.quotes and "Nadia Alvarez" in answer.quotes[0].text


def test_a_count_no_story_holds_is_no_subject_the_archive_lacks(archive):
    """A lone digit is searched ("Ward 7"), but one that no passage holds is no sign that the
    news asked about is missing, as a year or a sum would be: "the 3 guarantees" counts."""
    text = "The plan guarantees pensions, jobs and housing for every displaced worker."
    archive.add([Article(title="Plan", paragraphs=(Paragraph(text),), key="plan")])
    answer = archive.ask("what are the 3 guarantees in the plan?")
    assert answer.quotes and "pensions, jobs and housing" in answer.quotes[0].text
    assert archive.ask("what are the 1,250 guarantees in the plan?").quotes == ()


RENTAL_BILL = (
    "The state Senate voted 24-14 Tuesday to pass a bill letting cities cap short-term rentals.",
    "Senate Bill 118, sponsored by Sen. Marisol Acheson, now heads to the House.",
    "Sen. Curtis Redmond opposed SB 118, calling it an attack on property rights.",
    "District Attorney Lena Voss said her office would not prosecute hosts under the old law.",
    "Attorney General Rosa Diaz said her office would enforce the cap.",
    "Hosts under the age of 21 may not register.",
)


@pytest.mark.parametrize(
    ("question", "read_as", "answer"),
    [
        ("what did redmond say about sb118", "what did redmond say about sb 118", "Redmond"),
        ("who sponsored HB7", None, None),  # no House Bill 7 here: nothing is made up
        (
            "what did the DA say about hosts?",
            "what did the district attorney say about hosts?",
            "District Attorney Lena Voss",
        ),
        # "ag" is the index's stem of "age": the acronym is read from how the text writes it
        (
            "what did the AG say about the cap?",
            "what did the attorney general say about the cap?",
            "Attorney General Rosa Diaz",
        ),
    ],
)
def test_shorthand_typed_in_chat_is_read_as_the_story_writes_it(archive, question, read_as, answer):
    """Chat types "sb118" and "DA"; news copy writes "SB 118" and "District Attorney". Before,
    neither was a word of the archive, it weighed as the rarest word asked, and the question
    was declined."""
    paragraphs = tuple(map(Paragraph, RENTAL_BILL))
    archive.add([Article(title="Senate passes rental bill", paragraphs=paragraphs, key="sb")])
    got = archive.ask(question)
    assert got.corrected == read_as
    if answer is None:
        assert got.quotes == ()
    else:
        assert got.quotes and answer in got.quotes[0].text


def test_two_letters_swapped_are_one_slip_and_corrected(archive):
    """ "Zeria" is "Zeira" with two letters swapped: one slip, though Levenshtein counts two
    edits; and "Beriods" is nearer "Beroids" (one swap) than the commoner "behind" (two)."""
    text = (
        "Economists Oded Galor and Joseph Zeira showed in 1993 that inequality slows growth. "
        "Beroids, a kind of comb jelly, use giant cilia as teeth; they hide behind rocks."
    )
    archive.add([Article(title="Notes", paragraphs=(Paragraph(text),), key="notes")])
    answer = archive.ask("When did Galor and Zeria show that inequality slows growth?")
    assert answer.corrected == "When did Galor and Zeira show that inequality slows growth?"
    assert answer.quotes and "1993" in answer.quotes[0].text
    teeth = archive.ask("What do Beriods use as teeth?")
    assert teeth.corrected == "What do Beroids use as teeth?"
    assert teeth.quotes and "giant cilia" in teeth.quotes[0].text


def test_a_word_spelt_right_is_not_corrected_into_another_word(archive):
    """ "decide" is one letter from "decade", but a word, not a slip: it is never read as
    another word the archive holds; another form of it ("Alaskan", "Alaska") is still tried."""
    archive.add(
        [
            Article(
                title="Harbor",
                paragraphs=(
                    Paragraph("The council spent a decade arguing over the harbor budget."),
                    Paragraph("The first Alaska expedition was named for the harbor's founder."),
                ),
                key="harbor",
            )
        ]
    )
    for question in ("What did the mayor decide about the budget?", "Decide what?"):
        answer = archive.ask(question)
        assert answer.corrected is None and answer.suggestion is None, question
        assert not any("decade" in quote.text for quote in answer.quotes), question
    slip = archive.ask("How long did the council argue over the harbor budjet?")
    assert slip.corrected == "How long did the council argue over the harbor budget?"
    form = archive.ask("Who was the first Alaskan expedition named for?")
    assert form.corrected == "Who was the first Alaska expedition named for?"
    assert "founder" in form.quotes[0].text


def test_a_question_the_archive_cannot_answer_gets_no_quotes(newsroom):
    for question in [
        "What is the capital of Australia?",
        "Who won the 2026 World Cup?",
        "What did Keller say about Kazakhstan?",
    ]:
        assert newsroom.ask(question).quotes == (), question


def test_question_words_are_not_what_passages_are_ranked_on(newsroom):
    # Every paragraph of the story holds "the", "what", "said" or "about"; none of them
    # makes a passage an answer.
    assert newsroom.ask("what did they say about the article?").quotes == ()
    top = newsroom.ask("what did the article say about the harbor bridge?").quotes[0]
    assert "harbor bridge" in top.text


def test_date_cue_prefers_the_passage_with_the_date(newsroom, story_text):
    top = newsroom.ask("when did Lund meet Moravec in Port Sallow?").quotes[0]
    assert "Sept. 9" in top.text
    assert_verbatim(top.text, story_text)


def test_number_cue_and_heading_lift_the_cost_paragraph(newsroom):
    top = newsroom.ask("how much will the bridge cost?").quotes[0]
    assert "$48 million" in top.text
    assert top.heading == "How much will the bridge cost?"
    top = newsroom.ask("how much did the dam cost?").quotes[0]
    assert "$2.1 billion" in top.text


def test_sentence_boundaries_keep_abbreviations_and_quotes_whole(story_text):
    paragraph = next(line for line in story_text.splitlines() if line.startswith("Lund met"))
    sentences = [paragraph[s:e] for s, e in sentence_spans(paragraph)]
    assert sentences[0] == "Lund met with Moravec in Port Sallow on Sept. 9."
    assert sentences[1].startswith("Three days later, U.N. envoy Rafael Quiroga hosted Moravec")
    paragraph = next(line for line in story_text.splitlines() if line.startswith("According"))
    assert [paragraph[s:e] for s, e in sentence_spans(paragraph)][1] == (
        "The minister added, “A meeting that only gives Mrs. Moravec another stage is not "
        "something we think is useful.”"
    )
    text = "He spoke to Mr. Keller in the U.K. on Monday. “We agree,” he said. Then he left."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He spoke to Mr. Keller in the U.K. on Monday.",
        "“We agree,” he said.",
        "Then he left.",
    ]


def test_a_cut_inside_a_sentence_is_marked_and_highlights_point_at_words(newsroom, story_text):
    cut = []
    for question in ["who are the proposed guarantors?", "guarantors lawsuit locks rainfall"]:
        for quote in newsroom.ask(question).quotes:
            assert_verbatim(quote.text, story_text)
            if "…" in quote.text:
                cut.append(quote.text)
            for start, end in quote.highlights:
                assert quote.text[start:end].strip() == quote.text[start:end]
                assert quote.text[start:end].isalnum() or "." in quote.text[start:end]
    assert cut, "the guarantors sentence is over 450 characters: its quote is cut"


def test_one_quote_per_article_before_a_second_from_any(archive):
    def story(source, text, extra):
        paragraphs = (Paragraph(text), Paragraph(extra))
        return Article(title=f"Ferry fares ({source})", paragraphs=paragraphs, source=source)

    archive.add(
        [
            story(
                "Ledger",
                "Ferry fares will rise by fifty cents in June.",
                "Ferry fares rose last year.",
            ),
            story(
                "Courier", "The ferry fares rise takes effect in June.", "Ferry fares fund repairs."
            ),
        ]
    )
    quotes = archive.ask("ferry fares rise", limit=4).quotes
    assert {q.citation.source for q in quotes[:2]} == {"Ledger", "Courier"}


def test_identical_passages_are_quoted_once(archive):
    same = "The dam inspection is set for May, the county engineer said."
    archive.add(
        [
            Article(
                title="Dam inspection", paragraphs=(Paragraph(same),), url="https://a.example/1"
            ),
            Article(
                title="Dam inspection", paragraphs=(Paragraph(same),), url="https://b.example/1"
            ),
        ]
    )
    assert len(archive.ask("dam inspection May").quotes) == 1


def test_filters_restrict_the_articles_quoted(newsroom):
    def sources(question):
        return {q.citation.source for q in newsroom.ask(question).quotes}

    assert sources("council vote") >= {"The Millbrook Ledger"}
    assert sources("council vote author:raman") == {"The Millbrook Ledger"}
    assert sources("council vote author:nobody") == set()
    assert sources('library hours source:"Valley Courier"') == {"Valley Courier"}
    assert sources("library hours source:ledger") == set()
    assert sources("market since:2026-05-01") == {"Valley Courier"}
    assert sources("bridge until:2026-03-31") == {"The Millbrook Ledger"}
    assert sources("bridge since:2026-04-01") == set()
    titles = {q.citation.title for q in newsroom.ask('cost in:"transit pass"').quotes}
    assert titles == {"Regional Transit Pass Expands to Three Counties"}


def test_unknown_filters_are_words(newsroom):
    answer = newsroom.ask("Ledger:harbor bridge")
    assert answer.quotes and "harbor bridge" in answer.quotes[0].text


def test_a_bad_filter_date_is_refused_with_a_reason(newsroom):
    from index.errors import QuestionError

    with pytest.raises(QuestionError, match="YYYY-MM-DD"):
        newsroom.ask("bridge since:last-week")


@pytest.mark.parametrize(
    ("question", "field", "value", "title"),
    [
        ("who wrote the article about Marenia?", "author", "Mara Okonjo", "Marenia dam talks"),
        (
            "when was the harbor bridge story published?",
            "published",
            "2026-03-03",
            "Harbor Bridge Vote Delayed Over Cable Anchor Review",
        ),
        (
            "which outlet published the transit pass story?",
            "source",
            "Valley Wire",
            "Regional Transit Pass Expands to Three Counties",
        ),
        (
            "what outlet is the transit pass story from?",
            "source",
            "Valley Wire",
            "Regional Transit Pass Expands to Three Counties",
        ),
        # The heat advisory story mentions the public library in passing; the story about the
        # library is the one whose headline says so
        (
            "who wrote the library story?",
            "author",
            "Tomás Álvarez",
            "Library Hours Cut as County Budget Tightens",
        ),
        (
            "when was the library story published?",
            "published",
            "2026-04-11",
            "Library Hours Cut as County Budget Tightens",
        ),
    ],
)
def test_questions_about_an_article_are_answered_from_its_record(
    newsroom, question, field, value, title
):
    answer = newsroom.ask(question)
    [fact] = answer.facts
    assert (fact.field, fact.citation.title) == (field, title)
    assert fact.value.startswith(value)


@pytest.mark.parametrize(
    ("question", "field", "value", "titles"),
    [
        ("who is Mei Lin?", "author", "Mei Lin", ["River cleanup"]),
        ("what has mara okonjo written?", "author", "Mara Okonjo", ["Marenia dam talks"]),
        ("stories author:okonjo", "author", "Mara Okonjo", ["Marenia dam talks"]),
        (
            "latest stories by Jordan Ellis",
            "author",
            "Jordan Ellis",
            ["School Board Approves Solar Panels for Two Campuses"],
        ),
        (  # newest first
            "what has the Valley Wire published?",
            "source",
            "Valley Wire",
            [
                "Heat Advisory Issued for the Sable Valley",
                "Regional Transit Pass Expands to Three Counties",
            ],
        ),
    ],
)
def test_a_question_naming_an_author_or_an_outlet_lists_their_stories(
    newsroom, question, field, value, titles
):
    """Bylines and outlets are in the articles' records, not their text: such a name is no
    subject the archive lacks (before, these were declined as naming someone unknown)."""
    answer = newsroom.ask(question)
    assert [f.citation.title for f in answer.facts] == titles
    assert {(f.field, f.value) for f in answer.facts} == {(field, value)}


@pytest.mark.parametrize("question", ["what's new?", "any news?", "the latest headlines"])
def test_asked_for_the_news_and_nothing_else_the_newest_stories_are_listed(newsroom, question):
    answer = newsroom.ask(question, limit=10)
    dated = [f.citation.published[:10] for f in answer.facts if f.citation.published]
    assert dated[:2] == ["2026-07-14", "2026-05-04"] and dated == sorted(dated, reverse=True)
    assert {f.field for f in answer.facts} == {"published"}
    undated = [f.citation.title for f in answer.facts if not f.citation.published]
    assert sorted(undated) == ["Marenia dam talks", "River cleanup"]  # the undated last
    assert all(f.citation.published for f in answer.facts[: len(dated)])
    assert len(newsroom.ask(question, limit=3).facts) == 3


def test_a_question_of_question_words_alone_lists_nothing(newsroom):
    answer = newsroom.ask("what?")
    assert answer.facts == () and answer.quotes == ()


def test_an_authors_name_in_a_question_asks_about_their_stories(newsroom):
    answer = newsroom.ask("what did Mei Lin write about the volunteers?")
    assert answer.quotes and answer.facts == ()
    assert {q.citation.author for q in answer.quotes} == {"Mei Lin"}
    published = newsroom.ask("when did the Gazette publish the cleanup story?")
    assert [(f.field, f.citation.title) for f in published.facts] == [
        ("published", "River cleanup")
    ]
    assert newsroom.ask("what has Zofia Brandtner written?").facts == ()  # nobody's byline


@pytest.mark.parametrize(
    ("question", "within", "nearest"),
    [
        (
            "what did the Valley Wire say about the river cleanup?",
            {"source": "Valley Wire"},
            "River",
        ),
        ('source:"Valley Wire" river volunteers', {"source": "Valley Wire"}, "River"),
        ("what did Dev Patel write about the bridge vote?", {"author": "Dev Patel"}, "Harbor"),
        ("what did the Valley Wire say about mars?", {"source": "Valley Wire"}, None),
    ],
)
def test_asked_of_stories_that_hold_no_answer_it_says_whose_and_offers_the_rest(
    newsroom, question, within, nearest
):
    """Before, "Nothing in the archive answers that." though the Riverdale Gazette's story does:
    the no-answer names whose stories were asked, and the story of the rest that answers."""
    answer = newsroom.ask(question)
    assert answer.quotes == () and dict(answer.within) == within
    if nearest is None:
        assert answer.nearest is None
    else:
        assert answer.nearest.title.startswith(nearest)


@pytest.mark.parametrize(
    ("first", "follow", "author", "title"),
    [
        (
            "what did the Valley Wire say about the river cleanup?",
            "who wrote it?",
            "Mei Lin",
            "River",
        ),
        ("what did Dev Patel write about the bridge vote?", "who wrote it?", "Priya", "Harbor"),
    ],
)
def test_after_whose_stories_held_no_answer_it_in_a_follow_up_is_the_nearest_story(
    newsroom, first, follow, author, title
):
    """Before, "who wrote it?" repeated "Nothing from Valley Wire answers that.": the thread
    kept asking the stories the first answer had just said hold nothing."""
    assert newsroom.ask(first).within
    [fact] = newsroom.ask(follow, context=first).facts
    assert fact.value.startswith(author) and fact.citation.title.startswith(title)


def test_after_whose_stories_held_no_answer_a_follow_up_asks_the_whole_archive(newsroom):
    first = "what did the Valley Wire say about the river cleanup?"
    answer = newsroom.ask("how much trash was hauled?", context=first)
    assert answer.within == () and "four tons of trash" in answer.quotes[0].text


@pytest.mark.parametrize(
    ("first", "follow", "within", "nearest"),
    [
        (
            "what did the Valley Wire say about the heat?",
            "and what did the Courier say?",
            {"source": "Valley Courier"},
            "Heat Advisory",
        ),
        (
            "what did Dev Patel write about the bridge vote?",
            "and what did Mei Lin write?",
            {"author": "Mei Lin"},
            "Harbor Bridge",
        ),
    ],
)
def test_a_follow_up_naming_another_outlet_or_author_asks_theirs_instead(
    newsroom, first, follow, within, nearest
):
    """Before, the outlet named in the follow-up and the one carried from the first question
    were read as one name ("Valley Courier Valley Wire"), which no story has: a bare "Nothing
    in the archive answers that" and no nearest story."""
    answer = newsroom.ask(follow, context=first)
    assert answer.quotes == () and dict(answer.within) == within
    assert answer.nearest.title.startswith(nearest)


def test_a_follow_up_naming_the_outlet_that_answers_quotes_it(newsroom):
    first = "what did the Valley Wire say about the river cleanup?"
    answer = newsroom.ask("and what did the Gazette say?", context=first)
    assert answer.quotes and {q.citation.source for q in answer.quotes} == {"Riverdale Gazette"}


def test_a_filter_no_story_matches_gets_the_plain_no_answer(newsroom):
    answer = newsroom.ask('author:"Zofia Brandtner" river')
    assert answer.quotes == () and answer.within == () and answer.nearest is None


@pytest.mark.parametrize(
    ("question", "author", "title"),
    [
        ("who wrote about the heat advisory?", "Dev Patel", "Heat Advisory"),
        ("which reporter covered the solar panels?", "Jordan Ellis", "School Board"),
        ("who has been covering the harbor bridge?", "Priya Raman", "Harbor Bridge"),
        ("who wrote about the library?", "Tomás Álvarez", "Library Hours"),
        ("who covered the bridge vote?", "Priya Raman", "Harbor Bridge"),
        ("who's covering the heat advisory?", "Dev Patel", "Heat Advisory"),
    ],
)
def test_who_wrote_about_a_subject_is_answered_with_its_stories_bylines(
    newsroom, question, author, title
):
    """In a newsroom's archive "who wrote about X?" asks for the reporters: before, the heat
    question quoted the weather service, and the library one was declined."""
    answer = newsroom.ask(question)
    assert answer.quotes == () and 1 <= len(answer.facts) <= 3
    first = answer.facts[0]
    assert (first.field, first.value) == ("author", author) and title in first.citation.title
    assert len({f.citation.article_id for f in answer.facts}) == len(answer.facts)


def test_who_wrote_about_a_subject_leaves_out_stories_that_mention_it_in_passing(newsroom):
    """The heat advisory's second paragraph opens cooling centers "at the public library": before,
    its reporter was listed beside the library story's. A story is about what its headline and
    first paragraph say; one more story about the library, so headlined, is listed too."""
    answer = newsroom.ask("who wrote about the library?")
    assert [f.citation.title for f in answer.facts] == [
        "Library Hours Cut as County Budget Tightens"
    ]
    lede = "The Millbrook Public Library will stay open until 9 p.m. on Thursdays this summer."
    newsroom.add(
        [
            Article(
                title="Library Adds Late Hours",
                paragraphs=(Paragraph(lede),),
                author="Nadia Brooks",
                source="Valley Courier",
                published="2026-06-01",
            )
        ]
    )
    listed = newsroom.ask("who wrote about the library?").facts
    assert {f.value for f in listed} == {"Tomás Álvarez", "Nadia Brooks"}


@pytest.mark.parametrize(
    "question",
    [
        "who covered the cost of the bridge?",
        "who covered most of the bridge's cost overruns?",
        "who covered for the mayor?",
        "who covered it up?",
    ],
)
def test_covering_a_sum_or_for_someone_asks_no_byline(question):
    """ "who covered the vote?" asks for a reporter; covering a cost is paying it."""
    assert not parse_question(question).bylines


def test_who_covered_a_cost_is_answered_from_the_text(newsroom):
    answer = newsroom.ask("who covered the cost of the bridge?")
    assert answer.facts == () and "state infrastructure grant" in answer.quotes[0].text


def test_who_wrote_about_a_subject_asks_about_the_news_where_no_story_has_a_byline(archive):
    text = (
        "The chemist Jabir ibn Hayyan wrote about the distillation of seawater in the eighth "
        "century, centuries before the first desalination plants."
    )
    archive.add([Article(title="A short history of desalination", paragraphs=(Paragraph(text),))])
    answer = archive.ask("who wrote about the distillation of seawater?")
    assert answer.facts == () and "Jabir ibn Hayyan" in answer.quotes[0].text


@pytest.mark.parametrize(
    "question",
    ["who wrote the story about the weather on mars?", "who wrote about the Quorvath strike?"],
)
def test_a_question_about_a_story_the_archive_lacks_gets_no_byline(newsroom, question):
    """A word no passage holds, and no slip for one that does, means no story of the archive is
    the one asked about: before, the weather question named the heat advisory's reporter."""
    answer = newsroom.ask(question)
    assert answer.facts == () and answer.quotes == ()


def test_a_slip_in_a_question_about_a_story_is_corrected_and_says_so(newsroom):
    answer = newsroom.ask("who wrote the libary story?")
    assert answer.corrected == "who wrote the library story?"
    assert [f.value for f in answer.facts] == ["Tomás Álvarez"]


def test_a_question_about_a_poem_is_not_a_question_about_an_article(newsroom):
    assert newsroom.ask("who wrote the guarantors proposal?").facts == ()


@pytest.mark.parametrize(
    "question",
    [
        "when was the Annual Cable Anchor Report released?",  # a titled report in the news
        "what newspaper did the mayor buy?",
        "what publication medium does the library lend?",
        "which website was the first to sell transit passes?",
    ],
)
def test_news_about_reports_and_newspapers_is_not_a_question_about_an_article(newsroom, question):
    assert parse_question(question).about is None
    assert newsroom.ask(question).facts == ()


@pytest.mark.parametrize(
    "question",
    [
        "when is the bridge vote?",
        "when's the harbor bridge vote",
        "when is the vote on the bridge?",
    ],
)
def test_the_date_of_an_event_is_the_one_still_ahead(newsroom, question):
    """Asked in the present tense, the bridge vote's date is the one it is scheduled for, not
    the Tuesday its lede says it was postponed on."""
    answer = newsroom.ask(question)
    assert "scheduled for April 14" in answer.quotes[0].text


def test_a_follow_up_is_read_in_the_context_of_the_first_question(newsroom):
    answer = newsroom.ask("and who would join them?", context="who are the proposed guarantors?")
    assert "guarantors" in answer.quotes[0].text


@pytest.mark.parametrize(
    ("follow", "words"),
    [
        ("when is the vote?", "scheduled for April 14"),
        ("what did the mayor say?", "Mayor Lorenzo Reyes said"),
        ("what's the latest?", "postponed its vote"),  # the story's lede
    ],
)
def test_a_follow_up_asks_its_own_question_about_the_first_ones_subject(newsroom, follow, words):
    """The first question says what about (the bridge), not what is asked now: before, its
    "pays" made every follow-up quote the bridge's budget."""
    answer = newsroom.ask(follow, context="who pays for the bridge?")
    assert answer.quotes and words in answer.quotes[0].text


def test_a_verb_asked_in_its_base_form_is_found_in_its_past_form(archive):
    """ "write" and "wrote" were two index terms: the story "never mentioned" "write"."""
    cleanup = Article(
        title="Volunteers clear 2 tons of trash from the Sable River",
        key="cleanup",
        paragraphs=(
            Paragraph("The river cleanup drew 300 volunteers on Saturday."),
            Paragraph("Mayor Ellen Park wrote a letter thanking the volunteers."),
            Paragraph("Mayor Ellen Park said the city would hold another cleanup in May."),
        ),
    )
    archive.add([cleanup])
    answer = archive.ask("what did the mayor write to the volunteers?")
    assert answer.quotes
    top = answer.quotes[0]
    assert "wrote a letter" in top.text
    assert top.unmentioned == ()
    assert "wrote" in [top.text[s:e] for s, e in top.highlights]


def test_a_follow_up_of_frame_words_only_asks_about_the_first_questions_subject(archive):
    """ "by how much?" was read alone by the relevance model, and declined (0.01)."""
    fares = Article(
        title="Bus fares to rise 25 cents in March",
        key="fares",
        paragraphs=(
            Paragraph(
                "Riverton Transit will raise its base bus fare from $1.75 to $2 on March 1, the "
                "transit board decided Wednesday."
            ),
            Paragraph("Fares for seniors and riders with disabilities will stay at 85 cents."),
        ),
    )
    archive.add([fares])
    answer = archive.ask("by how much?", context="when do bus fares go up?")
    assert answer.quotes
    assert "from $1.75 to $2" in answer.quotes[0].text


def test_a_follow_up_about_the_story_is_answered_from_its_record(newsroom):
    [fact] = newsroom.ask("who wrote that story?", context="who pays for the bridge?").facts
    assert fact.value == "Priya Raman" and "Harbor Bridge" in fact.citation.title


@pytest.mark.parametrize(
    ("follow", "field", "value"),
    [
        ("who wrote it?", "author", "Priya Raman"),
        ("and who wrote that story?", "author", "Priya Raman"),
        ("so when was it published?", "published", "2026-03-03"),
        ("which outlet ran it?", "source", "The Millbrook Ledger"),
        ("and who wrote about it?", "author", "Priya Raman"),
    ],
)
def test_a_follow_up_about_it_is_answered_from_the_threads_story(newsroom, follow, field, value):
    """A reply in a thread says "it" for the story and may open with "and": before, each of
    these got nothing at all (and "who wrote about it?" also named the transit pass's reporter,
    found by "pays")."""
    [fact] = newsroom.ask(follow, context="who pays for the bridge?").facts
    assert fact.field == field and fact.value.startswith(value)
    assert "Harbor Bridge" in fact.citation.title


def test_who_wrote_it_asked_alone_names_no_story(newsroom):
    answer = newsroom.ask("who wrote it?")
    assert answer.facts == () and answer.quotes == ()
    assert parse_question("who wrote that the mayor resigned?").about is None


def test_a_name_the_archive_never_mentions_is_refused_but_an_acronyms_possessive_is_not(
    archive,
):
    """A name or number no article holds means the news asked about is not in the archive; an
    acronym may be spelt out in the article ("MTA's" for "the transit authority's")."""
    text = (
        "The transit authority's board voted on Tuesday to raise bus fares by fifty cents "
        "from June, citing the cost of fuel."
    )
    archive.add([Article(title="Bus fares rise", paragraphs=(Paragraph(text),), key="fares")])
    answered = archive.ask("Why did the MTA's board raise bus fares?")
    assert answered.quotes and "cost of fuel" in answered.quotes[0].text
    refused = archive.ask("Why did Quorvath's board raise bus fares?")
    assert refused.quotes == () and refused.confidence is None


def test_a_removed_story_is_no_longer_among_the_newest(newsroom):
    newest = newsroom.ask("what's new?").facts[0].citation
    assert newest.title == "Heat Advisory Issued for the Sable Valley"
    newsroom.remove(newest.article_id)
    titles = [f.citation.title for f in newsroom.ask("any news?").facts]
    assert titles[0] == "Regional Transit Pass Expands to Three Counties"
    assert newest.title not in titles


def test_a_slip_in_a_byline_or_an_outlets_name_is_read_as_the_name_and_says_so(newsroom):
    answer = newsroom.ask("who is Mei Linn?")
    assert [(f.field, f.value) for f in answer.facts] == [("author", "Mei Lin")]
    assert answer.corrected == "who is Mei Lin?"
    outlet = newsroom.ask("what has the Valey Wire published?")
    assert {f.value for f in outlet.facts} == {"Valley Wire"}
    assert outlet.corrected == "what has the Valley Wire published?"
    assert newsroom.ask("who is Zofia Brandtner?").facts == ()


def test_a_word_spelt_right_in_lower_case_is_no_slip_from_a_byline(newsroom):
    """ "mars" is a letter from Mara Okonjo's first name, and an English word: the question is
    about the weather on Mars, which no story answers, not about her stories."""
    answer = newsroom.ask("what's the weather on mars?")
    assert answer.quotes == () and answer.facts == ()
    assert answer.within == () and answer.corrected is None
    assert newsroom.ask("who is mei linn?").facts[0].value == "Mei Lin"  # "mei" is her name
