"""Due dates as UK plans write them, read into the content format's `due` (YYYY-MM or a word such as Ongoing).

Every form read here is exact or says what it did: a day, a two-digit year, a quarter or a financial
year is read to a month and the row says so. Anything else is not a `due` value: the caller keeps it
in the status text and reports the row, since a `due:` the build does not accept would fail --check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..schema import load_schema

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")

# 'Timescale: Ongoing' in the cell itself
_LABEL = re.compile(r"^(?:time\s*scales?|target(?:\s+(?:completion\s+)?date)?|due(?:\s+date)?|deadline|completion\s+date|"
                    r"date)\s*[:\-–]\s*", re.IGNORECASE)
_BY = r"(?:(?:by|before|no\s+later\s+than|due)\s+)?(?:the\s+)?"
# 'End of June 2018', 'Sept 2018', "Sep '19", '30th September 2018', 'Sep-18'
_MONTH_YEAR = re.compile(
    rf"^{_BY}(?P<when>(?:end|close|beginning|start|middle)\s+of\s+|(?:end|early|mid|late|beginning|start)[\s-]+)?"
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>[A-Za-z]{3,9})\.?,?\s*[-/ ]?\s*['’‘]?"
    r"(?P<year>\d{4}|\d{2})$", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(rf"^{_BY}(?P<day>\d{{1,2}})[/.\-](?P<month>\d{{1,2}})[/.\-](?P<year>\d{{4}}|\d{{2}})$", re.IGNORECASE)
_MONTH_SLASH_YEAR = re.compile(rf"^{_BY}(?P<month>\d{{1,2}})[/.](?P<year>\d{{4}})$", re.IGNORECASE)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?$")
_FINANCIAL_YEAR = r"(?:FY\s*)?(?P<first>\d{4}|\d{2})\s*[/\-–]\s*(?P<second>\d{4}|\d{2})"
# 'Q3 2018/19', 'Quarter 3 2018-19', '2018/19 Q3', 'end of Q3 18/19'
_QUARTER = re.compile(
    rf"^{_BY}(?:end\s+of\s+)?(?:(?:Q|Quarter\s*)(?P<q>[1-4])\s*(?:of\s+)?{_FINANCIAL_YEAR}|"
    rf"{_FINANCIAL_YEAR.replace('first', 'first2').replace('second', 'second2')}\s*(?:Q|Quarter\s*)(?P<q2>[1-4]))$",
    re.IGNORECASE)
_YEAR_END = re.compile(rf"^{_BY}(?:(?:the\s+)?end\s+of\s+)?(?:year\s+end\s+)?{_FINANCIAL_YEAR}(?:\s+year\s+end)?$", re.IGNORECASE)
_NOTHING = ("", "-", "–", "—")
_WORD_VARIANTS = {"on-going": "ongoing", "on going": "ongoing", "annual": "annually", "six monthly": "six-monthly",
                  "6 monthly": "six-monthly", "6-monthly": "six-monthly", "biannually": "bi-annually",
                  "bi-annual": "bi-annually", "bi annually": "bi-annually"}


@dataclass(frozen=True)
class DueReading:
    """What a due cell says: `due` to write (None when there is none), `note` when the row must say how it was read,
    and `understood` False when the text is not a due date at all (kept as text by the caller)."""

    due: str | None
    note: str = ""
    understood: bool = True


@cache
def due_words() -> tuple[str, ...]:
    """The words `due` may hold, from the action schema (Ongoing, Quarterly, ...)."""
    for option in load_schema("action")["properties"]["due"]["anyOf"]:
        if "enum" in option:
            return tuple(option["enum"])
    return ()


def strip_label(text: str) -> str:
    """The text without a leading 'Timescale:' or 'Target date:'."""
    return _LABEL.sub("", text, count=1)


def read_due(raw: str) -> DueReading:
    """Read a due cell's text (squeezed to one line)."""
    text = strip_label(" ".join(raw.split())).rstrip(".").strip()
    if text in _NOTHING:
        return DueReading(None)
    lowered = _WORD_VARIANTS.get(text.lower(), text.lower())
    for word in due_words():
        if lowered == word.lower():
            return DueReading(word)
    for reader in (_iso, _day_month_year, _month_slash_year, _month_year, _quarter, _year_end):
        reading = reader(text)
        if reading is not None:
            return reading
    return DueReading(None, understood=False)


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _full_year(year: str) -> int:
    return int(year) if len(year) == 4 else 2000 + int(year)


def _as_month(text: str, year: int, month: int, lossy: bool) -> DueReading | None:
    if not 1 <= month <= 12 or not 1990 <= year <= 2099:
        return None
    due = _month(year, month)
    return DueReading(due, f"due date '{text}' imported as the month {due}" if lossy else "")


def _iso(text: str) -> DueReading | None:
    found = _ISO.match(text)
    if not found:
        return None
    return _as_month(text, int(found["year"]), int(found["month"]), bool(found["day"]))


def _day_month_year(text: str) -> DueReading | None:
    found = _DAY_MONTH_YEAR.match(text)
    if not found or not 1 <= int(found["day"]) <= 31:
        return None
    return _as_month(text, _full_year(found["year"]), int(found["month"]), True)


def _month_slash_year(text: str) -> DueReading | None:
    found = _MONTH_SLASH_YEAR.match(text)
    if not found:
        return None
    return _as_month(text, int(found["year"]), int(found["month"]), False)


def _month_year(text: str) -> DueReading | None:
    found = _MONTH_YEAR.match(text)
    if not found:
        return None
    month = _month_number(found["month"])
    if month is None or (found["day"] and not 1 <= int(found["day"]) <= 31):
        return None
    when = (found["when"] or "").lower()
    # 'End of June' and 'by June' are the month exactly; a day, 'early' or 'mid', or a two-digit year is read to it
    lossy = bool(found["day"]) or len(found["year"]) == 2 or bool(re.match(r"(early|mid|late|beginning|start|middle)", when))
    return _as_month(text, _full_year(found["year"]), month, lossy)


def _month_number(word: str) -> int | None:
    """1-12 for a month's name or its abbreviation of three letters or more ('Sept' too), else None."""
    name = word.lower()
    if name == "sept":
        return 9
    found = [index for index, full in enumerate(MONTHS, 1) if len(name) >= 3 and full.startswith(name)]
    return found[0] if len(found) == 1 else None


def _financial_year(first: str, second: str) -> int | None:
    """The year a financial year such as 2018/19 starts in, or None when the two years do not follow on."""
    start, end = _full_year(first), _full_year(second)
    return start if end == start + 1 else None


def _quarter(text: str) -> DueReading | None:
    found = _QUARTER.match(text)
    if not found:
        return None
    quarter = int(found["q"] or found["q2"])
    start = _financial_year(found["first"] or found["first2"], found["second"] or found["second2"])
    if start is None:
        return None
    # the UK public sector's financial year: Q1 April-June ... Q4 January-March of the next year
    year, month = (start, 3 * quarter + 3) if quarter < 4 else (start + 1, 3)
    first_month = MONTHS[(month - 3) % 12].capitalize()
    last_month = MONTHS[month - 1].capitalize()
    due = _month(year, month)
    return DueReading(due, f"due date '{text}' (the quarter {first_month} to {last_month} {year}) imported as its "
                           f"last month, {due}")


def _year_end(text: str) -> DueReading | None:
    found = _YEAR_END.match(text)
    if not found:
        return None
    start = _financial_year(found["first"], found["second"])
    if start is None:
        return None
    due = _month(start + 1, 3)
    year_end = MONTHS[2].capitalize()  # the UK public sector's financial year ends in March
    return DueReading(due, f"due date '{text}' (the financial year to {year_end} {start + 1}) imported as its last "
                           f"month, {due}")
