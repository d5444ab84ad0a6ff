"""What the reader says about a field beyond its schema's type: the friendly hints, each a named function, and
`RULES`, which field uses which.

The reader (`reader.py`) reads every field by its kind; a field listed here also gets these hooks. Adding a
hint is a function here and one line in `RULES`; making a warning an error is one word in its function.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from .issues import Issue
from .load import Value, YamlMapping, YamlSequence
from .richtext import field_name
from .schema import Spec

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DUE_WRITTEN_MONTH = re.compile(r"^([A-Za-z]{3,9})\.?\s+([0-9]{4})$")
_PRIORITY_WORDS = re.compile(r"^\s*(\d+)\s*(?:(-|–|to)\s*(\d+)|((?:\s*(?:,|&|and)\s*\d+)+))?\s*$")
CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"
# Officers write 'PCC/DPCC' as the seed documents do, and sometimes 'CH, SM' or 'CH & SM'.
_LIST_SEPARATOR = re.compile(r"\s*(?:/|,|&)\s*")
# The one field whose misspelling or empty value must never read as 'public'.
RESTRICTED = "restricted"

# The hooks' shapes. A hint words a value the schema's words or pattern refuse (None: the reader's own
# message); a check finds a further problem in a value as typed; a missing hook words an absent field.
Hint = Callable[[Spec, str], "str | None"]
Check = Callable[[Spec, str], "str | None"]
EntryHint = Callable[[Spec, "Value | YamlMapping | YamlSequence"], str]
Missing = Callable[[Spec, str], str]
# An unknown field: (path, line, the field as typed, the fields allowed, its value as typed or '').
UnknownKey = Callable[[str, int, str, tuple[str, ...], str], Issue]
# Initials not in people.yaml: (field, the initials, every entry as typed, the register: initials -> (name, role)).
Unregistered = Callable[[str, str, tuple[str, ...], Mapping[str, tuple[str, str]]], str]


# --- hooks for any file -------------------------------------------------------------------------------


def did_you_mean(path: str, line: int, key: str, allowed: tuple[str, ...], typed: str = "") -> Issue:
    """An unknown field is an error (issue 18: it would be left out of the report, with the pull request green);
    a misspelt one names the likely field and the line to type (with the value typed, when it is one line)."""
    written = field_name(key)  # 'RAG', 'R/A/G', 'Key aims' as a field is written
    likely = [written] if written in allowed else difflib.get_close_matches(written, allowed, n=1, cutoff=0.75)
    if likely and likely[0] != RESTRICTED:
        value = typed if typed and "\n" not in typed and len(typed) <= 40 else "..."
        return Issue(path, line, f"unknown field '{key}' would be left out of the report; did you mean "
                                 f"'{likely[0]}'? Field names are lower case: write '{likely[0]}: {value}'")
    if likely:
        return Issue(path, line, f"unknown field '{key}'; did you mean 'restricted'? (a misspelt 'restricted' would publish Part 2 text)")
    return not_allowed(path, line, key, allowed)


def not_allowed(path: str, line: int, key: str, allowed: tuple[str, ...], typed: str = "") -> Issue:
    """An unknown field is an error listing the fields allowed."""
    return Issue(path, line, f"unknown field '{key}'; the fields allowed here are: {', '.join(allowed)}")


def field_below_front_matter(path: str, line: int, typed_name: str, value: str, field: str) -> Issue:
    """A body line that reads as one of the file's fields ('rag: red' below the closing '---'): it would be
    printed in the text and the field left unset, so it is an error naming the line to move."""
    typed = f"{field}: {value}"
    return Issue(path, line, f"'{typed_name}: {value[:40]}' reads as the field '{field}' but is below the closing '---', "
                             f"so it would be printed as text and '{field}' left unset: move the line '{typed[:60]}' "
                             "up between the two '---' lines (if it is meant as text, write it in a list item "
                             f"'- {typed_name}: ...' or in bold '**{typed_name}:** ...')")


def split_joined_list(typed: str) -> list[str] | None:
    """Initials joined by '/', ',' or '&' ('CH/SM', 'CH, SM'), as separate entries; None for one entry."""
    if not _LIST_SEPARATOR.search(typed):
        return None
    return [part.strip() for part in _LIST_SEPARATOR.split(typed) if part.strip()]


def curly_quotes(spec: Spec, typed: str) -> str | None:
    """An entry a word processor put in curly quotes: what to type instead."""
    bare = typed.strip(CURLY_QUOTES)
    if bare == typed:
        return None
    return f"{spec.key} {typed} is in curly quotes (a word processor changed them); type straight quotes: \"{bare}\""


# --- hooks for one field ------------------------------------------------------------------------------


def straight_quoted_ref(spec: Spec, typed: str) -> str | None:
    """A ref in curly quotes: the line to type instead."""
    bare = typed.strip(CURLY_QUOTES)
    if bare == typed:
        return None
    return f"ref {typed} is in curly quotes (a word processor changed them); type straight quotes: ref: \"{bare}\""


# A due date written as a day, or as a month the schema does not take, with the month and year to keep:
# '2018-03-31', '31/03/2018' (UK order, day first), '31.03.2018', '03/2018', '2018/03', '31 March 2018',
# '31st March 2018', 'March 31, 2018'.
_DUE_ISO_DAY = re.compile(r"^(?P<year>[0-9]{4})[-/.](?P<month>[0-9]{1,2})(?:[-/.](?P<day>[0-9]{1,2}))?$")
_DUE_NUMERIC = re.compile(r"^(?:(?P<day>[0-9]{1,2})[/.-])?(?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4})$")
_DUE_WORDS_DAY = re.compile(
    r"^(?:(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[A-Za-z]{3,9})\.?"
    r"|(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<day2>[0-9]{1,2})(?:st|nd|rd|th)?,?)\s+(?P<year>[0-9]{4})$")


def _month_number(name: str) -> int | None:
    """1-12 for a month's name or its abbreviation ('Mar', 'march', 'Sept'), None for anything else."""
    months = [i for i, m in enumerate(_MONTHS, 1) if len(name) >= 3 and m.startswith(name.lower())]
    return months[0] if len(months) == 1 else None


def due_month(typed: str) -> str | None:
    """The YYYY-MM a due date typed another way means ('31/03/2018', '2018-03-31', 'March 2018' -> '2018-03'),
    or None when it does not clearly name one month."""
    text = typed.strip()
    year = month = None
    for pattern in (_DUE_ISO_DAY, _DUE_NUMERIC):
        numbers = pattern.match(text)
        if numbers:
            year, month = int(numbers.group("year")), int(numbers.group("month"))
    words = _DUE_WORDS_DAY.match(text) or _DUE_WRITTEN_MONTH.match(text)
    if words and year is None:
        if words.re is _DUE_WRITTEN_MONTH:
            year, month = int(words.group(2)), _month_number(words.group(1))
        else:
            year, month = int(words.group("year")), _month_number(words.group("month") or words.group("month2"))
    if year is None or month is None or not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}"


def due_hint(spec: Spec, typed: str) -> str:
    """What to say about a due date that is neither YYYY-MM nor a word, with the exact line to type when it is clear."""
    month = due_month(typed)
    if month is not None:
        return f"due '{typed}' is not in the form YYYY-MM; write 'due: {month}'"
    name = typed.strip().rstrip(".").lower()
    if len(name) >= 3 and sum(1 for m in _MONTHS if m.startswith(name)) == 1:
        return f"due '{typed}' has no year; write the month and year as YYYY-MM, e.g. 'due: 2018-03'"
    word = next((w for w in spec.choices if w.lower() == name.replace(" ", "-")), None)
    if word is not None:
        return f"due '{typed}' is written '{word}'; write 'due: {word}'"
    return (f"due '{typed}' is not a date; write YYYY-MM (e.g. 2018-03), one of {', '.join(spec.choices)}, "
            "or leave the due line out until there is a date")


# --- R/A/G ratings -------------------------------------------------------------------------------------

# '(C)' is how the hand-made plan marked a completed action; 'completed' is the word, not the rating.
_COMPLETE_MARK = re.compile(r"\(c\)|\bcompleted?\b|\bdone\b", re.IGNORECASE)
_RATING_WORD = re.compile(r"[a-z]+", re.IGNORECASE)


def rating_hint(typed: str, ratings: Sequence[str], labels: Mapping[str, str] | None = None,
                complete: str | None = None) -> str | None:
    """The line to type for an R/A/G rating written another way, given the ratings of the plan's scale (their
    ids, e.g. red, amber, green, white, complete; optionally the label the report prints for each, e.g.
    'On track' for green, and the id of the rating that says an action is done, by default 'complete'):
    'Green (C)' -> 'rag: complete', 'G' -> 'rag: green', 'on track' -> 'rag: green', 'Amber/Green' -> choose
    one. None when nothing on the scale is meant clearly enough to name."""
    ratings = tuple(ratings)
    by_label = {" ".join(label.lower().split()): rating for rating, label in (labels or {}).items()}
    as_label = by_label.get(" ".join(typed.lower().split()))
    if as_label is not None:
        return f"rag '{typed}' is how the report prints the rating; write 'rag: {as_label}'"
    by_id = {rating.lower(): rating for rating in ratings}
    words = [word.lower() for word in _RATING_WORD.findall(typed)]
    named = list(dict.fromkeys(by_id[word] for word in words if word in by_id))
    done = complete if complete in ratings else by_id.get("complete")
    if done is not None and _COMPLETE_MARK.search(typed):
        colour = next((r for r in named if r != done), None)
        unless = f" (or, if it is not finished, 'rag: {colour}')" if colour else ""
        return f"rag '{typed}': a completed action is rated '{done}'; write 'rag: {done}'{unless}"
    if len(named) == 1:
        return f"rag '{typed}' is written another way; write 'rag: {named[0]}'"
    if len(named) > 1:
        choices = " or ".join(f"'rag: {r}'" for r in named)
        return f"rag '{typed}' names {len(named)} ratings; choose one: {choices}"
    letter = typed.strip().strip(".()").lower()
    starting = [r for r in ratings if len(letter) == 1 and r.lower().startswith(letter)]
    if len(starting) == 1:
        return f"rag '{typed}' is a letter; write the rating in full: 'rag: {starting[0]}'"
    return None  # the reader's own message lists the ratings


# --- people -----------------------------------------------------------------------------------------------


def unregistered_person(key: str, initials: str, typed: tuple[str, ...], people: Mapping[str, tuple[str, str]]) -> str:
    """The message for a sponsor or lead whose initials are not in people.yaml, naming the line to type when the
    intended person is clear: the initials in other case, a close spelling, or the person's name or role as
    people.yaml gives it. `typed`: every entry of the field as typed; `people`: initials -> (name, role)."""
    wanted = initials.strip().lower()
    by_case = [known for known in people if known.lower() == wanted]
    by_name = [known for known, (name, role) in people.items() if wanted in (name.strip().lower(), role.strip().lower())]
    close = difflib.get_close_matches(initials, sorted(people), n=1, cutoff=0.6)
    # A name or role shared by several people names none of them.
    candidates = by_case or (by_name if len(by_name) == 1 else []) or close
    if not candidates:
        return f"{key} '{initials}' is not in people.yaml; add '- initials: {initials}' there, or correct the initials"
    likely = candidates[0]
    entries = [likely if entry == initials else entry for entry in typed]
    line = f"{key}: {entries[0]}" if len(entries) == 1 else f"{key}: [{', '.join(entries)}]"
    if by_case:
        return f"{key} '{initials}': initials are written as in people.yaml, in capitals; write '{line}'"
    if likely in by_name:
        return f"{key} '{initials}': write the person's initials from people.yaml: '{line}'"
    return (f"{key} '{initials}' is not in people.yaml; did you mean {likely}? write '{line}', or add "
            f"'- initials: {initials}' to people.yaml")


def priorities_hint(spec: Spec, item: Value | YamlMapping | YamlSequence) -> str:
    """What to say about a priorities entry that is not a number, with the exact list when it is clear."""
    typed = item.text() if isinstance(item, Value) else ""
    words = _PRIORITY_WORDS.match(typed)
    if words:
        first = int(words.group(1))
        if words.group(3):
            numbers = list(range(first, int(words.group(3)) + 1))
        else:
            numbers = [first] + [int(n) for n in re.findall(r"\d+", words.group(4) or "")]
        if numbers:
            return f"priorities '{typed}' must be a list of numbers; write 'priorities: [{', '.join(map(str, numbers))}]'"
    return "priorities are strategic-priority numbers, e.g. 'priorities: [1, 2]'"


def github_hint(spec: Spec, typed: str) -> str:
    """A GitHub user name that cannot be one."""
    return (f"github '{typed}' is not a GitHub user name: letters, digits and single dashes, at most 39 characters "
            "(the name in the address github.com/<name>)")


def plan_column_hint(spec: Spec, typed: str) -> str:
    """An entry of plan.md's `columns` that is not an optional column: most likely a heading meant to rename one."""
    return (f"'columns' lists which optional columns show, from: {', '.join(spec.choices)}; '{typed}' is not one. "
            f"To name a column in the office's own words, write it under 'words:', e.g. '  lead_column: {typed}'")


def without_at_sign(typed: str) -> str:
    """'@s-m' as GitHub shows a user: the name is 's-m'."""
    return typed.removeprefix("@")


def commit_hint(spec: Spec, typed: str) -> str:
    """A report record's commit that is not a full commit id."""
    return "'commit' must be the full 40-character commit SHA; 'delivery-report signoff' writes it"


def digest_hint(spec: Spec, typed: str) -> str:
    """A report record's DOCX digest that is not a SHA-256."""
    return "'docx_sha256' must be the 64-character SHA-256 of the DOCX; 'delivery-report signoff' writes it"


def colour_hint(spec: Spec, typed: str) -> str:
    """A rating's colour that is not six hex digits."""
    return (f"colour '{typed}' is not a colour the report can fill a cell with; write six hex digits, e.g. "
            "'colour: C00000' (no '#': in YAML it starts a comment)")


def rating_id_hint(spec: Spec, typed: str) -> str:
    """A rating's id that actions could not write."""
    return (f"id '{typed}' cannot be a rating's id; use lower-case letters, digits, '-' and '_', starting with a "
            "letter, at most 30 characters, e.g. 'id: amber-green'")


def without_hash(typed: str) -> str:
    """'#C00000' as a style sheet writes a colour (in quotes): the colour is C00000."""
    return typed.removeprefix("#")


def meeting_missing(spec: Spec, path: str) -> str:
    """The cover report without its meeting line."""
    return "'meeting' is missing; add 'meeting: Level 1 public meeting on' (leave the date blank if unknown)"


def as_at_missing(spec: Spec, path: str) -> str:
    """A report record without its date: the line to add is the file's name."""
    return f"'as_at' is missing or empty; the record needs the line 'as_at: {PurePosixPath(path).stem}'"


def start_the_list(what: str) -> Missing:
    """A file's list field left out (people.yaml without 'people:'): how to start it."""

    def missing(spec: Spec, path: str) -> str:
        return f"'{spec.key}:' is missing; start the file with '{spec.key}:' and list the {what} below it"

    return missing


# --- which field has which hooks ----------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """The hooks of one field, beyond what its kind reads (see reader.Fields)."""

    hint: Hint | None = None  # what to say of a value outside the schema's words or pattern
    check: Check | None = None  # a further problem in the value as typed
    normalise: Callable[[str], str] | None = None  # the typed text as the schema's pattern expects it
    missing: Missing | None = None  # the field left out (without it: the reader's message, for a required field)
    empty_allowed: bool = False  # given with no value ('meeting:') it reads as empty, not as missing
    placeholders: bool = False  # Markdown where the cover report fills in {placeholders}
    entry_hint: EntryHint | None = None  # an entry of a list of numbers that is not one
    not_a_list: str | None = None  # a list of fields given as something else ('{key}' for its name)
    not_an_entry: str | None = None  # an entry of a list of fields that has none
    not_a_mapping: str | None = None  # named fields given as something else
    too_many: str | None = None  # more entries than the schema's maxItems ('{count}', '{most}')
    checked_by: str = ""  # the schema's pattern is checked there instead, with a better message
    unregistered: Unregistered | None = None  # initials not in people.yaml (validate, once every file is read)


NO_RULE = Rule()

RULES: Mapping[tuple[str, ...], Rule] = {
    ("action", "ref"): Rule(check=straight_quoted_ref, checked_by="assemble: the same as the file name"),
    ("action", "due"): Rule(hint=due_hint),
    ("action", "sponsor"): Rule(unregistered=unregistered_person),
    ("action", "lead"): Rule(unregistered=unregistered_person),
    ("action", "priorities"): Rule(entry_hint=priorities_hint),
    ("action", "superseded_by"): Rule(checked_by="validate: an action in the plan"),
    ("action", "carried_forward"): Rule(checked_by="validate: a ref"),
    ("action", "carried_forward_from"): Rule(checked_by="validate: last year's plan and a ref"),
    ("action", "key_aims"): Rule(checked_by="validate: an aim in priorities.yaml"),
    ("plan", "columns"): Rule(hint=plan_column_hint),
    # Read in any case; checked against plan.md's ratings in validate, with a did-you-mean from the scale.
    ("action", "rag"): Rule(normalise=str.lower, checked_by="validate: one of plan.md's ratings"),
    ("plan", "ratings", "id"): Rule(hint=rating_id_hint, normalise=str.lower),
    ("plan", "ratings", "colour"): Rule(hint=colour_hint, normalise=without_hash),
    ("people", "people"): Rule(missing=start_the_list("people")),
    ("people", "people", "github"): Rule(hint=github_hint, normalise=without_at_sign),
    ("priorities", "priorities"): Rule(missing=start_the_list("strategic priorities")),
    ("priorities", "priorities", "aims"): Rule(not_a_list="'aims' must be a list, each aim starting '- ref: \"1.1\"' "
                                                          "with its 'text:' on the line below",
                                               not_an_entry="each aim needs 'ref' and 'text' fields"),
    ("priorities", "priorities", "aims", "ref"): Rule(checked_by="assemble: numbered under its priority"),
    ("cover-report", "meeting"): Rule(missing=meeting_missing, empty_allowed=True),
    ("cover-report", "executive_summary"): Rule(placeholders=True),
    ("cover-report", "recommendation"): Rule(placeholders=True),
    ("cover-report", "background_papers"): Rule(placeholders=True),
    ("cover-report", "sign_off"): Rule(missing=start_the_list("sign-off rows")),
    ("cover-report", "chief_officers"): Rule(missing=start_the_list("chief officers")),
    ("recommendation", "responses"): Rule(not_a_list="'responses' must be a list, each entry starting '- by: ...'",
                                          not_an_entry="each response needs 'by' and 'text' fields"),
    ("kpi", "current"): Rule(not_a_mapping="'current' needs a label and a value, e.g. 'current: {label: 2016/17, value: 5041}'"),
    ("kpi", "baseline"): Rule(not_a_mapping="'baseline' needs a label and a value, e.g. 'baseline: {label: 2016/17, value: 5041}'"),
    ("kpi", "values"): Rule(
        not_a_list="'values' must be a list, one '- {label: 2016/17 Q1-2, value: 5041}' per period, oldest first",
        not_an_entry="each entry of 'values' needs a label and a value, e.g. '- {label: 2016/17 Q1-2, value: 5041}'",
        too_many="'values' lists {count} periods; a chart shows at most {most}: keep the latest {most}"),
    ("report-record", "as_at"): Rule(missing=as_at_missing),
    ("report-record", "commit"): Rule(hint=commit_hint, normalise=str.lower),
    ("report-record", "docx_sha256"): Rule(hint=digest_hint, normalise=str.lower),
}


@dataclass(frozen=True)
class FileRule:
    """What a kind of file says about fields it does not have, and about a field that is not a text."""

    unknown_key: UnknownKey = did_you_mean
    not_text: str = "'{key}' must be a single piece of text, not a list or fields"


FILE_RULES: Mapping[str, FileRule] = {
    # Report records are written by 'delivery-report signoff', not by hand: a field it does not write is an error.
    "report-record": FileRule(unknown_key=not_allowed, not_text="'{key}' must be a single piece of text"),
}
DEFAULT_FILE_RULE = FileRule()
