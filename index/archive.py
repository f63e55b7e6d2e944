"""The archive: articles in SQLite and their passages in Whoosh, kept in step; ask it questions."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.answering.answerer import Answer, Answerer
from index.answering.candidates import Candidate
from index.answering.question import MAX_QUESTION_CHARS, follow_up, parse_question
from index.article import Article
from index.copies.search import StoryPassages
from index.errors import NotFound
from index.locks import WriterSlot
from index.search.passages import LOCK_FILE, PassageIndex
from index.store.articles import ArticleStore, Stored, Version

log = logging.getLogger(__name__)

ANSWERS_KEPT = 256  # answers remembered for questions asked again, until the archive changes
COMMIT_PASSAGES = 10_000  # passages per index commit (as whole articles): each worker holds its
# share of a commit's postings in memory, about 100 MB per 5,000 passages
FIRST_PART_PASSAGES = 2_500  # the workers wait while the first part is stored: kept short
STORE_FILE = "articles.sqlite3"
INDEX_FOLDER = "passages"


@dataclass(frozen=True)
class Consistency:
    """How the search index differs from the store: article ids in each list."""

    missing: list[str]  # in the store, not in the index
    stale: list[str]  # in both, but the index holds an older version
    extra: list[str]  # in the index, not in the store
    passages: int = 0  # passages the index holds
    paragraphs: int = 0  # paragraphs the store holds: the passages the index should hold

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra) and self.passages == self.paragraphs


@dataclass(frozen=True)
class Probe:
    """What a fresh read of the archive's files found: counts, or why a part cannot be read."""

    articles: int | None  # None: the store could not be read
    passages: int | None  # None: the index could not be read
    problems: tuple[str, ...] = ()  # one sentence per unreadable part, without paths or values

    @property
    def ok(self) -> bool:
        return not self.problems


class Archive:
    """One data directory: the store is the truth, the index is rebuilt from it when needed.

    Every change goes through the index's one writer slot (threads queue, processes wait in
    turn) and in this order: the store records it, the index is written and flushed to disk,
    then the store records that the index holds it. A process killed anywhere in between
    leaves the store's journal saying what the index lacks, and the next writer finishes it.
    Answering never takes the writer slot.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        max_question_chars: int = MAX_QUESTION_CHARS,
        semantic: bool = True,
    ):
        """`semantic=False` ranks by the lexical stage alone, without the relevance model."""
        self.data_dir = Path(data_dir)
        self.store = ArticleStore(self.data_dir / STORE_FILE)
        # One writer at a time for store and index together: every write holds this slot.
        self.slot = WriterSlot(self.data_dir / INDEX_FOLDER / LOCK_FILE)
        self.passages = PassageIndex(self.data_dir / INDEX_FOLDER, self.slot)
        self._answerer = Answerer(StoryPassages(self.passages, self.store), semantic=semantic)
        self._max_question_chars = max_question_chars
        self._answers: OrderedDict[tuple, tuple[tuple[int, int], Answer]] = OrderedDict()
        self._answers_lock = threading.Lock()
        if self.passages.damage:
            self._rebuild_damaged()
        elif self.passages.outdated:
            self._rebuild_outdated()
        self.sync()

    def close(self) -> None:
        self.passages.close()
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, articles: Iterable[Article]) -> list[Stored]:
        """Store and index articles; an article already held is updated in place.

        The articles are taken from the iterable as they are stored, in parts of about
        COMMIT_PASSAGES passages: each part is stored while the one before is being indexed.
        When this returns, they are on disk in the store and in the index, and answerable."""
        parts = _parts(iter(articles), COMMIT_PASSAGES, first=FIRST_PART_PASSAGES)
        part = next(parts, [])
        stored: list[Stored] = []

        def store_next() -> bool:  # runs while worker processes index the part before it
            nonlocal part
            stored.extend(self.store.put(part))
            part = next(parts, None)  # reading the next part's sources, if they are read lazily
            return part is not None

        with self.slot.exclusive():
            self._flush(store_next)
        return stored

    def remove(self, id_or_url: str) -> Article:
        """Take an article out of the archive, by its id or URL."""
        with self.slot.exclusive():
            article = self.find(id_or_url)
            self._flush(lambda: self.store.mark_removed(article.id) or False)
        return article

    def find(self, id_or_url: str) -> Article:
        article = self.store.find(id_or_url)
        if article is None:
            raise NotFound(f"No article with the id or URL {id_or_url!r} is in the archive.")
        return article

    def history(self, id_or_url: str) -> list[Version]:
        """Every version of an article the archive has held, oldest first, current last."""
        return self.store.history(self.find(id_or_url).id)

    def articles(self) -> list[Article]:
        """Every article, newest first."""
        return list(self.store.articles())

    def warm_up(self) -> None:
        """Load the relevance model now (a long-running bot does, at start)."""
        self._answerer.warm_up()

    def explain(self, question: str, limit: int = 5) -> tuple[Answer, list[Candidate]]:
        """The answer and every candidate quote it was chosen from, best first (for measuring
        the ranker: answers given this way are not remembered)."""
        return self._answerer.explain(parse_question(question, self._max_question_chars), limit)

    def ask(self, question: str, limit: int = 5, context: str | None = None) -> Answer:
        """The quotes that answer a question in plain words, with their citations.

        `context` is the first question of a conversation that this one follows up. A question
        asked again is answered from memory until the archive changes (a write by any process).
        """
        key = (question, limit, context)
        generation = (self.passages.generation(), self.store.data_version())
        with self._answers_lock:
            kept = self._answers.get(key)
            if kept and kept[0] == generation:
                self._answers.move_to_end(key)
                return kept[1]
        parsed = parse_question(question, self._max_question_chars)
        if context:
            first = self.ask(context, limit)  # remembered, as a thread's first question usually is
            parsed = follow_up(
                parsed,
                parse_question(context, self._max_question_chars),
                leave_names=bool(first.within and first.nearest),
            )
        answer = self._answerer.answer(parsed, limit)
        with self._answers_lock:
            self._answers[key] = (generation, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > ANSWERS_KEPT:
                self._answers.popitem(last=False)
        return answer

    def sync(self) -> int:
        """Finish what an interrupted run left undone; returns how many articles it repaired.

        Skipped when another process is writing: that writer finishes the journal itself."""
        try:
            with self.slot.exclusive(wait=0) as free:
                return self._flush() if free else 0
        except PermissionError:  # a read-only copy of the data: answer from it as it is
            log.warning("The data directory %s is read-only; not repairing it", self.data_dir)
            return 0

    def check(self) -> Consistency:
        """Compare the store with what the index actually holds (waits for writers to finish)."""
        with self.slot.exclusive():
            stored = self.store.versions()
            indexed = self.passages.versions()
            return Consistency(
                missing=sorted(set(stored) - set(indexed)),
                stale=sorted(i for i in set(stored) & set(indexed) if stored[i] != indexed[i]),
                extra=sorted(set(indexed) - set(stored)),
                passages=self.passages.passage_count(),
                paragraphs=self.store.paragraph_count(),
            )

    def probe(self) -> Probe:
        """Read the store and the index afresh from disk, through connections of their own, as
        a new process would (for health checks: the open ones may still work from memory)."""
        problems = []
        articles = passages = None
        try:
            db = sqlite3.connect(
                f"{(self.data_dir / STORE_FILE).resolve().as_uri()}?mode=ro", uri=True
            )
            try:
                articles = db.execute("SELECT count(*) FROM articles WHERE removed = 0").fetchone()[
                    0
                ]
            finally:
                db.close()
        except sqlite3.Error as error:
            log.warning("Health: the article store cannot be read: %s", error)
            problems.append(f"the article store cannot be read ({type(error).__name__})")
        for attempt in (1, 2):  # a commit may replace segments while they are being opened
            try:
                passages = self.passages.probe()
                break
            except Exception as error:  # whatever a damaged file makes Whoosh raise
                if attempt == 2:
                    log.warning("Health: the search index cannot be read: %r", error)
                    problems.append(f"the search index cannot be read ({type(error).__name__})")
        if self.passages.damage:
            problems.append("the search index could not be opened at start")
        return Probe(articles, passages, tuple(problems))

    def reindex(self) -> int:
        """Rebuild the whole search index from the store; returns the number of articles.

        Killed part-way, the rebuild is finished at the next start."""
        with self.slot.exclusive():
            self.store.forget_indexed()
            self.passages.write(only=True)
            self._flush(quiet=True)
            return self.store.count()

    def _flush(self, store_next: Callable[[], bool] | None = None, *, quiet: bool = False) -> int:
        """Write what the store's journal says the index lacks, in commits of COMMIT_PASSAGES;
        returns how many articles it indexed or dropped.

        Called with the writer slot held, so whatever the journal holds now was left by an
        interrupted run, and is repaired with a log line. `store_next` stores the caller's next
        part of articles and says whether there was one: it is called once first, then while
        each commit is being written by worker processes, so that storing and indexing go on
        at once (a crash in between leaves both parts journaled, and repaired); it returns
        whether more parts are left to store."""
        left = self.store.journal()
        if left and not quiet:
            log.warning(
                "Repairing the search index from the store: %d article(s) an interrupted run "
                "left unindexed or half-removed",
                len(left),
            )
        more = store_next() if store_next else False
        done: set[tuple[str, str | None]] = set()  # (id, version) written; None: dropped
        while True:
            pending = self.store.unindexed(passages=COMMIT_PASSAGES)
            removed = self.store.removed()
            if not pending and not removed:
                if more:  # a part with nothing new in it: go on to the next
                    more = store_next()
                    continue
                return len({article_id for article_id, _ in done})
            work = {(p.article.id, p.article.content_hash) for p in pending}
            work |= {(article_id, None) for article_id in removed}
            if work <= done:  # written, yet still journaled: never loop on it
                log.error("The store did not record the indexing of %d article(s)", len(work))
                while more:  # the rest is stored all the same, journaled for the next writer
                    more = store_next()
                return len({article_id for article_id, _ in done})
            # Never given to the index, by this run or (the journal at the start says) one
            # before it: no old passages to look for.
            given = left | {article_id for article_id, _ in done}
            unseen = {p.article.id for p in pending if p.indexed_hash is None} - given
            commit = self.passages.begin_write(
                [p.article for p in pending], delete=removed, unseen=unseen
            )
            try:
                more = more and store_next()
            except BaseException:
                commit.cancel()
                raise
            commit.finish()
            self.store.mark_indexed(pending)
            self.store.purge(removed)
            done |= work

    def _rebuild_damaged(self) -> None:
        with self.slot.exclusive():
            if self.passages.reopen() is None:  # another process repaired it meanwhile
                return
            self._rebuild(f"could not be read ({self.passages.damage})")

    def _rebuild_outdated(self) -> None:
        """An index built by another version of the text analysis (an upgrade that changed the
        terms a text gives) is rebuilt from the store, once, by the first process to open it."""
        try:
            with self.slot.exclusive():
                if not self.passages.outdated:  # another process rebuilt it meanwhile
                    return
                self._rebuild("was built by another version of the text analysis")
        except PermissionError:
            log.warning(
                "The search index in %s was built by another version of the text analysis and "
                "is read-only here; answering from it as it is (run reindex where it is writable)",
                self.passages.folder,
            )

    def _rebuild(self, why: str) -> None:
        """Rebuild the index from the store, saying why (the writer slot held)."""
        log.warning(
            "The search index in %s %s; rebuilding it from the store (%d articles)",
            self.passages.folder,
            why,
            self.store.count(),
        )
        self.store.forget_indexed()  # first: killed from here on, the next start resumes
        self.passages.recreate()
        self._flush(quiet=True)


def _parts(articles: Iterator[Article], passages: int, first: int) -> Iterator[list[Article]]:
    """The articles in lists of whole articles holding at least `passages` paragraphs (the
    first at least `first`, the last fewer)."""
    part: list[Article] = []
    count = 0
    for article in articles:
        part.append(article)
        count += len(article.paragraphs)
        if count >= (first if first else passages):
            yield part
            part, count, first = [], 0, 0
    if part:
        yield part
