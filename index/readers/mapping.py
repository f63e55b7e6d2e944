"""Field mappings: a CMS export's field names ("headline", "byline.name") read as ours."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from index.errors import InputError, ReadError

# The fields an article object may give, in our names (see README, "What it reads").
FIELDS = (
    "id",
    "title",
    "author",
    "source",
    "url",
    "published",
    "updated",
    "paragraphs",
    "body",
    "html",
    "categories",
)
_PATH = re.compile(r"^[^\s.]+(\.[^\s.]+)*$")
MAX_JOINED = 20  # values of a list (several authors) joined into one field


@dataclass(frozen=True)
class FieldMapping:
    """Our field name -> the path of the export's field that holds it ("byline.name",
    "authors.0.name"; a list on the way gives every element's value, joined by commas).
    Fields the mapping does not name are read under our own names, as without a mapping."""

    paths: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def parse(cls, pairs: dict[str, str]) -> FieldMapping:
        """From {our field: their path}; InputError naming any field or path that is wrong."""
        paths = []
        for ours, theirs in pairs.items():
            if ours not in FIELDS:
                raise InputError(f"mapping: {ours!r} is not a field (fields: {', '.join(FIELDS)})")
            if not isinstance(theirs, str) or not _PATH.match(theirs):
                raise InputError(
                    f"mapping: {ours}: {theirs!r} is not a field path like byline.name"
                )
            paths.append((ours, tuple(theirs.split("."))))
        if not paths:
            raise InputError("mapping: names no field")
        return cls(tuple(paths))

    def apply(self, record: dict, label: str) -> dict:
        """The record with our field names: each mapped field taken from its path."""
        item = {k: v for k, v in record.items() if k in FIELDS}
        for ours, path in self.paths:
            value = _lookup(record, path)
            if isinstance(value, list) and ours not in ("paragraphs", "categories"):
                value = _joined(value, ours, label)
            item[ours] = value
        return {k: v for k, v in item.items() if v is not None}


def _lookup(value, path: tuple[str, ...]):
    """The value at a path; through a list, every element's value (None when nothing is)."""
    for i, step in enumerate(path):
        if isinstance(value, list):
            if step.isdigit():
                value = value[int(step)] if int(step) < len(value) else None
                continue
            found = [_lookup(v, path[i:]) for v in value]
            found = [v for v in found if v is not None]
            return found or None
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def _joined(values: list, field: str, label: str) -> str | None:
    if not all(isinstance(v, (str, int, float)) for v in values):
        raise ReadError(label, f'"{field}" is mapped to a list that is not of words')
    text = ", ".join(str(v) for v in values[:MAX_JOINED] if str(v).strip())
    return text or None


def mapping_file(path: Path) -> dict[str, str]:
    """The pairs of a mapping file, JSON or YAML: {our field: their path}."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: the mapping file could not be read ({error})") from None
    try:
        pairs = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise InputError(f"{path}: not a valid mapping file ({error})") from None
    if not isinstance(pairs, dict):
        raise InputError(f"{path}: a mapping file holds `field: path` lines")
    return {str(k): v for k, v in pairs.items()}
