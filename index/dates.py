"""Dates as the source gave them: a year, a month, a day or an instant, never completed by us."""

from __future__ import annotations

import datetime as dt
import re
import time

from dateutil import parser as dateparser

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEKDAY = re.compile(
    r"(?i)(on\s+)?(mon|tues?|wed(nes)?|thu(rs?)?|fri|sat(ur)?|sun)(day)?\.?(\s+(morning|evening|night))?"
)
_RELATIVE = re.compile(
    r"(?i)\b(today|tonight|yesterday|tomorrow|ago|last|next|this|recently|now|just)\b"
)
# Two defaults that differ in every field: what dateutil fills in from a default, the text
# did not say. Neither is a leap day or a month end, so no default can be pulled into range.
_FILL_A = dt.datetime(1904, 1, 3, 0, 0, 0)
_FILL_B = dt.datetime(1908, 2, 5, 1, 1, 1)
EARLIEST_YEAR, LATEST_YEAR = 1000, 2999
# Zone abbreviations news sources write (RFC 822 and US/UK/European copy), as UTC offsets.
_ZONES = {
    name: hours * 3600
    for hours, names in {
        0: "UT UTC GMT Z WET",
        1: "BST CET WEST",
        2: "CEST EET",
        3: "EEST MSK",
        -4: "EDT AST",
        -5: "EST CDT",
        -6: "CST MDT",
        -7: "MST PDT",
        -8: "PST",
        -9: "AKST",
        -10: "HST",
    }.items()
    for name in names.split()
}


class NotADate(ValueError):
    """The text is not a date a citation can carry; the message says why."""


def source_date(value) -> str | None:
    """ISO 8601 to the precision the source gave: "2024", "2024-05", "2024-05-03", or a time
    ("2024-05-03T14:30:00+00:00", converted to UTC when the source gave a zone; left without
    one when it did not). None for no value; NotADate for a value that is no date: a weekday
    or a relative word with nothing anchoring it, a day with no year, words."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        value = dt.datetime(*value[:6], tzinfo=dt.UTC)
    if isinstance(value, dt.datetime):
        return _instant(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    if not text:
        return None
    if _YEAR.fullmatch(text):
        return _checked_year(int(text), text)
    if match := _MONTH.fullmatch(text):
        _checked_year(int(match[1]), text)
        if not 1 <= int(match[2]) <= 12:
            raise NotADate(f"{text!r} has no month {match[2]}")
        return text
    if _DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise NotADate(f"{text!r} is not a day of the calendar") from None
    try:
        return _instant(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    return _free_text(text)


def date_or_note(value, field: str, notes: list[str]) -> str | None:
    """source_date, with a value that is no date left out and the reason added to notes."""
    try:
        return source_date(value)
    except NotADate as problem:
        notes.append(f"{field} left out: {problem}")
        return None


def date_bounds(value: str) -> tuple[str, str]:
    """The first and last day a stored date may mean: "2024" -> 2024-01-01 .. 2024-12-31."""
    day = value[:10]
    if len(day) == 10:
        return day, day
    year = int(day[:4])
    month_from, month_to = (int(day[5:7]),) * 2 if len(day) == 7 else (1, 12)
    last = (dt.date(year + (month_to == 12), month_to % 12 + 1, 1) - dt.timedelta(days=1)).day
    return f"{year:04d}-{month_from:02d}-01", f"{year:04d}-{month_to:02d}-{last:02d}"


def _free_text(text: str) -> str:
    """A date written in words ("Tuesday, 5 March 2024, 2:30 pm EST"), to its precision."""
    if _WEEKDAY.fullmatch(text):
        raise NotADate(f"{text!r} is a weekday: which week, the source does not say")
    if _RELATIVE.search(text):
        raise NotADate(f"{text!r} is relative to a day the source does not give")
    try:
        first = dateparser.parse(text, default=_FILL_A, tzinfos=_ZONES)
        second = dateparser.parse(text, default=_FILL_B, tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        raise NotADate(f"{text!r} is not a date") from None
    if first.year != second.year:
        raise NotADate(f"{text!r} names no year")
    _checked_year(first.year, text)
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    if first.hour != second.hour:
        return first.date().isoformat()
    return _instant(first)


def _instant(moment: dt.datetime) -> str:
    _checked_year(moment.year, moment.isoformat())
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.isoformat()


def _checked_year(year: int, text: str) -> str:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise NotADate(f"{text!r} is no year of news")
    return f"{year:04d}"
