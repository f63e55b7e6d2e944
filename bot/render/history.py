"""An article's versions -> a readable account of what changed, for the terminal or JSON."""

from __future__ import annotations

from index.store.articles import Version
from index.store.history import Change, changes


def history_text(versions: list[Version]) -> str:
    """Each version with when it was stored, and under it what changed from the one before."""
    if not versions:
        return "No versions are stored.\n"
    first = versions[0].article
    lines = [f"“{first.title}” [{first.id}]: {len(versions)} version(s)", ""]
    for earlier, version in zip([None, *versions], versions, strict=False):
        article = version.article
        dates = [f"stored {version.stored_at}"]
        dates += [f"updated {article.updated}"] if article.updated else []
        current = " (current)" if version.replaced_at is None else ""
        lines.append(f"Version {version.number}{current}: {', '.join(dates)}")
        if earlier is None:
            lines.append(f"  {len(article.paragraphs)} paragraph(s)")
        else:
            found = changes(earlier.article, article)
            lines += [f"  {change_line(c)}" for c in found] or ["  no change to the text"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def change_line(change: Change) -> str:
    """One change in words; edited words are marked [-removed-]{+added+}, as wdiff does."""
    if change.kind == "field":
        return f"{change.name}: {change.old or '(none)'} → {change.new or '(none)'}"
    if change.kind == "added":
        return f"paragraph {change.new_number} added: {change.new}"
    if change.kind == "removed":
        return f"paragraph {change.old_number} removed: {change.old}"
    where = f"paragraph {change.new_number}"
    if change.old_number != change.new_number:
        where += f" (was {change.old_number})"
    marked = "".join(
        text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}"
        for op, text in change.words
    )
    return f"{where} changed: {marked}"


def history_json(versions: list[Version]) -> list[dict]:
    return [
        {
            "version": v.number,
            "stored_at": v.stored_at,
            "replaced_at": v.replaced_at,
            "title": v.article.title,
            "updated": v.article.updated,
            "paragraphs": [p.text for p in v.article.paragraphs],
            "changes": []
            if i == 0
            else [
                {
                    "kind": c.kind,
                    "field": c.name,
                    "old": c.old,
                    "new": c.new,
                    "old_paragraph": c.old_number,
                    "new_paragraph": c.new_number,
                }
                for c in changes(versions[i - 1].article, v.article)
            ],
        }
        for i, v in enumerate(versions)
    ]
