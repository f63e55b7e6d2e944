"""The Whoosh passage index behind one small interface: write, search, suggest, versions."""

from __future__ import annotations

import logging
import math
import os
import re
import shutil
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query, scoring

from index.article import Article
from index.citation import Citation
from index.filters import Filters
from index.locks import WRITE_WAIT, WriterSlot
from index.search.schema import ANALYSIS, passage_schema, term_spans, terms_of
from index.search.segments import SegmentWorkers, open_index, searcher
from index.search.writes import MAX_PROCS, Commit, sync_folder

log = logging.getLogger(__name__)

COMMON_SHARE = 0.05
COMMON_LEAST = 500  # passages a word must be in before it counts as common (small archives)
ENOUGH_RARE = 2
SUGGEST_TERMS = 8  # index terms as near to a misspelt word read for their written forms
SUGGEST_PASSAGES = 3  # passages read for each term's written forms
# A written form is chosen by how alike it is to the word typed (difflib's ratio) plus this
# much for each tenfold of passages holding it: a slip toward a rare word is less likely
SUGGEST_COMMONNESS = 0.1
LOCK_FILE = "writer.lock"  # ours, beside Whoosh's files: one writer at a time, all processes
ANALYSIS_FILE = "analysis"  # ours too: the version of the text analysis the index was built by
# The title is not searched for quotes: it is on every passage of an article, so its postings
# are as long as the text's; the answerer lifts passages whose title holds question words
# instead. Only a question about an article's record searches it (`headline`), to find the story.
_FIELD_WEIGHTS = {"body": 1.0, "heading": 0.4}


@dataclass(frozen=True)
class Passage:
    """One paragraph found by a search, with its article's citation (and, when asked for, the
    text of the paragraphs before and after it: "" where there is none)."""

    paragraph: int
    text: str
    heading: str | None
    score: float
    citation: Citation
    beside: tuple[str, str] = ("", "")

    @property
    def article_id(self) -> str:
        return self.citation.article_id


class PassageIndex:
    """A Whoosh index of paragraphs in a folder; safe to share between threads."""

    def __init__(self, folder: Path, slot: WriterSlot | None = None):
        """`slot`: the writer slot its writes hold (the archive's; by default one of its own,
        in its folder)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.slot = slot or WriterSlot(folder / LOCK_FILE)
        self._searcher = None
        self._lock = threading.Lock()
        self._ix = None
        self._workers = SegmentWorkers(min(os.cpu_count() or 1, MAX_PROCS))
        self.damage: str | None = None  # why the index on disk cannot be read, if it cannot
        if not whoosh_index.exists_in(str(folder)):
            with self.slot.exclusive():  # four processes starting at once create it once
                if not whoosh_index.exists_in(str(folder)):
                    whoosh_index.create_in(str(folder), passage_schema())
                    _mark_analysis(folder)
        self.reopen()

    @property
    def outdated(self) -> bool:
        """True if the index was built by another version of the text analysis than this
        code's (`schema.ANALYSIS`): its terms are not those questions are searched by."""
        try:
            built = int((self.folder / ANALYSIS_FILE).read_text())
        except (FileNotFoundError, ValueError):
            built = 1  # before the version was kept
        return built != ANALYSIS

    def close(self) -> None:
        self._workers.close()
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        if self._ix is not None:
            self._ix.close()

    def reopen(self) -> str | None:
        """Open the index on disk and read every segment; returns (and keeps) why it failed."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            try:
                self._ix = open_index(self.folder)
                self._searcher = searcher(self._ix, scoring.BM25F())
                self._searcher.reader().doc_count()
                self.damage = None
            except Exception as error:  # whatever a damaged file makes Whoosh raise
                self._ix = self._searcher = None
                self.damage = f"{type(error).__name__}: {str(error)[:200]}"
        return self.damage

    def recreate(self) -> None:
        """Replace the index on disk by an empty one (the caller then re-indexes the store)."""
        with self.slot.exclusive(), self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._ix = self._searcher = None
            for entry in self.folder.iterdir():
                if entry.name == LOCK_FILE:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            whoosh_index.create_in(str(self.folder), passage_schema())
            _mark_analysis(self.folder)
            sync_folder(self.folder)
        self.reopen()

    def write(
        self, articles: Iterable[Article] = (), delete: Iterable[str] = (), *, only: bool = False
    ) -> None:
        """Replace these articles' passages and drop those of the deleted ids, in one commit.

        With `only`, the index afterwards holds these articles and nothing else (a rebuild).
        The commit is on disk (fsync) when this returns, so the store may then record it.
        """
        self.begin_write(articles, delete, only=only).finish()

    def begin_write(
        self,
        articles: Iterable[Article] = (),
        delete: Iterable[str] = (),
        *,
        only: bool = False,
        unseen: Collection[str] = (),
    ) -> Commit:
        """`write`, begun: big writes go on in worker processes while the caller does other
        work, until it calls the commit's finish() (or cancel()). The writer slot is held
        from now until then. `unseen`: ids of articles the index surely holds no passage of,
        whose old passages are not looked for (a lookup in every segment, per article)."""
        if self._ix is None:
            raise RuntimeError(f"the search index cannot be read ({self.damage})")
        return Commit(
            self._ix, self._workers, self.slot.exclusive, articles, delete, only=only, unseen=unseen
        )

    def segments(self) -> int:
        """How many segments the index is in: many small ones slow every answer down."""
        with self._lock:
            return len(self._current_searcher().reader().leaf_readers())

    def compact(self) -> None:
        """Merge every segment into one (minutes on a large archive; writers wait meanwhile)."""
        with self.slot.exclusive():
            writer = self._ix.writer(timeout=WRITE_WAIT)
            before = set(os.listdir(self.folder))
            writer.commit(optimize=True)
            sync_folder(self.folder, set(os.listdir(self.folder)) - before)

    def search(
        self,
        words: Sequence[str],
        *,
        limit: int = 20,
        filters: Filters | None = None,
        exclude: Collection[str] = (),
        headline: float = 0.0,
        beside: bool = False,
    ) -> list[Passage]:
        """The best passages for any of these words, best first (BM25F over text and headings),
        leaving out the passages of the articles in `exclude`. `headline` weighs a match in the
        article's headline too (0: not at all, as for quotes; the story a question is about).
        `beside`: each with the text of the paragraphs before and after it."""
        terms = list(dict.fromkeys(t for word in words for t in terms_of(word)))
        if not terms:
            return []
        with self._lock:
            terms = _telling(self._current_searcher(), terms)
        weights = _FIELD_WEIGHTS | ({"title": headline} if headline else {})
        clauses = [
            query.Term(field, term, boost=weight)
            for term in terms
            for field, weight in weights.items()
        ]
        with self._lock:
            searcher = self._current_searcher()
            mask = (
                query.Or([query.Term("article", i) for i in sorted(exclude)]) if exclude else None
            )
            results = searcher.search(
                query.Or(clauses), limit=limit, filter=_filter_query(filters), mask=mask
            )
            if not beside:
                return [_passage(hit) for hit in results]
            return [
                replace(p, beside=_beside(searcher, hit.docnum, p))
                for hit in results
                for p in [_passage(hit)]
            ]

    def record_names(
        self, words: Sequence[str], slips: Collection[str] = ()
    ) -> dict[str, tuple[str, str, bool]]:
        """Which of these words are in an article's byline or outlet name (its record, not its
        text): {word: (field, the name's term, exact)}, the field "author" or "source". A word
        among `slips` that none holds may be a slip from one a letter away ("Linn": "lin",
        not exact) when only one is that near."""
        fields = ("author", "source")
        named = {}
        with self._lock:
            searcher = self._current_searcher()
            for word in words:
                terms = {f: [t.text for t in passage_schema()[f].analyzer(word)] for f in fields}
                exact = [
                    f
                    for f in fields
                    if terms[f] and all(searcher.doc_frequency(f, t) for t in terms[f])
                ]
                if exact:
                    named[word] = (exact[0], " ".join(terms[exact[0]]), True)
                    continue
                near = [
                    (f, n)
                    for f in fields
                    if word in slips and (n := _near_name(searcher, f, terms[f]))
                ]
                if near:
                    named[word] = (*near[0], False)
        return named

    def stories(
        self, filters: Filters, *, limit: int = 5, exclude: Collection[str] = ()
    ) -> list[Passage]:
        """The first passage of each of the newest `limit` articles the filters allow (the
        undated last), leaving out the articles in `exclude`."""
        with self._lock:
            searcher = self._current_searcher()
            allowed = _filter_query(filters)
            permitted = None if allowed is None else set(allowed.docs(searcher))
            found: dict[str, list[dict]] = {}  # article id: its passages' stored fields
            # Newest day first, from the dates' own postings: the newest stories of a large
            # archive are found without reading the rest
            for day in sorted(searcher.lexicon("day"), reverse=True):
                if len(found) >= limit:
                    break
                for number in searcher.postings("day", day).all_ids():
                    if permitted is None or number in permitted:
                        fields = searcher.stored_fields(number)
                        if fields["article"] not in exclude:
                            found.setdefault(fields["article"], []).append(fields)
            if len(found) < limit:  # the undated
                rest = searcher.search(
                    allowed or query.Every(), limit=None, groupedby="article", scored=False
                )
                for article, numbers in rest.groups("article").items():
                    if article not in found and article not in exclude:
                        found[article] = [searcher.stored_fields(n) for n in numbers]
                    if len(found) >= limit:
                        break
            firsts = [min(passages, key=lambda f: f["paragraph"]) for passages in found.values()]
            firsts.sort(key=lambda f: (f.get("published") or "", f["article"]), reverse=True)
            return [_passage_of(fields, 0.0) for fields in firsts[:limit]]

    def suggest(self, word: str) -> str | None:
        """The word of the passages closest to one they do not hold, as it is written there."""
        terms = terms_of(word)
        if len(terms) != 1:
            return None
        with self._lock:
            searcher = self._current_searcher()
            reader = searcher.reader()
            typed = terms[0]
            distance = 1 if len(typed) <= 5 else 2
            # Misspellings rarely touch the first letter; sharing it keeps the scan short. Two
            # letters swapped is one slip, though Levenshtein counts it as two edits.
            close = set(reader.terms_within("body", typed, distance, prefix=1))
            close |= {t for t in _swaps(typed) if reader.doc_frequency("body", t)}
            close.discard(typed)
            if not close:
                return None
            # The fewest slips first; among terms as near, the one written likest the word typed
            # ("Ryal": "royal", not the commoner "real"), weighed with how common it is ("crises":
            # "crisis", not "criss"). A term is a stem: its written forms are read from passages
            # that hold it ("Civial": "civil", not "civilization").
            nearest = min(edit_distance(t, typed) for t in close)
            tied = sorted(
                (t for t in close if edit_distance(t, typed) == nearest),
                key=lambda t: (-reader.doc_frequency("body", t), t),
            )[:SUGGEST_TERMS]
            written = {}
            for term in tied:
                commonness = SUGGEST_COMMONNESS * math.log10(
                    reader.doc_frequency("body", term) or 1
                )
                for hit in searcher.search(query.Term("body", term), limit=SUGGEST_PASSAGES):
                    text = hit["body"]
                    for found, start, end in term_spans(text):
                        if found == term:
                            written.setdefault(text[start:end].lower(), commonness)
        typed_word = word.lower()
        return max(
            sorted(written),
            key=lambda form: SequenceMatcher(None, typed_word, form).ratio() + written[form],
            default=None,
        )

    def knows(self, word: str) -> bool:
        """True if the word occurs in some passage's text (stop words count as known)."""
        terms = terms_of(word)
        with self._lock:
            searcher = self._current_searcher()
            return not terms or any(searcher.doc_frequency("body", t) > 0 for t in terms)

    def headlines_hold(self, word: str) -> bool:
        """True if the word occurs in some article's headline (stop words do not count)."""
        terms = terms_of(word)
        with self._lock:
            searcher = self._current_searcher()
            return any(searcher.doc_frequency("title", t) > 0 for t in terms)

    def writes(self, word: str, sample: int = 50) -> bool:
        """True if a passage holding the word's index term writes it as typed, capitals and
        all ("AG", not the "age" whose stem it shares), of the first `sample` holding it."""
        terms = terms_of(word)
        if not terms:
            return True
        written = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        with self._lock:
            searcher = self._current_searcher()
            hits = searcher.search(query.Term("body", terms[0]), limit=sample)
            return any(written.search(hit["body"]) for hit in hits)

    def held_by(self, articles: Collection[str], terms: Collection[str]) -> dict[str, set[str]]:
        """{article id: which of these terms some passage of it holds, in its text or a
        heading}, for each of `articles` (one search, however many). A common word (in more
        than COMMON_SHARE of the passages, and in COMMON_LEAST or more) counts as held by every
        article: that a story lacks it says little, and finding out would read its postings."""
        held: dict[str, set[str]] = {article: set() for article in articles}
        if not held or not terms:
            return held
        fields = tuple(_FIELD_WEIGHTS)
        with self._lock:
            searcher = self._current_searcher()
            limit = _common_limit(searcher)
            common = {t for t in terms if searcher.doc_frequency("body", t) > limit}
            for found in held.values():
                found |= common
            rare = sorted(set(terms) - common)
            if not rare:
                return held
            wanted = query.And(
                [
                    query.Or([query.Term("article", article) for article in sorted(held)]),
                    query.Or([query.Term(field, term) for term in rare for field in fields]),
                ]
            )
            for hit in searcher.search(wanted, limit=None, terms=True, scored=False):
                held[hit["article"]].update(
                    term.decode() for field, term in hit.matched_terms() if field in fields
                )
        return held

    def paragraph(self, article_id: str, number: int) -> Passage | None:
        """One paragraph of an article (counted from 1), if the index holds it."""
        return next((p for p in self.paragraphs(article_id) if p.paragraph == number), None)

    def paragraphs(self, article_id: str) -> list[Passage]:
        """Every paragraph of an article the index holds, in order."""
        with self._lock:
            searcher = self._current_searcher()
            found = [
                _passage_of(searcher.stored_fields(docnum), 0.0)
                for docnum in searcher.document_numbers(article=article_id)
            ]
        return sorted(found, key=lambda p: p.paragraph)

    def weights(self, terms: Sequence[str]) -> dict[str, float]:
        """How telling each term is (its inverse document frequency in the passages' text)."""
        with self._lock:
            searcher = self._current_searcher()
            return {term: searcher.idf("body", term) for term in terms}

    def versions(self) -> dict[str, str]:
        """{article id: content hash} of every article the index holds passages of."""
        with self._lock:
            reader = self._current_searcher().reader()
            held = {}
            for term in reader.lexicon("version"):
                if reader.postings("version", term).is_active():
                    article_id, _, content_hash = term.decode().rpartition("@")
                    held[article_id] = content_hash
            return held

    def generation(self) -> int:
        """The number of the index's latest commit on disk: every write, by any process,
        changes it."""
        if self._ix is None:
            return -1
        return self._ix.latest_generation()

    def probe(self) -> int:
        """Read the index afresh from disk, as a new process would (for health checks): its
        table of contents, every segment and one passage's stored fields; returns how many
        passages it holds, or raises whatever a damaged file makes Whoosh raise."""
        ix = open_index(self.folder)
        try:
            with ix.searcher() as reading:
                count = reading.doc_count()
                next(iter(reading.all_stored_fields()), None)
                return count
        finally:
            ix.close()

    def passage_count(self) -> int:
        with self._lock:
            return self._current_searcher().doc_count()

    def _current_searcher(self):
        if self._ix is None:
            raise RuntimeError(f"the search index cannot be read ({self.damage})")
        # Searcher.refresh() reuses segment readers with stale deletions (whoosh 2.7 and its
        # forks), so a changed index gets a whole new searcher instead.
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = searcher(self._ix, scoring.BM25F())
        return self._searcher


def _near_name(searcher, field: str, terms: list[str]) -> str | None:
    """The one term of a name field a letter from a word of four letters or more, if only one
    is (first letters alike: slips rarely touch them)."""
    if len(terms) != 1 or len(terms[0]) < 4:
        return None
    near = set(searcher.reader().terms_within(field, terms[0], 1, prefix=1)) - {terms[0]}
    return near.pop() if len(near) == 1 else None


def _mark_analysis(folder: Path) -> None:
    (folder / ANALYSIS_FILE).write_text(f"{ANALYSIS}\n")


def _beside(searcher, number: int, passage: Passage) -> tuple[str, str]:
    """The texts of the paragraphs before and after a passage. An article's passages are
    written together, in order, so they are the documents on either side of it; any other
    document there (another article's, a deleted one) is no neighbour."""
    reader = searcher.reader()
    texts = []
    for step in (-1, 1):
        near = number + step
        fields = (
            reader.stored_fields(near)
            if 0 <= near < reader.doc_count_all() and not reader.is_deleted(near)
            else {}
        )
        same = (
            fields.get("article") == passage.article_id
            and fields.get("paragraph") == passage.paragraph + step
        )
        texts.append(fields["body"] if same else "")
    return texts[0], texts[1]


def _passage(hit) -> Passage:
    return _passage_of(hit.fields(), hit.score)


def _passage_of(fields: dict, score: float) -> Passage:
    return Passage(
        paragraph=fields["paragraph"],
        text=fields["body"],
        heading=fields.get("heading") or None,
        score=score,
        citation=Citation(
            article_id=fields["article"],
            title=fields["title"],
            author=fields.get("author") or None,
            source=fields.get("source") or None,
            source_url=fields.get("source_url"),
            url=fields.get("url"),
            published=fields.get("published") or None,
            updated=fields.get("updated"),
        ),
    )


def _filter_query(filters: Filters | None):
    if not filters:
        return None
    parts = []
    if filters.article:
        parts.append(query.Term("article", filters.article))
    for field in ("author", "source", "title"):
        value = getattr(filters, field)
        if value:
            analyzer = passage_schema()[field].analyzer
            words = [token.text for token in analyzer(value)]
            parts.append(
                query.And([query.Term(field, w) for w in words]) if words else query.NullQuery
            )
    if filters.since or filters.until:
        parts.append(_dated(filters.since, filters.until))
    return query.And(parts)


def _dated(since: str | None, until: str | None):
    """Articles whose date may fall between the two days (inclusive). A stored date is as
    precise as its source: "2024" or "2024-05" may mean any day of it, so it matches when its
    year or month overlaps the range. Plain string order does most of it ("2024" and "2024-05"
    sort before "2024-05-01", after "2023-12-31"); the year and month of `since` itself are the
    partial dates it would miss."""
    within = query.TermRange("day", since, until)
    if not since:
        return within
    return query.Or([within, query.Term("day", since[:4]), query.Term("day", since[:7])])


def _telling(searcher, terms: list[str]) -> list[str]:
    """The terms worth searching for: a word in more than COMMON_SHARE of the passages (and in
    COMMON_LEAST or more) ranks little and costs much to match, so it is left to the answerer
    (which still weighs it in coverage), unless the question has fewer than ENOUGH_RARE rarer
    ones. A word no passage holds is no rarer one: it finds nothing."""
    limit = _common_limit(searcher)
    rare = [t for t in terms if 0 < searcher.doc_frequency("body", t) <= limit]
    return rare if len(rare) >= ENOUGH_RARE else terms


def _common_limit(searcher) -> float:
    """The most passages a word may be in and not be common: COMMON_SHARE of them, and at
    least COMMON_LEAST (in a small archive, no word is common)."""
    return max(searcher.doc_count_all() * COMMON_SHARE, COMMON_LEAST)


def edit_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, replaced or swapped with a neighbour (each one edit) to turn
    a into b (the optimal string alignment distance)."""
    before, previous = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if before is not None and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


def _swaps(term: str) -> set[str]:
    """The term with two neighbouring letters swapped, each way it can be (the first kept)."""
    return {term[:i] + term[i + 1] + term[i] + term[i + 2 :] for i in range(1, len(term) - 1)}
