"""Commits keep the index in few segments without ever merging a pile: small segments (each
big write's first part leaves two) are merged a few at a time as they come."""

from __future__ import annotations

from whoosh import index as whoosh_index

from index.archive import Archive
from index.article import Article, Paragraph
from index.search.writes import MERGE_WIDTH, SETTLED_SEGMENT
from tests.generated import word


def story(n: int) -> Article:
    unique = word(n, "m")
    paragraphs = [
        f"Paragraph {k} of the harbor ferry report {n} on the {unique} plan." for k in range(20)
    ]
    return Article(
        title=f"Ferry report {n}", paragraphs=tuple(map(Paragraph, paragraphs)), key=f"m-{n}"
    )


def small_segments(folder) -> list[int]:
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            sizes = [leaf.doc_count() for leaf, _ in reader.leaf_readers()]
    finally:
        ix.close()
    return [size for size in sizes if size < SETTLED_SEGMENT]


def test_small_segments_are_merged_a_few_at_a_time_and_answers_stay_whole(tmp_path):
    piles = []
    with Archive(tmp_path / "data") as archive:
        for batch in range(12):  # each add: one part of 2,500 passages, split in two
            archive.add(story(batch * 125 + n) for n in range(125))
            piles.append(len(small_segments(archive.passages.folder)))
        assert max(piles) <= 2 * MERGE_WIDTH  # without merging: two more after every add
        assert piles[-1] < 2 * len(piles)
        # Nothing lost or doubled in the merges: every passage of every article, once.
        assert len(archive.passages.versions()) == 12 * 125
    ix = whoosh_index.open_dir(str(tmp_path / "data" / "passages"))
    assert ix.doc_count() == 12 * 125 * 20
    ix.close()
