"""index/answering/cues.py: the kind of answer a question asks for, and whether text offers one."""

from __future__ import annotations

import pytest

from index.answering.cues import (
    answer_type,
    asks_ahead,
    asks_why,
    dated_behind,
    gives_reason,
    offers,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when did the bridge open?", "date"),
        ("what year was the dam built?", "date"),
        ("how many riders use the pass?", "number"),
        ("how much will the bridge cost?", "number"),
        ("what share of the vote did she get?", "number"),
        ("who wrote the story?", "person"),
        ("whose idea was the night ferry?", "person"),
        ("which company built the dam?", "person"),
        ("where is the new library?", "place"),
        ("which country joined the group?", "place"),
        ("why was the vote delayed?", None),
        ("what is the plan?", None),
        # typed in chat without the apostrophe: before, these asked for no kind at all
        ("whos the judge in the rental case", "person"),
        ("wheres the new library", "place"),
        ("whens the vote", "date"),
        # what is counted, priced or measured asks for a number
        ("whats the vote count on the strike authorization", "number"),
        ("what was the final score of the match?", "number"),
        ("what is the fine for breaking the watering rules", "number"),
        ("at what age can smokers quit?", "number"),
        ("what age group is surveyed?", None),
        ("what kind of cost is incurred?", None),
        ("what caused population growth in the foothills?", None),
    ],
)
def test_the_question_says_what_kind_of_answer_it_wants(question, kind):
    assert answer_type(question) == kind


def test_a_date_is_offered_by_a_year_a_month_or_a_weekday_not_by_vague_words():
    question = "when did the library open?"
    assert offers("date", "It opened in March.", question)
    assert offers("date", "It opened in 2024.", question)
    assert offers("date", "It opened on Tuesday.", question)
    assert not offers("date", "It opened recently, to much applause.", question)


def test_what_the_question_already_holds_is_not_an_answer():
    assert not offers("date", "It opened in 2024.", "did it open in 2024?")
    assert not offers("person", "The plan, said Ada Okafor, is late.", "what did Ada Okafor say?")
    assert offers("person", "The plan, said Ada Okafor, is late.", "who said the plan is late?")


def test_a_capital_at_the_start_of_a_sentence_is_not_a_name():
    assert not offers("person", "Council met. Nobody came.", "who came?")


def test_numbers_and_places():
    assert offers("number", "The bridge costs $48 million.", "how much is the bridge?")
    assert offers("number", "Forty riders came.", "how many riders came?")
    assert not offers("number", "Riders came.", "how many riders came?")
    assert offers("place", "They met in Geneva on a Monday.", "where did they meet?")
    assert not offers("place", "They met on a Monday.", "where did they meet?")


def test_a_question_of_no_kind_is_offered_nothing():
    assert not offers(None, "They met in Geneva in 2024.", "why did they meet?")


@pytest.mark.parametrize(
    ("question", "ahead"),
    [
        ("when will the mill close?", True),
        ("what date is the vote scheduled for", True),
        ("when's the next meeting?", True),
        ("when does the law take effect?", True),
        ("when do the water restrictions start", True),
        ("when can residents go back home?", True),
        ("when does his mandate run out?", False),  # "it ended in May 2024" may answer
        ("when did the mill open?", False),
        ("when did Holden announce that it will close its plant?", False),
        ("how many jobs will be lost?", False),  # no date asked
        # the date of an event, asked in the present tense
        ("when is the bridge vote?", True),
        ("when's the hearing", True),
        ("and when is the vote on the bridge?", True),
        ("when is the library closed?", False),  # a state, not an event
        ("when is Zelenskyy's mandate over?", False),
    ],
)
def test_a_question_may_ask_the_date_of_something_still_to_come(question, ahead):
    assert asks_ahead(question) is ahead


@pytest.mark.parametrize(
    ("sentences", "behind"),
    [
        (["The mill, which opened in 1922, has lost money."], True),
        (["The plant closed two years ago."], True),
        (["The mill, which opened in 1922, will close in March."], False),
        (["The company said it would close the mill by 2027."], False),
        (["The vote is Dec. 8."], False),  # no year: the story's date cannot place it
        (["The company blamed falling demand."], False),  # no date at all
        (["It opened in 1922.", "It closes on Friday."], False),
        # a date told after a verb in the past tense, whatever the story's date
        (["Chief Ron Tillery, who retired in March, led it for 31 years."], True),
        (["City Manager Paul Hendricks announced Monday."], True),
        (["The plant opened in October 2016."], True),
        (["The board voted on Monday, Dec. 8."], True),
        (["The council voted Tuesday to delay the vote to March."], False),
        # after the verb's object, with no other verb or clause between
        (["The council postponed its vote on the new harbor bridge on Tuesday."], True),
        (["Residents packed the council chamber on Tuesday, many holding signs."], True),
        (["The council voted to hold the hearing on March 3."], False),
        (["The council delayed the vote until May 5."], False),
        (["The council postponed the vote that was set for Monday."], False),
        (["The law, passed in June, takes effect in January."], False),
        (["Crews need March to finish."], False),
        (["The pool closes on Friday."], False),
        # a sentence with no date may say when, all the same
        (["It begins in fourth grade.", "The school opened in March."], False),
    ],
)
def test_a_quote_may_date_only_what_was_already_past_when_its_story_ran(sentences, behind):
    assert dated_behind(sentences, "2026-11-25") is behind


def test_without_the_storys_date_a_year_is_not_placed():
    assert not dated_behind(["The mill's centenary is in 2022."], None)
    assert dated_behind(["The mill opened last year."], None)


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("why was the vote delayed?", True),
        ("Why did the mayor veto the registry", True),
        ("how come the library is closing?", True),
        ("what caused the school closure?", True),
        ("what prompted the bridge vote delay?", True),
        ("what was the main reason for the strike?", True),
        ("for what reason did the council resign?", True),
        ("what did quinlan die of?", True),  # a death's cause
        ("how did the former mayor die?", True),
        ("when did quinlan die?", False),
        ("what is the plan?", False),
        ("when will the library close?", False),
        ("who caused a stir at the meeting?", False),
    ],
)
def test_a_question_asking_why(question, why):
    assert asks_why(question) is why


@pytest.mark.parametrize(
    ("text", "told", "reason"),
    [
        ("The decision came after a water main break.", False, True),
        ("He blamed a 12 percent cut in state aid.", False, True),
        ("Walsh voted no, saying Sunday is the only day families can visit.", False, True),
        ("Members wanted more time to review the report.", False, True),
        ("Her family said she died of complications from pneumonia.", False, True),
        ("The library will close on Sundays starting in January.", False, False),
        ("The council postponed its vote on Tuesday, officials said.", False, False),
        ("Greer said the fee would be passed on to tenants.", True, True),
        ("The vote is now scheduled for April 14.", True, False),
    ],
)
def test_words_a_reason_is_given_with(text, told, reason):
    assert gives_reason(text, told=told) is reason
