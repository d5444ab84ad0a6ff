"""Loaded content files to the model: reads each field, reports wrong types, never raises for content."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from . import richtext, schema
from .issues import Issue, warning
from .load import (
    MAX_NUMBER,
    ContentFile,
    Value,
    YamlMapping,
    YamlSequence,
    display_name,
    load_file,
)
from .model import (
    BLOCK_PLACEHOLDERS,
    INLINE_PLACEHOLDERS,
    Action,
    Better,
    BusinessArea,
    ChiefOfficerApproval,
    CoverReport,
    Due,
    KeyAim,
    Kpi,
    Lifecycle,
    Measurement,
    Origin,
    Person,
    Plan,
    PlanInfo,
    Priority,
    Rag,
    Recommendation,
    Responder,
    Response,
    RestrictedBlock,
    RichText,
    SignOff,
    Snapshot,
    Unit,
    Word,
    natural_key,
)
from .sources import blob_sha

W = TypeVar("W", bound=Word)
AREA_FILE = "_area.md"
# ASCII digits only: \d would also accept look-alike digits such as '١' or '１'.
_AREA_DIR = re.compile(r"^([0-9]{2})-[a-z0-9][a-z0-9-]*$")
_NUMBERED_FILE = re.compile(r"^([0-9]{2})-[a-z0-9][a-z0-9-]*\.md$")
_REF = re.compile(r"^[0-9]+\.[0-9]+$")
_DUE_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# Due dates without a month: the words the plan uses. A month without a year ('March'), or 'TBC', is an error.
DUE_WORDS = ("Ongoing", "Quarterly", "Monthly", "Annually", "Bi-annually", "Six-monthly", "Weekly")
_DUE_WRITTEN_MONTH = re.compile(r"^([A-Za-z]{3,9})\.?\s+([0-9]{4})$")
# File and folder names: letters, digits, '.', '-' and '_' only (no spaces, look-alike digits or invisible characters).
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"
# Top-level files and folders the build reads; reports/ holds report records (read by records.py).
_TOP_FILES = ("plan.md", "people.yaml", "priorities.yaml", "cover_report.md")
_FOLDERS = ("business_areas", "recommendations", "kpis", "reports")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
# Officers write 'PCC/DPCC' as the seed documents do, and sometimes 'CH, SM' or 'CH & SM'.
_LIST_SEPARATOR = re.compile(r"\s*(?:/|,|&)\s*")
_PRIORITY_WORDS = re.compile(r"^\s*(\d+)\s*(?:(-|–|to)\s*(\d+)|((?:\s*(?:,|&|and)\s*\d+)+))?\s*$")
_SLUG_FILE = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")


# The cover report's placeholders, as typed anywhere else (where they would print literally).
_KNOWN_PLACEHOLDER = re.compile(r"\{(?:" + "|".join((*INLINE_PLACEHOLDERS, *BLOCK_PLACEHOLDERS)) + r")\}")

class Fields:
    """Typed access to one file's front matter; every problem becomes an Issue with the field's line."""

    def __init__(self, file: ContentFile, meta: YamlMapping, issues: list[Issue], known: tuple[str, ...]):
        self.file = file
        self.meta = meta
        self.issues = issues
        for key, node in meta.items.items():
            if key not in known:
                self.unknown_field(key, node.line, known)

    def unknown_field(self, key: str, line: int, known: tuple[str, ...]) -> None:
        """A misspelt field is a warning naming the likely one; anything else, or a misspelt 'restricted', an error."""
        likely = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.75)
        if likely and likely[0] != "restricted":
            self.issues.append(warning(self.file.path, line, f"unknown field '{key}' is left out; did you mean '{likely[0]}'?"))
        elif likely:
            self.problem(line, f"unknown field '{key}'; did you mean 'restricted'? (a misspelt 'restricted' would publish Part 2 text)")
        else:
            self.problem(line, f"unknown field '{key}'; the fields allowed here are: {', '.join(known)}")

    def problem(self, line: int, message: str) -> None:
        """Record a problem at a line of this file."""
        self.issues.append(Issue(self.file.path, line, message))

    def origin(self) -> Origin:
        """Where this file's fields are."""
        return Origin(self.file.path, 1, tuple((k, v.line) for k, v in self.meta.items.items()))

    def node(self, key: str, required: bool) -> Any:
        node = self.meta.get(key)
        if node is None or (isinstance(node, Value) and node.data is None):
            if required:
                self.problem(self.meta.line_of(key) if node else 1, f"'{key}' is missing; add a line '{key}: ...'")
            return None
        return node

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        """A text field, exactly as typed."""
        node = self.node(key, required)
        if node is None:
            return default
        if not isinstance(node, Value):
            self.problem(node.line, f"'{key}' must be a single piece of text, not a list or fields")
            return default
        value = node.text().strip()
        if required and not value:
            self.problem(node.line, f"'{key}' is empty; write the {key.replace('_', ' ')}")
        return value

    def markdown(self, key: str, required: bool = False, placeholders: bool = False) -> RichText:
        """A Markdown text field, parsed; `placeholders` where the format fills them (the cover report)."""
        node = self.node(key, required)
        if node is None:
            return ()
        if not isinstance(node, Value):
            self.problem(node.line, f"'{key}' must be text; for several lines write '{key}: |' and indent the lines below")
            return ()
        return self.parse_markdown(node.text(), node.line + (1 if "\n" in node.text() else 0), placeholders)

    def parse_markdown(self, text: str, first_line: int, placeholders: bool = False) -> RichText:
        """Parse Markdown, reporting raw HTML, links and fences at their lines; notes the actions it names.

        A placeholder such as {rag_key} is filled in only in the cover report's texts; anywhere else it
        would print as typed, so it is a problem at its line."""
        blocks, problems = richtext.parse_with_problems(text)
        for p in problems:
            self.problem(first_line + p.line, p.message)
        if not placeholders and "{" in text:
            for match in _KNOWN_PLACEHOLDER.finditer(text):
                self.problem(first_line + text.count("\n", 0, match.start()),
                             f"'{match.group(0)}' is filled in only in the cover report (cover_report.md); here it "
                             "would print as typed: write the words or the number instead")
        if blocks:
            _note_mentions(self, blocks, text, first_line)
        return blocks

    def integer(self, key: str, required: bool = False) -> int | None:
        """A whole-number field."""
        node = self.node(key, required)
        if node is None:
            return None
        if (isinstance(node, Value) and isinstance(node.data, int) and not isinstance(node.data, bool)
                and abs(node.data) < MAX_NUMBER):
            return node.data
        self.problem(node.line, f"'{key}' must be a whole number, e.g. '{key}: 3'")
        return None

    def number(self, node: Any, what: str) -> float | None:
        """A number (whole or decimal) from a node; never NaN, infinite or beyond what a report could show."""
        if (isinstance(node, Value) and isinstance(node.data, (int, float)) and not isinstance(node.data, bool)
                and math.isfinite(node.data) and abs(node.data) < MAX_NUMBER):
            return float(node.data)
        line = node.line if node is not None else self.meta.line
        self.problem(line, f"{what} must be a number, e.g. 5009 or 23.5 (no commas or % sign)")
        return None

    def boolean(self, key: str, default: bool = False) -> bool:
        """A true/false field; present with no value is an error (for `restricted:` it must never mean public)."""
        typed = self.meta.get(key)
        if isinstance(typed, Value) and typed.data is None:
            self.problem(typed.line, f"'{key}:' has no value; write '{key}: true' or '{key}: false'")
            return True if key == "restricted" else default
        node = self.node(key, False)
        if node is None:
            return default
        if isinstance(node, Value) and isinstance(node.data, bool):
            return node.data
        self.problem(node.line, f"'{key}' must be true or false")
        return default

    def choice(self, key: str, allowed: tuple[str, ...], required: bool = False) -> str | None:
        """A field that must be one of a few words."""
        node = self.node(key, required)
        if node is None:
            return None
        value = node.text().strip().lower() if isinstance(node, Value) else None
        if value not in allowed:
            shown = node.text() if isinstance(node, Value) else "a list"
            self.problem(node.line, f"'{key}' is '{shown}'; it must be one of: {', '.join(allowed)}")
            return None
        return value

    def word(self, key: str, vocabulary: type[W], allowed: tuple[str, ...], required: bool = False) -> W | None:
        """A field that must be one of a vocabulary's words (the schema's `enum` lists them)."""
        value = self.choice(key, allowed, required)
        return vocabulary(value) if value is not None else None

    def text_list(self, key: str) -> tuple[tuple[str, int], ...]:
        """A field holding one text or a list of texts; returns (text, line) pairs, each as typed.

        Curly quotes around an entry (a word processor's doing) are reported and taken off.
        """
        pairs = self._text_list(key)
        cleaned = []
        for text, line in pairs:
            bare = text.strip(_CURLY_QUOTES)
            if bare != text:
                self.problem(line, f"{key} {text} is in curly quotes (a word processor changed them); type straight quotes: \"{bare}\"")
            cleaned.append((bare, line))
        return tuple(cleaned)

    def _text_list(self, key: str) -> tuple[tuple[str, int], ...]:
        node = self.node(key, False)
        if node is None:
            return ()
        if isinstance(node, Value):
            if isinstance(node.data, str) and _LIST_SEPARATOR.search(node.data):
                return tuple((part.strip(), node.line) for part in _LIST_SEPARATOR.split(node.data) if part.strip())
            return ((node.text().strip(), node.line),)
        if isinstance(node, YamlSequence):
            out = []
            for item in node.items:
                if isinstance(item, Value) and item.data is not None:
                    out.append((item.text().strip(), item.line))
                else:
                    self.problem(item.line, f"each entry of '{key}' must be a single piece of text")
            return tuple(out)
        self.problem(node.line, f"'{key}' must be a text or a list such as [A, B]")
        return ()


def assemble(files: dict[str, bytes], display_root: str, snapshot: Snapshot,
             action_bodies: bool = True) -> tuple[Plan | None, list[Issue]]:
    """Build the plan from the content folder's files; every problem found is returned, none raised."""
    issues = _Findings()

    def shown(rel: str) -> str:
        safe = display_name(rel)
        return f"{display_root}/{safe}" if display_root else safe

    files = _usable_files(files, shown, issues)

    def loaded(rel: str, front_matter: bool = True) -> tuple[ContentFile, YamlMapping] | None:
        file = load_file(shown(rel), files[rel], issues, front_matter)
        if file is None or file.meta is None:
            return None
        return file, file.meta

    info = None
    if "plan.md" in files:
        got = loaded("plan.md")
        if got:
            info = _plan_info(Fields(got[0], got[1], issues, _PLAN_FIELDS))
    else:
        issues.append(Issue(shown("plan.md"), 1, "plan.md is missing; add it with the plan's title, organisation and period (see docs/content-format.md)"))

    people: tuple[Person, ...] = ()
    if "people.yaml" in files:
        got = loaded("people.yaml", front_matter=False)
        if got:
            people = _people(Fields(got[0], got[1], issues, schema.fields("people")))
    else:
        issues.append(Issue(shown("people.yaml"), 1, "people.yaml is missing; add the people register (see docs/content-format.md)"))

    priorities: tuple[Priority, ...] = ()
    if "priorities.yaml" in files:
        got = loaded("priorities.yaml", front_matter=False)
        if got:
            priorities = _priorities(Fields(got[0], got[1], issues, schema.fields("priorities")))

    cover = None
    if "cover_report.md" in files:
        got = loaded("cover_report.md")
        if got:
            cover = _cover(Fields(got[0], got[1], issues, _COVER_FIELDS))

    areas = _areas(files, shown, loaded, issues, action_bodies)
    recommendations = tuple(
        sorted(
            (r for r in (_numbered(files, "recommendations/", shown, loaded, issues, _recommendation)) if r),
            key=lambda r: r.number,
        )
    )
    kpis = []
    for rel in sorted(files):
        if rel.startswith("kpis/") and rel.count("/") == 1:
            name = rel.split("/", 1)[1]
            if name.lower() == "readme.md":
                continue
            if not _SLUG_FILE.match(name):
                issues.append(Issue(shown(rel), 1, "name KPI files in lower case with dashes, ending .md (e.g. domestic-violence.md)"))
                continue
            got = loaded(rel)
            if got:
                kpis.append(_kpi(Fields(got[0], got[1], issues, _KPI_FIELDS), name[:-3]))

    if info is None:
        return None, list(issues)
    restricted_refs = {a.ref for area in areas for a in area.actions if a.restricted or area.restricted}
    all_refs = {a.ref for area in areas for a in area.actions}
    # Text in anything restricted as a whole never reaches a public output, so it may name restricted actions.
    wholes: list[BusinessArea | Action | Recommendation | Kpi] = [
        *areas, *(a for area in areas for a in area.actions), *recommendations, *kpis,
    ]
    hidden_paths = {a.origin.path for area in areas if area.restricted for a in area.actions}
    hidden_paths |= {x.origin.path for x in wholes if x.restricted}
    _check_mentions(all_refs, restricted_refs, hidden_paths, issues)
    has_restricted = any(x.restricted for x in wholes) or issues.fenced
    plan = Plan(
        info=info,
        snapshot=snapshot,
        people=people,
        priorities=priorities,
        areas=areas,
        recommendations=recommendations,
        kpis=tuple(kpis),
        cover=cover,
        has_restricted=has_restricted,
    )
    return plan, list(issues)


# The fields of each file come from its JSON Schema in schemas/ (one definition for the build and for editors).
_PLAN_FIELDS = schema.fields("plan")


def _usable_files(files: dict[str, bytes], shown: Any, issues: list[Issue]) -> dict[str, bytes]:
    """Report refused files, unsafe names and files the build does not read; return the files worth reading."""
    usable: dict[str, bytes] = {}
    for rel, raw in files.items():
        parts = rel.split("/")
        bad_part = next((part for part in parts if not _SAFE_NAME.match(part)), None)
        refusal = getattr(raw, "refusal", None)
        if refusal:
            issues.append(Issue(shown(rel), 1, refusal))
        elif bad_part is not None:
            issues.append(Issue(shown(rel), 1, _name_problem(bad_part)))
        elif not _known_location(parts):
            issues.append(Issue(shown(rel), 1, _unknown_file_hint(parts)))
        else:
            usable[rel] = raw
    return usable


def _name_problem(part: str) -> str:
    """What is wrong with a file or folder name, naming the first odd character."""
    odd = next((c for c in part if not re.match(r"[A-Za-z0-9._-]", c)), "")
    code = ord(odd) if odd else 0
    if 0xDC80 <= code <= 0xDCFF:
        return "this name is not UTF-8 text; rename it using letters, digits and '-' only"
    if odd.isdigit() or unicodedata.category(odd) == "Nd":
        return f"the name holds '{odd}' (U+{code:04X}), which looks like a digit but is not 0-9; retype the name with the keyboard's digits"
    try:
        what = unicodedata.name(odd)
    except ValueError:
        what = "an invisible character"
    if odd == " ":
        return "names may not contain spaces; use '-' instead (e.g. 01-communications)"
    return f"the name holds U+{code:04X} ({what}); use only letters, digits, '-', '_' and '.' in file and folder names"


def _known_location(parts: list[str]) -> bool:
    """True for paths the build reads (or deliberately ignores, like README.md)."""
    if parts[-1].lower() == "readme.md":
        return True
    if len(parts) == 1:
        return parts[0] in _TOP_FILES
    if parts[0] == "business_areas":
        return len(parts) == 3
    return parts[0] in _FOLDERS and len(parts) == 2


def _unknown_file_hint(parts: list[str]) -> str:
    """Where a file the build does not read probably belongs."""
    name = parts[-1]
    stem = name[:-3] if name.endswith(".md") else ""
    if _REF.match(stem):
        area = stem.split(".")[0]
        return (f"the build does not read this file, so action {stem} would be left out; move it into its business-area "
                f"folder: business_areas/{int(area):02d}-<name>/{name}")
    if parts[0] == "business_areas":
        return "files belong in a business-area folder: business_areas/<NN>-<name>/<ref>.md"
    return ("the build does not read this file; the content folder holds only the files described in "
            "docs/content-format.md: move it out of the content folder")


# An action named in Markdown: (ref, path, line, inside a restricted file or fence, printed as a link).
Mention = tuple[str, str, int, bool, bool]


class _Findings(list[Issue]):
    """The issues of one assembly, plus what is checked once every file is read: the actions named in
    Markdown ("links to Action 3.10", "actions 6.1 & 6.2"), and whether any '::: restricted' fence was seen."""

    def __init__(self) -> None:
        super().__init__()
        self.mentions: list[Mention] = []
        self.fenced = False


def _note_mentions(f: Fields, blocks: RichText, text: str, first_line: int) -> None:
    """Note every action the text names (richtext.action_mentions), for _check_mentions once all is read."""
    findings = f.issues
    if not isinstance(findings, _Findings):
        return
    if _collect_refs(blocks):
        findings.fenced = True
    mentions = richtext.action_mentions(text)
    if not mentions:
        return
    restricted_field = f.meta.get("restricted")
    file_restricted = isinstance(restricted_field, Value) and restricted_field.data is True
    for mention in mentions:
        findings.mentions.append((mention.ref, f.file.path, first_line + mention.line,
                                  file_restricted or mention.restricted, mention.linked))


def _collect_refs(blocks: Any) -> bool:
    """True when the blocks hold a '::: restricted' block, at any depth."""
    for block in blocks:
        if isinstance(block, RestrictedBlock):
            return True
        if hasattr(block, "items") and any(_collect_refs(item.blocks) for item in block.items):
            return True
    return False


def _check_mentions(all_refs: set[str], restricted_refs: set[str], hidden_paths: set[str], issues: _Findings) -> None:
    """Warn about linked actions not in the plan; refuse public text naming a restricted action, however written.

    A ref the report does not link ("action 5.2", "Actions 1.11 & 5.2", "Action 1.2, 2018/19") may name
    another plan's action, so it is not worth a warning when unknown; but it is refused when it is a
    restricted action's, as a reader could not tell."""
    seen: set[tuple[str, str, int]] = set()
    for ref, path, line, fenced, linked in issues.mentions:
        if (ref, path, line) in seen:
            continue
        hidden = fenced or path in hidden_paths
        if ref not in all_refs and linked:
            seen.add((ref, path, line))
            issues.append(warning(path, line, f"the text names Action {ref}, which is not in the plan; correct the ref (it is printed without a link)"))
        elif ref in restricted_refs and not hidden:
            seen.add((ref, path, line))
            issues.append(Issue(path, line, f"the text names Action {ref}, which is restricted, so the public report would reveal it; "
                                            "put the sentence in a '::: restricted' block, or leave the ref out"))


def _plan_info(f: Fields) -> PlanInfo:
    return PlanInfo(
        title=f.text("title", True),
        organisation=f.text("organisation", True),
        period=f.text("period", True),
        police_and_crime_plan=f.text("police_and_crime_plan", True),
        next_plan=f.text("next_plan"),
        intro=f.parse_markdown(f.file.body, f.file.body_line),
    )


def _entries(f: Fields, key: str, what: str) -> list[YamlMapping]:
    node = f.meta.get(key)
    if node is None:
        f.problem(1, f"'{key}:' is missing; start the file with '{key}:' and list the {what} below it")
        return []
    if not isinstance(node, YamlSequence):
        f.problem(node.line, f"'{key}' must be a list, each entry starting with '- '")
        return []
    out = []
    for item in node.items:
        if isinstance(item, YamlMapping):
            out.append(item)
        else:
            f.problem(item.line, f"each entry of '{key}' must have named fields (e.g. '- initials: SM')")
    return out


def _sub(f: Fields, mapping: YamlMapping, known: tuple[str, ...]) -> Fields:
    return Fields(f.file, mapping, f.issues, known)


def _people(f: Fields) -> tuple[Person, ...]:
    people = []
    seen: dict[str, int] = {}
    for entry in _entries(f, "people", "people"):
        sub = _sub(f, entry, schema.fields("people", "people"))
        initials = sub.text("initials", True)
        if not initials:
            continue
        if initials in seen:
            sub.problem(entry.line_of("initials"), f"'{initials}' is listed twice (first at line {seen[initials]}); keep one entry")
            continue
        seen[initials] = entry.line_of("initials")
        github = sub.text("github").removeprefix("@")
        if github and not re.fullmatch(schema.pattern("people", "people", "github"), github):
            sub.problem(entry.line_of("github"), f"github '{github}' is not a GitHub user name: letters, digits and single "
                                                 "dashes, at most 39 characters (the name in the address github.com/<name>)")
            github = ""
        people.append(Person(initials, sub.text("name"), sub.text("role"), Origin(f.file.path, entry.line_of("initials")),
                             github=github))
    return tuple(people)


def _priorities(f: Fields) -> tuple[Priority, ...]:
    priorities = []
    seen_numbers: set[int] = set()
    seen_aims: set[str] = set()
    for entry in _entries(f, "priorities", "strategic priorities"):
        sub = _sub(f, entry, schema.fields("priorities", "priorities"))
        number = sub.integer("number", True)
        title = sub.text("title", True)
        if number is None:
            continue
        if number in seen_numbers:
            sub.problem(entry.line_of("number"), f"priority {number} is listed twice; give each priority its own number")
        seen_numbers.add(number)
        aims = []
        node = entry.get("aims")
        for aim in (node.items if isinstance(node, YamlSequence) else []):
            if not isinstance(aim, YamlMapping):
                sub.problem(aim.line, "each aim needs 'ref' and 'text' fields")
                continue
            aim_fields = _sub(f, aim, schema.fields("priorities", "priorities", "aims"))
            ref = aim_fields.text("ref", True)
            if ref and not ref.startswith(f"{number}."):
                aim_fields.problem(aim.line_of("ref"), f"aim '{ref}' is under priority {number}; number it {number}.<n>")
            if ref in seen_aims:
                aim_fields.problem(aim.line_of("ref"), f"aim '{ref}' is listed twice")
            seen_aims.add(ref)
            aims.append(KeyAim(ref, aim_fields.markdown("text", True)))
        priorities.append(Priority(number, title, tuple(aims)))
    return tuple(priorities)


_COVER_FIELDS = schema.fields("cover-report")


_PLACEHOLDER_LIKE = re.compile(r"\{([A-Za-z_ ]+)\}")


def _check_placeholders(f: Fields, text: str, first_line: int) -> None:
    known = (*INLINE_PLACEHOLDERS, *BLOCK_PLACEHOLDERS)
    for offset, line in enumerate(text.split("\n")):
        for match in _PLACEHOLDER_LIKE.finditer(line):
            name = match.group(1)
            if name not in known:
                f.problem(first_line + offset, f"'{{{name}}}' is not a placeholder the build knows; use one of: {', '.join('{' + k + '}' for k in known)}")
            elif name in BLOCK_PLACEHOLDERS and line.strip() != match.group(0):
                f.problem(first_line + offset, f"'{{{name}}}' must stand on a line of its own, with a blank line before and after")


def _cover(f: Fields) -> CoverReport:
    _check_placeholders(f, f.file.body, f.file.body_line)
    for key in ("executive_summary", "recommendation", "background_papers"):
        node = f.meta.get(key)
        if isinstance(node, Value) and isinstance(node.data, str):
            _check_placeholders(f, node.data, node.line + (1 if "\n" in node.data else 0))
    sign_off = []
    for entry in _entries(f, "sign_off", "sign-off rows"):
        sub = _sub(f, entry, schema.fields("cover-report", "sign_off"))
        sign_off.append(SignOff(sub.text("heading", True), sub.markdown("advice"), sub.text("officer", True)))
    chiefs = []
    for entry in _entries(f, "chief_officers", "chief officers"):
        sub = _sub(f, entry, schema.fields("cover-report", "chief_officers"))
        chiefs.append(ChiefOfficerApproval(sub.text("officer", True), sub.text("date")))
    meeting_node = f.meta.get("meeting")
    if meeting_node is None:
        f.problem(1, "'meeting' is missing; add 'meeting: Level 1 public meeting on' (leave the date blank if unknown)")
    return CoverReport(
        heading=f.text("heading", True),
        report_type=f.text("report_type", True),
        meeting=f.text("meeting"),
        title=f.text("title", True),
        executive_summary=f.markdown("executive_summary", True, placeholders=True),
        recommendation=f.markdown("recommendation", True, placeholders=True),
        sections=f.parse_markdown(f.file.body, f.file.body_line, placeholders=True),
        sign_off=tuple(sign_off),
        chief_officers=tuple(chiefs),
        publication_deferred=f.boolean("publication_deferred"),
        background_papers=f.markdown("background_papers", placeholders=True),
        origin=f.origin(),
    )


_AREA_FIELDS = schema.fields("business-area")
_ACTION_FIELDS = schema.fields("action")


# How assemble names a file in messages, and reads one (None when it cannot be read).
_Shown = Callable[[str], str]
_Loaded = Callable[..., "tuple[ContentFile, YamlMapping] | None"]


def _areas(files: dict[str, bytes], shown: _Shown, loaded: _Loaded, issues: list[Issue],
           action_bodies: bool = True) -> tuple[BusinessArea, ...]:
    by_folder: dict[str, list[str]] = {}
    for rel in sorted(files):
        if not rel.startswith("business_areas/"):
            continue
        parts = rel.split("/")
        if len(parts) != 3:
            if parts[-1].lower() != "readme.md":
                issues.append(Issue(shown(rel), 1, "files belong in a business-area folder: business_areas/<NN>-<name>/<ref>.md"))
            continue
        by_folder.setdefault(parts[1], []).append(parts[2])
    areas = []
    for folder, names in sorted(by_folder.items()):
        folder_match = _AREA_DIR.match(folder)
        if not folder_match:
            issues.append(Issue(shown(f"business_areas/{folder}"), 1, _folder_hint(folder)))
            continue
        folder_number = int(folder_match.group(1))
        if AREA_FILE not in names:
            issues.append(Issue(shown(f"business_areas/{folder}/{AREA_FILE}"), 1, f"the area file is missing; add {AREA_FILE} with 'number' and 'title'"))
            continue
        got = loaded(f"business_areas/{folder}/{AREA_FILE}")
        if not got:
            continue
        f = Fields(got[0], got[1], issues, _AREA_FIELDS)
        number = f.integer("number", True)
        if number is not None and number != folder_number:
            f.problem(f.meta.line_of("number"), f"number is {number} but the folder name starts {folder_match.group(1)}; make them agree")
        actions = []
        for name in names:
            if name == AREA_FILE or name.lower() == "readme.md":
                continue
            rel = f"business_areas/{folder}/{name}"
            stem = name.removesuffix(".md")
            if not name.endswith(".md") or not _REF.match(stem):
                issues.append(Issue(shown(rel), 1, f"action files are named <ref>.md, e.g. {folder_number}.3.md; rename this file"))
                continue
            read = read_action_file(shown(rel), files[rel], stem, folder_number, action_bodies)
            issues.extend(read.issues)
            if isinstance(issues, _Findings):
                issues.mentions.extend(read.mentions)
                issues.fenced |= read.fenced
            if read.action:
                actions.append(read.action)
        actions.sort(key=lambda a: natural_key(a.ref))
        areas.append(
            BusinessArea(
                number=folder_number,
                title=f.text("title", True),
                slug=folder,
                intro=f.parse_markdown(f.file.body, f.file.body_line),
                actions=tuple(actions),
                restricted=f.boolean("restricted"),
                origin=f.origin(),
            )
        )
    return tuple(areas)


@dataclass(frozen=True)
class ActionFile:
    """One action file as read: the action (None when it cannot be read), its problems, the actions its text
    names and whether it holds a '::: restricted' fence. The same bytes always read the same way."""

    action: Action | None
    issues: tuple[Issue, ...]
    mentions: tuple[Mention, ...]
    fenced: bool

    @property
    def has_errors(self) -> bool:
        """True when the file has a problem that stops a build (a warning does not)."""
        return self.action is None or any(not issue.is_warning for issue in self.issues)


# Action files already read, by (path as shown, git blob id, area, bodies): a version of the content shares
# most of its files with the versions before it, so each blob is read once, whichever commits hold it (the
# as-at plan, the since-date plan, every version the audit compares, a pull request's base and head).
_ACTION_FILES: dict[tuple[str, str, int, bool], ActionFile] = {}
_ACTION_FILES_LIMIT = 100_000


def read_action_file(shown_path: str, raw: bytes, stem: str, area_number: int, bodies: bool = True) -> ActionFile:
    """Read one action file through the build's own loader and field reader, once per blob."""
    key = (shown_path, blob_sha(raw), area_number, bodies)
    cached = _ACTION_FILES.get(key)
    if cached is not None and getattr(raw, "refusal", None) is None:
        return cached
    findings = _Findings()
    action: Action | None = None
    file = load_file(shown_path, raw, findings)
    if file is not None and file.meta is not None:
        action = _action(Fields(file, file.meta, findings, _ACTION_FIELDS), stem, area_number, bodies)
    read = ActionFile(action, tuple(findings), tuple(findings.mentions), findings.fenced)
    if len(_ACTION_FILES) >= _ACTION_FILES_LIMIT:
        _ACTION_FILES.clear()
    _ACTION_FILES[key] = read
    return read


def read_area_restricted(shown_path: str, raw: bytes) -> bool | None:
    """Whether a business area's _area.md marks the area restricted; None when the file cannot be read cleanly
    (then nobody can tell, and the area must be treated as restricted)."""
    findings = _Findings()
    file = load_file(shown_path, raw, findings)
    if file is None or file.meta is None:
        return None
    restricted = Fields(file, file.meta, findings, _AREA_FIELDS).boolean("restricted")
    if any(not issue.is_warning for issue in findings):
        return None
    return restricted


def _folder_hint(folder: str) -> str:
    """What to say about a business-area folder name, with the exact name to use when it is clear."""
    parts = re.match(r"^([0-9]+)[-_ ]*(.*)$", folder)
    if parts:
        slug = re.sub(r"[^a-z0-9]+", "-", parts.group(2).lower()).strip("-") or "name"
        fixed = f"{int(parts.group(1)):02d}-{slug}"
        return f"name business-area folders '<NN>-<name>': two digits, a dash, then lower-case words joined by dashes; rename it {fixed}"
    return "name business-area folders '<NN>-<name>': two digits, a dash, then lower-case words joined by dashes, e.g. 01-communications"


def _due_hint(typed: str) -> str:
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
    return (f"due '{typed}' is not a date; write YYYY-MM (e.g. 2018-03), one of {', '.join(DUE_WORDS)}, "
            "or leave the due line out until there is a date")


def _priorities_hint(item: Value | YamlMapping | YamlSequence) -> str:
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


def _action(f: Fields, stem: str, area_number: int, body: bool = True) -> Action | None:
    ref = f.text("ref", True)
    if ref and ref.strip(_CURLY_QUOTES) != ref:
        f.problem(f.meta.line_of("ref"), f"ref {ref} is in curly quotes (a word processor changed them); type straight quotes: ref: \"{ref.strip(_CURLY_QUOTES)}\"")
    elif ref and ref != stem:
        f.problem(f.meta.line_of("ref"), f"ref is '{ref}' but the file is named {stem}.md; make them the same")
    if stem.split(".")[0] != str(area_number):
        f.problem(1, f"action {stem} is in the folder of business area {area_number}; move it or renumber it {area_number}.<n>")

    priorities = []
    node = f.meta.get("priorities")
    if node is not None:
        items = node.items if isinstance(node, YamlSequence) else ([node] if isinstance(node, Value) and node.data is not None else [])
        for item in items:
            if isinstance(item, Value) and isinstance(item.data, int) and not isinstance(item.data, bool):
                priorities.append(item.data)
            else:
                f.problem(item.line, _priorities_hint(item))

    due = None
    due_text = f.text("due")
    if due_text:
        month = _DUE_MONTH.match(due_text)
        if month and 1 <= int(month.group(2)) <= 12:
            due = Due(due_text, int(month.group(1)), int(month.group(2)))
        elif due_text.lower() in (word.lower() for word in DUE_WORDS):
            due = Due(due_text)
        else:
            f.problem(f.meta.line_of("due"), _due_hint(due_text))

    lifecycle = f.word("status", Lifecycle, schema.choices("action", "status")) or Lifecycle.ACTIVE
    superseded_by = tuple(r for r, _ in f.text_list("superseded_by"))
    if lifecycle is Lifecycle.SUPERSEDED and not superseded_by:
        f.problem(f.meta.line_of("status"), "a superseded action needs 'superseded_by: [\"<ref>\"]' naming its replacement")
    if superseded_by and lifecycle is not Lifecycle.SUPERSEDED:
        f.problem(f.meta.line_of("superseded_by"), "'superseded_by' is given but status is not 'superseded'; add 'status: superseded'")

    return Action(
        ref=stem,  # the file name is the ref; a differing `ref` field was reported above
        area_number=area_number,
        text=f.markdown("action", True),
        priorities=tuple(priorities),
        due=due,
        sponsor=tuple(i for i, _ in f.text_list("sponsor")),
        lead=tuple(i for i, _ in f.text_list("lead")),
        rag=f.word("rag", Rag, schema.choices("action", "rag")),
        lifecycle=lifecycle,
        superseded_by=superseded_by,
        carried_forward=f.text("carried_forward") or None,
        carried_forward_from=f.text("carried_forward_from") or None,
        restricted=f.boolean("restricted"),
        # An earlier version read only to compare with needs no status text (see history.plan_from_history).
        status=f.parse_markdown(f.file.body, f.file.body_line) if body else (),
        origin=f.origin(),
        key_aims=tuple(r for r, _ in f.text_list("key_aims")),
    )


def _numbered(files: dict[str, bytes], folder: str, shown: _Shown, loaded: _Loaded, issues: list[Issue],
              build: Callable[[tuple[ContentFile, YamlMapping], int, list[Issue]], Recommendation | None],
              ) -> list[Recommendation | None]:
    out = []
    for rel in sorted(files):
        if not rel.startswith(folder) or rel.count("/") != 1:
            continue
        name = rel.split("/", 1)[1]
        if name.lower() == "readme.md":
            continue
        match = _NUMBERED_FILE.match(name)
        if not match:
            issues.append(Issue(shown(rel), 1, "name these files '<NN>-<topic>.md' in lower case, e.g. 01-local-criminal-justice-board.md"))
            continue
        got = loaded(rel)
        if got:
            out.append(build(got, int(match.group(1)), issues))
    return out


_RECOMMENDATION_FIELDS = schema.fields("recommendation")


def _recommendation(got: tuple[ContentFile, YamlMapping], file_number: int, issues: list[Issue]) -> Recommendation | None:
    f = Fields(got[0], got[1], issues, _RECOMMENDATION_FIELDS)
    number = f.integer("number", True)
    if number is not None and number != file_number:
        f.problem(f.meta.line_of("number"), f"number is {number} but the file name starts {file_number:02d}; make them agree")
    responses = []
    node = f.meta.get("responses")
    if node is not None and not isinstance(node, YamlSequence):
        f.problem(node.line, "'responses' must be a list, each entry starting '- by: ...'")
    for entry in (node.items if isinstance(node, YamlSequence) else []):
        if not isinstance(entry, YamlMapping):
            f.problem(entry.line, "each response needs 'by' and 'text' fields")
            continue
        sub = _sub(f, entry, schema.fields("recommendation", "responses"))
        by = sub.word("by", Responder, schema.choices("recommendation", "responses", "by"), True)
        responses.append(Response(by or Responder.PANEL, sub.markdown("text", True)))
    return Recommendation(
        number=number if number is not None else file_number,
        topic=f.text("topic", True),
        recommendation=f.parse_markdown(f.file.body, f.file.body_line),
        responses=tuple(responses),
        assessment=f.markdown("assessment"),
        restricted=f.boolean("restricted"),
        origin=f.origin(),
    )


_KPI_FIELDS = schema.fields("kpi")
# A trend chart stays readable with a few years of quarters; more points would be unreadable bars.
MAX_KPI_VALUES = 40


def _kpi_values(f: Fields) -> tuple[Measurement, ...]:
    """The optional 'values' list: one {label, value} per period, oldest first."""
    node = f.node("values", False)
    if node is None:
        return ()
    if not isinstance(node, YamlSequence):
        f.problem(node.line, "'values' must be a list, one '- {label: 2016/17 Q1-2, value: 5041}' per period, oldest first")
        return ()
    if len(node.items) > MAX_KPI_VALUES:
        f.problem(node.line, f"'values' lists {len(node.items)} periods; a chart shows at most {MAX_KPI_VALUES}: keep the latest {MAX_KPI_VALUES}")
        return ()
    values = []
    for item in node.items:
        if not isinstance(item, YamlMapping):
            f.problem(item.line, "each entry of 'values' needs a label and a value, e.g. '- {label: 2016/17 Q1-2, value: 5041}'")
            continue
        sub = _sub(f, item, schema.fields("kpi", "values"))
        value = sub.number(item.get("value"), "each 'values' value")
        label = sub.text("label", True)
        if value is not None:
            values.append(Measurement(label, value))
    return tuple(values)


def _measurement(f: Fields, key: str, required: bool) -> Measurement | None:
    node = f.node(key, required)
    if node is None:
        return None
    if not isinstance(node, YamlMapping):
        f.problem(node.line, f"'{key}' needs a label and a value, e.g. '{key}: {{label: 2016/17, value: 5041}}'")
        return None
    sub = _sub(f, node, schema.fields("kpi", key))
    value = sub.number(node.get("value"), f"'{key}' value")
    if value is None:
        return None
    return Measurement(sub.text("label", True), value)


def _kpi(f: Fields, slug: str) -> Kpi:
    target_node = f.node("target", False)
    return Kpi(
        slug=slug,
        title=f.text("title", True),
        period=f.text("period", True),
        unit=f.word("unit", Unit, schema.choices("kpi", "unit"), True) or Unit.COUNT,
        better=f.word("better", Better, schema.choices("kpi", "better"), True) or Better.HIGHER,
        current=_measurement(f, "current", True) or Measurement("", 0.0),
        baseline=_measurement(f, "baseline", False),
        target=f.number(target_node, "'target'") if target_node is not None else None,
        owner=f.text("owner"),
        priority=f.integer("priority"),
        commentary=f.parse_markdown(f.file.body, f.file.body_line),
        restricted=f.boolean("restricted"),
        origin=f.origin(),
        values=_kpi_values(f),
    )
