"""Our segment writers write what Whoosh's own writer writes: every file of the segment, byte for
byte (terms, postings, stored fields, lengths)."""

from __future__ import annotations

import json
import os

from whoosh import index as whoosh_index
from whoosh import query, scoring
from whoosh.writing import SegmentWriter

from index.article import Article, Paragraph
from index.readers import read
from index.search import writes
from index.search.schema import passage_schema, terms_of
from index.search.segments import PassageSegmentWriter, lengths_in_memory, open_index, searcher
from index.search.writes import document
from tests.conftest import SAMPLES, SHARED

XQUAD = SHARED / "eval" / "xquad.en.json"


def sample_articles(story_path=None) -> list[Article]:
    """The project's samples, its syndicated story, and the Wikipedia articles of xquad.en
    (when ../shared is beside the repository)."""
    paths = sorted(SAMPLES.iterdir()) + ([story_path] if story_path else [])
    articles = [a for path in paths for a in read(path.read_bytes(), str(path))]
    assert all(isinstance(a, Article) for a in articles) and len(articles) > 5
    if XQUAD.exists():
        for n, entry in enumerate(json.loads(XQUAD.read_text(encoding="utf-8"))["data"]):
            texts = [p["context"] for p in entry["paragraphs"]]
            articles.append(
                Article(
                    title=entry["title"], paragraphs=tuple(map(Paragraph, texts)), key=f"xquad-{n}"
                )
            )
    return articles


def documents_of(articles: list[Article]) -> list[dict]:
    return [document(a, n, p) for a in articles for n, p in enumerate(a.paragraphs, 1)]


def written_by(kind, folder, documents: list[dict]):
    """A one-segment index of these documents, written by a writer of this kind."""
    folder.mkdir()
    whoosh_index.create_in(str(folder), passage_schema())
    writer = kind(open_index(folder))
    for fields in documents:
        writer.add_document(**fields)
    writer.commit()
    return open_index(folder).reader()


def in_segments(folder, parts: list[list[dict]], kind=SegmentWriter):
    """An index of these documents, a segment per part, each written by a writer of this kind."""
    folder.mkdir()
    whoosh_index.create_in(str(folder), passage_schema())
    for part in parts:
        writer = kind(open_index(folder))
        for fields in part:
            writer.add_document(**fields)
        writer.commit(merge=False)
    return open_index(folder)


def segment_files(folder) -> list[tuple]:
    """Every segment of the index in a folder, in order: its passage and deletion counts, and
    every file it is made of (terms, postings, stored fields, length columns), byte for byte,
    by kind (the name without the segment's random id)."""
    ix = open_index(folder)
    found = []
    for reader, _ in ix.reader().leaf_readers():
        segment = reader.segment()
        prefix = segment.make_filename("")
        if segment.is_compound():
            files = segment.open_compound_file(ix.storage)
            names = files.list()
        else:
            files, names = ix.storage, segment.list_files(ix.storage)
        parts = {}
        for name in sorted(names):
            with files.open_file(name) as f:
                parts[name.removeprefix(prefix)] = f.read()
        assert {".trm", ".pst", "._stored.col"} <= set(parts), sorted(parts)
        found.append((segment.doc_count_all(), segment.deleted_count(), parts))
    ix.close()
    return found


def contents(reader) -> tuple:
    """Everything a reader gives back, by document number."""
    fields = [name for name, field in reader.schema.items() if field.scorable]
    return (
        list(reader.iter_postings()),
        [reader.stored_fields(n) for n in range(reader.doc_count_all())],
        [[reader.doc_field_length(n, f) for f in fields] for n in range(reader.doc_count_all())],
        {f: reader.field_length(f) for f in fields},
    )


def test_the_passage_writer_writes_what_whoosh_writes(tmp_path, story_path):
    documents = documents_of(sample_articles(story_path))
    ours = written_by(PassageSegmentWriter, tmp_path / "ours", documents)
    theirs = written_by(SegmentWriter, tmp_path / "whoosh", documents)
    assert ours.doc_count_all() == len(documents) > 30
    assert contents(ours) == contents(theirs)
    assert segment_files(tmp_path / "ours") == segment_files(tmp_path / "whoosh")


def test_unusual_text_is_written_the_same_way(tmp_path):
    odd = [
        "Curly ‘quotes’ and “doubles”, a `tick`, Moscow’s café, don't, O'Neil's",
        "Ｆｕｌｌｗｉｄｔｈ, ligature ﬁnance, Ünïcödé, 1,200.5 and U.S. A&P",
        "",
        "   ",
        "the of and a",  # nothing but stop words, or nothing at all
    ]
    article = Article(title="Odd “text”", paragraphs=tuple(map(Paragraph, odd)), key="odd")
    documents = documents_of([article])
    ours = written_by(PassageSegmentWriter, tmp_path / "ours", documents)
    theirs = written_by(SegmentWriter, tmp_path / "whoosh", documents)
    assert contents(ours) == contents(theirs)
    # No passage has a heading: Whoosh never registers a field without terms in the terms
    # file, and neither may we (the field numbers of the fields after it would shift).
    assert segment_files(tmp_path / "ours") == segment_files(tmp_path / "whoosh")


def test_terms_in_many_passages_span_blocks_the_same_way(tmp_path):
    """Postings are written in blocks of 128: a term in 300 passages of varied lengths and
    frequencies fills three."""
    texts = [
        f"Harbor {'bridge ' * (n % 7)}vote {'harbor ' * (n % 3)}number {n}." for n in range(300)
    ]
    article = Article(title="Votes", paragraphs=tuple(map(Paragraph, texts)), key="votes")
    documents = documents_of([article])
    ours = written_by(PassageSegmentWriter, tmp_path / "ours", documents)
    theirs = written_by(SegmentWriter, tmp_path / "whoosh", documents)
    assert ours.doc_frequency("body", "harbor") == 300
    assert contents(ours) == contents(theirs)
    assert segment_files(tmp_path / "ours") == segment_files(tmp_path / "whoosh")


def test_parallel_segments_hold_the_same_postings_as_one_whoosh_segment(
    tmp_path, monkeypatch, story_path
):
    """Written by worker processes into several segments, the passages carry the same terms,
    weights and stored fields as when Whoosh writes them into one."""
    monkeypatch.setattr(writes, "PARALLEL_FROM", 10)
    from index.search.passages import PassageIndex

    articles = sample_articles(story_path)
    index = PassageIndex(tmp_path / "parallel")
    try:
        index.write(articles)
        assert index.segments() > 1
    finally:
        index.close()
    parallel = open_index(tmp_path / "parallel").reader()
    whoosh = written_by(SegmentWriter, tmp_path / "whoosh", documents_of(articles))
    assert by_passage(parallel) == by_passage(whoosh)
    # Each worker's segment is, byte for byte, Whoosh's segment of the same share.
    shares = writes.split_evenly(documents_of(articles), min(os.cpu_count() or 1, writes.MAX_PROCS))
    for n, share in enumerate(shares):
        written_by(SegmentWriter, tmp_path / f"share-{n}", share)
    assert segment_files(tmp_path / "parallel") == [
        segment for n in range(len(shares)) for segment in segment_files(tmp_path / f"share-{n}")
    ]


def by_passage(reader) -> tuple:
    """Postings and stored fields keyed by passage id instead of document number."""
    passage = {n: reader.stored_fields(n)["passage"] for n in reader.all_doc_ids()}
    postings = sorted((f, t, passage[n], w, v) for f, t, n, w, v in reader.iter_postings())
    return postings, sorted(tuple(sorted(reader.stored_fields(n).items())) for n in passage)


def test_merged_segments_are_written_the_same_way(tmp_path, story_path):
    """Merging reads postings term by term: the pool must put them back in document order."""
    documents = documents_of(sample_articles(story_path))

    def merged_by(kind, folder):
        kind(in_segments(folder, [documents[::2], documents[1::2]])).commit(optimize=True)
        return open_index(folder).reader()

    ours = merged_by(PassageSegmentWriter, tmp_path / "ours")
    theirs = merged_by(SegmentWriter, tmp_path / "whoosh")
    assert len(ours.leaf_readers()) == 1 and ours.doc_count_all() == len(documents)
    assert contents(ours) == contents(theirs)
    assert segment_files(tmp_path / "ours") == segment_files(tmp_path / "whoosh")


def test_a_writer_merging_segments_beside_new_passages_writes_the_same(tmp_path, story_path):
    """New passages' counted terms and merged segments' postings meet in one pool and the
    same terms: each term's postings in document order, once."""
    documents = documents_of(sample_articles(story_path))

    def written_by(kind, folder):
        writer = kind(in_segments(folder, [documents[::3], documents[1::3]]))
        for fields in documents[2::3]:
            writer.add_document(**fields)
        writer.commit(optimize=True)
        return open_index(folder).reader()

    ours = written_by(PassageSegmentWriter, tmp_path / "ours")
    theirs = written_by(SegmentWriter, tmp_path / "whoosh")
    assert len(ours.leaf_readers()) == 1 and ours.doc_count_all() == len(documents)
    assert contents(ours) == contents(theirs)
    assert segment_files(tmp_path / "ours") == segment_files(tmp_path / "whoosh")


def test_a_searcher_with_lengths_in_memory_scores_as_whoosh_reads_them(tmp_path, story_path):
    documents = documents_of(sample_articles(story_path))
    ix = in_segments(tmp_path / "index", [documents[::2], documents[1::2]], PassageSegmentWriter)
    ours, theirs = searcher(ix, scoring.BM25F()), ix.searcher(weighting=scoring.BM25F())
    fields = [name for name, field in ix.schema.items() if field.scorable]
    assert len(ours.reader().leaf_readers()) == 2
    for (mine, _), (whooshs, _) in zip(
        ours.reader().leaf_readers(), theirs.reader().leaf_readers(), strict=True
    ):
        assert lengths_in_memory(mine, "body") and lengths_in_memory(mine, "title")
        assert not lengths_in_memory(whooshs, "body")
        for n in range(mine.doc_count_all()):
            assert [mine.doc_field_length(n, f) for f in fields] == [
                whooshs.doc_field_length(n, f) for f in fields
            ]
    for words in (["guarantors"], ["bridge", "vote"], ["river", "cleanup", "volunteers"]):
        q = query.Or([query.Term("body", t) for w in words for t in terms_of(w)])
        found = [(hit.docnum, hit.score) for hit in ours.search(q, limit=20)]
        assert found and found == [(hit.docnum, hit.score) for hit in theirs.search(q, limit=20)]
