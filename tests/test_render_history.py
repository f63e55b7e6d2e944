"""bot/render/history.py: an article's versions and what changed, as text and as JSON."""

from __future__ import annotations

from bot.render.history import change_line, history_json, history_text
from index.article import Article, Paragraph
from index.store.articles import Version
from index.store.history import Change


def version(number: int, *paragraphs: str, replaced: str | None = None, **fields) -> Version:
    fields.setdefault("title", "Ferry fares rise")
    article = Article(paragraphs=tuple(map(Paragraph, paragraphs)), **fields)
    return Version(number, article, f"2026-05-0{number}T09:00:00+00:00", replaced)


FIRST = version(1, "Fares rise by fifty cents in June.", "The port said so.", replaced="x")
SECOND = version(
    2, "Fares rise by a dollar in June.", "The port said so.", "More to come.", updated="2026-05-02"
)


def test_nothing_stored_says_so():
    assert history_text([]) == "No versions are stored.\n"
    assert history_json([]) == []


def test_each_version_and_what_changed_from_the_one_before():
    text = history_text([FIRST, SECOND])
    assert text.startswith(f"“Ferry fares rise” [{FIRST.article.id}]: 2 version(s)\n\n")
    assert "Version 1: stored 2026-05-01T09:00:00+00:00\n  2 paragraph(s)\n" in text
    assert "Version 2 (current): stored 2026-05-02T09:00:00+00:00, updated 2026-05-02\n" in text
    assert "  updated: (none) → 2026-05-02\n" in text
    assert (
        "  paragraph 1 changed: Fares rise by [-fifty-]{+a+} [-cents-]{+dollar+} in June.\n" in text
    )
    assert "  paragraph 3 added: More to come.\n" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_a_new_version_with_the_same_text_says_so():
    again = version(2, *[p.text for p in FIRST.article.paragraphs])
    assert "Version 2 (current): stored 2026-05-02T09:00:00+00:00\n  no change to the text" in (
        history_text([FIRST, again])
    )


def test_change_lines_for_each_kind():
    assert change_line(Change("field", "author", "Ann", None)) == "author: Ann → (none)"
    assert change_line(Change("removed", old="Gone.", old_number=4)) == "paragraph 4 removed: Gone."
    moved = Change("changed", None, "a", "b", 2, 3, (("-", "a"), ("+", "b")))
    assert change_line(moved) == "paragraph 3 (was 2) changed: [-a-]{+b+}"


def test_the_json_lists_paragraphs_and_changes_of_each_version():
    first, second = history_json([FIRST, SECOND])
    assert first["changes"] == [] and first["replaced_at"] == "x"
    assert second["version"] == 2 and second["replaced_at"] is None
    assert second["paragraphs"][2] == "More to come."
    assert [(c["kind"], c["field"], c["new_paragraph"]) for c in second["changes"]] == [
        ("field", "updated", None),
        ("changed", None, 1),
        ("added", None, 3),
    ]
