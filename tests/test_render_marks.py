"""The one highlight-marking loop: overlapping and adjacent spans merged, escape per surface."""

from __future__ import annotations

from bot.render import blocks, embeds
from bot.render.marks import mark, merge_spans


def test_overlapping_and_space_separated_spans_are_merged_and_bad_ones_dropped():
    text = "the harbor bridge vote"
    spans = [(11, 17), (4, 10), (4, 8), (18, 22), (30, 40), (3, 3)]
    assert merge_spans(text, spans) == [(4, 22)]
    assert merge_spans("a, b", [(0, 1), (3, 4)]) == [(0, 1), (3, 4)]  # a comma keeps them apart
    assert merge_spans("abc", [(1, 9)]) == [(1, 3)]  # cut to the text


def test_mark_escapes_text_and_highlight_alike_and_puts_markers_around_each_run():
    text = "Tom & Jerry, <b>"
    shout = str.upper
    assert mark(text, [(0, 3), (2, 5)], "[", "]", shout) == "[TOM &] JERRY, <B>"
    assert mark(text, [(14, 15)], "*", "*", blocks.escape) == "Tom &amp; Jerry, &lt;*b*&gt;"
    assert mark(text, [], "*", "*") == text


def test_every_surface_marks_overlapping_spans_the_same_way():
    text = "harbor bridge vote"
    spans = [(0, 13), (7, 18)]
    slack = blocks._quotation(text, spans)
    discord = embeds.quote_markdown(text, spans, 500)
    assert slack == ">*harbor bridge vote*"
    assert discord == "> **harbor bridge vote**"
