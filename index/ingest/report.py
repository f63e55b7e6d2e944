"""IngestReport and Ingested: what an ingest run did, as plain data (light: renderers show it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from index.article import Article

KEPT = 100  # entries of each kind an ingest report lists (it counts them all)


@dataclass(frozen=True)
class Ingested:
    """What a report keeps of an article: enough to name and link it, not its text."""

    id: str
    title: str
    url: str | None

    @classmethod
    def of(cls, article: Article) -> Ingested:
        return cls(article.id, article.title, article.url)


@dataclass
class IngestReport:
    """What one ingest run did. An import of millions of records must not hold them all in
    memory until it ends: each list keeps its first KEPT entries, `counts` counts them all."""

    added: list[Ingested] = field(default_factory=list)
    updated: list[Ingested] = field(default_factory=list)
    unchanged: list[Ingested] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one clear line per bad source or item
    skipped: list[str] = field(default_factory=list)  # files in directories of other types
    notes: list[str] = field(default_factory=list)  # what was left out of an article, and why
    counts: Counter = field(default_factory=Counter)
    records: int = 0  # articles and bad items read
    seconds: float = 0.0

    def record(self, status: str, entry) -> None:
        """Count one outcome ("added", "failed", "notes", ...), keeping the first few."""
        self.counts[status] += 1
        kept = getattr(self, status)
        if len(kept) < KEPT:
            kept.append(entry)

    def count(self, status: str) -> int:
        return self.counts[status] or len(getattr(self, status))

    def summary(self) -> str:
        parts = [f"{self.count(s):,} {s}" for s in ("added", "updated", "unchanged", "failed")]
        if self.skipped:
            parts.append(f"{self.count('skipped'):,} skipped (not an article format)")
        text = ", ".join(parts)
        if self.records > 1 and self.seconds > 0:
            rate = self.records / self.seconds
            text = f"{self.records:,} records read in {self.seconds:,.1f} s ({rate:,.0f}/s): {text}"
        return text
