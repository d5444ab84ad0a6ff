"""What the reader says about a field beyond its schema's type: the friendly hints, each a named function, and
`RULES`, which field uses which.

The reader (`reader.py`) reads every field by its kind; a field listed here also gets these hooks. Adding a
hint is a function here and one line in `RULES`; making a warning an error is one word in its function.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from .issues import Issue
from .load import Value, YamlMapping, YamlSequence
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
UnknownKey = Callable[[str, int, str, tuple[str, ...]], Issue]


# --- hooks for any file -------------------------------------------------------------------------------


def did_you_mean(path: str, line: int, key: str, allowed: tuple[str, ...]) -> Issue:
    """An unknown field is an error (issue 18: it would be left out of the report, with the pull request green);
    a misspelt one names the likely field and the line to type."""
    likely = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.75)
    if likely and likely[0] != RESTRICTED:
        return Issue(path, line, f"unknown field '{key}' would be left out of the report; did you mean "
                                 f"'{likely[0]}'? Field names are lower case: write '{likely[0]}: ...'")
    if likely:
        return Issue(path, line, f"unknown field '{key}'; did you mean 'restricted'? (a misspelt 'restricted' would publish Part 2 text)")
    return not_allowed(path, line, key, allowed)


def not_allowed(path: str, line: int, key: str, allowed: tuple[str, ...]) -> Issue:
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


def due_hint(spec: Spec, typed: str) -> str:
    """What to say about a due date that is neither YYYY-MM nor a word, with the exact fix when it is clear."""
    written = _DUE_WRITTEN_MONTH.match(typed.strip())
    if written:
        name = written.group(1).lower()
        months = [i for i, m in enumerate(_MONTHS, 1) if m.startswith(name)]
        if len(months) == 1:
            return f"due '{typed}' is not in the form YYYY-MM; write 'due: {written.group(2)}-{months[0]:02d}'"
    name = typed.strip().rstrip(".").lower()
    if len(name) >= 3 and sum(1 for m in _MONTHS if m.startswith(name)) == 1:
        return f"due '{typed}' has no year; write the month and year as YYYY-MM, e.g. 'due: 2018-03'"
    return (f"due '{typed}' is not a date; write YYYY-MM (e.g. 2018-03), one of {', '.join(spec.choices)}, "
            "or leave the due line out until there is a date")


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
    return f"'as_at' is missing; add a line 'as_at: {PurePosixPath(path).stem}'"


def start_the_list(what: str) -> Missing:
    """A file's list field left out (people.yaml without 'people:'): how to start it."""

    def missing(spec: Spec, path: str) -> str:
        return f"'{spec.key}:' is missing; start the file with '{spec.key}:' and list the {what} below it"

    return missing


# --- which field has which hooks ----------------------------------------------------------------------

# A rule's message for a list field that is not one: say nothing (the field is left out quietly).
QUIET = ""


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


NO_RULE = Rule()

RULES: Mapping[tuple[str, ...], Rule] = {
    ("action", "ref"): Rule(check=straight_quoted_ref, checked_by="assemble: the same as the file name"),
    ("action", "due"): Rule(hint=due_hint),
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
    # An 'aims' that is not a list is left out without a word (issue 18).
    ("priorities", "priorities", "aims"): Rule(not_a_list=QUIET, not_an_entry="each aim needs 'ref' and 'text' fields"),
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
        empty_allowed=True,
        not_a_list="'values' must be a list, one '- {label: 2016/17 Q1-2, value: 5041}' per period, oldest first",
        not_an_entry="each entry of 'values' needs a label and a value, e.g. '- {label: 2016/17 Q1-2, value: 5041}'",
        too_many="'values' lists {count} periods; a chart shows at most {most}: keep the latest {most}"),
    ("report-record", "as_at"): Rule(missing=as_at_missing, empty_allowed=True),
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
