"""Questions of any length and any Unicode: an answer or a clear refusal, never a crash."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.answering.question import parse_question
from index.archive import Archive
from index.errors import InputError, QuestionError
from index.ingest.sources import ingest
from tests.conftest import SAMPLES
from tests.generated import bot_env

SYNTAX = [
    "AND", "OR", "NOT", "(", ")", '"', "'", "*", "?", ":", "~2", "^3", "[a TO z]", "{", "}",
    "-", "+", "\\", "/", "title:", "author:", "source:", "since:", "until:", "in:", "in:\"",
    "since:2020-99-99", "since:yesterday", "until:2024-02-30", "body:bridge", "*:*", "%", "$",
    "<script>", "'; DROP TABLE articles; --", "\\x00", "{{7*7}}", "${jndi:ldap://x}",
]  # fmt: skip
WORDS = ["bridge", "vote", "delayed", "harbor", "library", "solar", "who", "what", "why", "the"]
RIGHT_TO_LEFT = ["لماذا تأخر التصويت على الجسر؟", "מי כתב את הכתבה?", "\u202eevil\u202c", "\u200f"]
EMOJI = ["🌉", "👩🏽‍💻", "🇺🇦", "❤️", "🏳️‍🌈", "🤷‍♀️", "\U0001f9ea" * 30]
CONTROLS = ["\x00", "\x07", "\x08", "\x1b[2J", "\x1b]0;owned\x07", "\x7f", "\x85", "\r", "\x0b",
            "\x0c", "\u2028", "\u2029", "\ufeff", "\u200b", "\ufffe", "\U0010ffff"]  # fmt: skip
ODD = ["Z\u0351\u0352\u0353\u0354" * 20, "ﬁ", "İ", "ß", "Ⅻ", "①", "𝔟𝔯𝔦𝔡𝔤𝔢", "e\u0301", "　"]


def hostile_lines(count: int, seed: int = 6) -> list[bytes]:
    """`count` questions, each one line of bytes: syntax, controls, RTL, emoji, huge ones."""
    rnd = random.Random(seed)
    pools = [SYNTAX, WORDS, RIGHT_TO_LEFT, EMOJI, CONTROLS, ODD]
    lines = []
    for n in range(count):
        if n % 25 == 0:  # 10,000 characters, over any limit
            text = (rnd.choice(WORDS) + rnd.choice(EMOJI) + " ") * 1000
            lines.append(text[:10_000].encode())
            continue
        parts = [rnd.choice(rnd.choice(pools)) for _ in range(rnd.randint(1, 12))]
        text = rnd.choice(WORDS) + " " + " ".join(parts)
        data = text.replace("\n", " ").encode("utf-8", "surrogatepass")
        if n % 10 == 3:
            data += b" \xff\xfe\xc0\x80 invalid utf-8 \xed\xa0\x80"
        lines.append(data)
    return lines


def test_three_hundred_hostile_questions_give_three_hundred_json_lines(tmp_path):
    """Done when: 300 hostile questions through `ask --json -` give 300 valid JSON lines and
    exit 0."""
    data = tmp_path / "data"
    with Archive(data) as archive:
        assert not ingest(archive, [str(SAMPLES)]).failed
    lines = hostile_lines(300)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--data", str(data), "--json", "-"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=tmp_path,
        env=bot_env(),
        timeout=300,  # a hang guard, not a speed check
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr
    records = [json.loads(line) for line in done.stdout.decode("utf-8").split("\n") if line]
    assert len(records) == 300
    for line, record in zip(lines, records, strict=True):
        assert set(record) >= {"question", "answers", "suggestion"}
        assert isinstance(record["answers"], list)
        if len(line.decode("utf-8", "replace")) > 1000:
            assert "the limit is 1,000" in record["error"]  # refused, not truncated
            assert record["answers"] == []
        if "error" in record:
            assert record["error"] and "Traceback" not in record["error"]
    assert sum("error" not in r for r in records) > 200  # most were answered or found nothing
    assert any(r["answers"] for r in records)  # and the answering path really ran


def test_an_overlong_question_is_refused_with_its_length_and_the_limit(cli):
    status, _, err = cli("ask", "x" * 5000)
    assert status == 1
    assert "5,000 characters long; the limit is 1,000" in err


# --- properties -------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=1200)  # surrogates too
syntax_text = st.lists(st.sampled_from(SYNTAX + WORDS + CONTROLS + RIGHT_TO_LEFT + EMOJI)).map(
    " ".join
)


def _expected_text(text: str) -> str:
    """The question as the parser should keep it: controls and format characters as spaces."""
    kept = (" " if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text)
    return "".join(kept).strip()


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text, syntax_text), st.integers(min_value=1, max_value=1200))
def test_parse_question_returns_a_question_or_a_question_error(text, limit):
    try:
        question = parse_question(text, limit)
    except QuestionError as error:
        assert str(error)
        expected = _expected_text(text)
        assert not expected or len(expected) > limit or ":" in expected  # empty, long or filter
        return
    assert question.text == _expected_text(text)  # nothing cut, nothing added
    assert 0 < len(question.text) <= limit
    for word in question.words:
        assert word and word in question.text


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory):
    with Archive(tmp_path_factory.mktemp("hostile") / "data") as archive:
        ingest(archive, [str(SAMPLES)])
        yield archive


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, syntax_text))
def test_asking_anything_gives_an_answer_or_an_input_error(sample_archive, text):
    try:
        answer = sample_archive.ask(text)
    except InputError as error:
        assert str(error)
        return
    for quote in answer.quotes:
        for start, end in quote.highlights:
            assert 0 <= start < end <= len(quote.text)
