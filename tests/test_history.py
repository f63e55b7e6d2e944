"""index/store/history.py: what changed between two versions of an article."""

from __future__ import annotations

from index.article import Article, Paragraph
from index.store.history import Change, changes, word_diff


def article(*paragraphs: str, **fields) -> Article:
    fields.setdefault("title", "Ferry fares rise")
    return Article(paragraphs=tuple(map(Paragraph, paragraphs)), **fields)


def test_the_same_article_has_no_changes():
    one = article("Fares rise in June.", "The port said so.", author="Ann Lee")
    assert changes(one, one) == []


def test_fields_come_first_in_their_order_then_paragraphs():
    old = article("Fares rise in June.", author="Ann Lee", updated=None)
    new = article(
        "Fares rise in July.",
        title="Ferry fares rise later",
        author="Ann Lee",
        updated="2026-05-02",
    )
    found = changes(old, new)
    assert [(c.kind, c.name) for c in found] == [
        ("field", "title"),
        ("field", "updated"),
        ("changed", None),
    ]
    assert found[1] == Change("field", "updated", None, "2026-05-02")


def test_a_paragraph_added_in_the_middle_keeps_the_others_unchanged():
    old = article("One.", "Three.")
    new = article("One.", "Two.", "Three.")
    assert changes(old, new) == [Change("added", new="Two.", new_number=2)]


def test_a_paragraph_removed_is_numbered_as_it_was():
    old = article("One.", "Two.", "Three.")
    assert changes(old, article("One.", "Three.")) == [Change("removed", old="Two.", old_number=2)]


def test_a_reworded_paragraph_is_paired_with_its_earlier_self_and_spelled_out_by_words():
    old = article("Intro.", "Fares rise by fifty cents in June, the port said.")
    new = article("Intro.", "Fares rise by a dollar in June, the port said on Monday.")
    [change] = changes(old, new)
    assert (change.kind, change.old_number, change.new_number) == ("changed", 2, 2)
    assert change.old == old.paragraphs[1].text and change.new == new.paragraphs[1].text
    assert [t for op, t in change.words if op == "-"] == ["fifty", "cents", "said."]
    assert [t for op, t in change.words if op == "+"] == ["a", "dollar", "said on Monday."]
    assert "".join(t for op, t in change.words if op != "+") == change.old
    assert "".join(t for op, t in change.words if op != "-") == change.new


def test_a_replacement_of_two_by_three_pairs_two_and_adds_one():
    old = article("Keep.", "Old a.", "Old b.")
    new = article("Keep.", "New a.", "New b.", "New c.")
    assert [(c.kind, c.old_number, c.new_number) for c in changes(old, new)] == [
        ("changed", 2, 2),
        ("changed", 3, 3),
        ("added", None, 4),
    ]


def test_word_diff_keeps_spacing_in_the_runs():
    assert word_diff("a  b c", "a  x c") == (("=", "a  "), ("-", "b"), ("+", "x"), ("=", " c"))
    assert word_diff("same", "same") == (("=", "same"),)
    assert word_diff("", "new words") == (("+", "new words"),)
