"""Parse the dates found in paper listings into ISO 8601 strings.

Listings write dates many ways ("Mar 12", "Nov 28, 2017", "2022",
"2024-02-13T10:00:00Z"); the graph keeps what the text says and no more: a
date without a year becomes ``--MM-DD`` (an ``xsd:gMonthDay``).

Examples
--------
>>> parse_date("Nov 28, 2017")
'2017-11-28'
>>> parse_date("Mar 12")
'--03-12'
>>> parse_date("--03-12")
'--03-12'
>>> parse_date("2022")
'2022'
>>> parse_date("yesterday") is None
True
"""

from __future__ import annotations

import re

__all__ = ["LISTING_DATE_RE", "MONTHS", "parse_date"]

MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

#: A listing's date line: "Mar 12", "Nov 28, 2017", "Feb 13, 2024 5" (5 upvotes).
LISTING_DATE_RE = re.compile(
    rf"^\s*{_MONTH}\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?(?:\s+(?P<upvotes>\d+))?\s*$",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"^\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?(?:[T ].*)?\s*$")
_GMONTHDAY_RE = re.compile(r"^\s*--(?P<month>\d{2})-(?P<day>\d{2})\s*$")
_DAY_MONTH_YEAR_RE = re.compile(
    rf"^\s*(?P<day>\d{{1,2}})\s+{_MONTH}\w*,?\s+(?P<year>\d{{4}})\s*$", re.IGNORECASE
)
_MONTH_YEAR_RE = re.compile(rf"^\s*{_MONTH}\w*,?\s+(?P<year>\d{{4}})\s*$", re.IGNORECASE)
_MONTH_DAY_RE = re.compile(
    rf"^\s*{_MONTH}\w*\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<year>\d{{4}}))?\s*$",
    re.IGNORECASE,
)


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or MONTHS.get(name[:3])


def _iso(year: str | int | None, month: int | None, day: int | None) -> str | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None:
        if month is None or day is None:
            return None
        return f"--{month:02d}-{day:02d}"
    y = int(year)
    if not 1000 <= y <= 2999:
        return None
    if month is None:
        return f"{y:04d}"
    if day is None:
        return f"{y:04d}-{month:02d}"
    return f"{y:04d}-{month:02d}-{day:02d}"


def parse_date(text: object) -> str | None:
    """Return ``text`` as an ISO 8601 date string, or ``None`` if it is not a date.

    Parameters
    ----------
    text : object
        A string such as ``"Mar 12"``, ``"Nov 28, 2017"``, ``"2022-03"``, or an
        ``int`` year.

    Returns
    -------
    str or None
        ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``--MM-DD``.
    """
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        return _iso(text, None, None)
    s = str(text).strip()
    if not s or len(s) > 64:
        return None
    if m := _ISO_RE.match(s):
        month = int(m["month"]) if m["month"] else None
        day = int(m["day"]) if m["day"] else None
        return _iso(m["year"], month, day)
    if m := _GMONTHDAY_RE.match(s):
        return _iso(None, int(m["month"]), int(m["day"]))
    if m := _MONTH_DAY_RE.match(s):
        return _iso(m["year"], _month(m["month"]), int(m["day"]))
    if m := _DAY_MONTH_YEAR_RE.match(s):
        return _iso(m["year"], _month(m["month"]), int(m["day"]))
    if m := _MONTH_YEAR_RE.match(s):
        return _iso(m["year"], _month(m["month"]), None)
    return None
