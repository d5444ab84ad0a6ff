"""Loaded content files to the model: finds each content file, reads its fields with the field reader
(reader.py, by the file's JSON Schema) and builds the model's dataclasses from the values read; checks what
one field cannot (a ref against its file name, a status against its replacement). Never raises for content."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import schema
from .issues import Issue, warning
from .load import Value, display_name, load_file
from .model import (
    DEFAULT_SCALE,
    NAMING_WORDS,
    PLAN_VALUE_NAMES,
    RESERVED_RATING_IDS,
    WORD_PLACEHOLDER,
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
    OfficeWords,
    Origin,
    Person,
    Plan,
    PlanColumn,
    PlanInfo,
    Priority,
    Rating,
    RatingScale,
    Recommendation,
    Responder,
    Response,
    RichText,
    SignOff,
    Snapshot,
    Unit,
    natural_key,
)
from .reader import Diagnostics, Fields, Mention, check_placeholders
from .reader import has_restricted_block as _collect_refs
from .reader import note_mentions as _note_mentions
from .sources import blob_sha
from .unfinished import find_unfinished

__all__ = [
    "AREA_FILE",
    "ActionFile",
    "Fields",
    "Mention",
    "_check_mentions",
    "_collect_refs",
    "_note_mentions",
    "assemble",
    "forget_readings",
    "read_action_file",
    "read_area_restricted",
    "read_ratings",
]

# The collector's name before the field reader took it over (reader.Diagnostics).
_Findings = Diagnostics

AREA_FILE = "_area.md"
# ASCII digits only: \d would also accept look-alike digits such as '١' or '１'.
_AREA_DIR = re.compile(r"^([0-9]{2})-[a-z0-9][a-z0-9-]*$")
_NUMBERED_FILE = re.compile(r"^([0-9]{2})-[a-z0-9][a-z0-9-]*\.md$")
_REF = re.compile(r"^[0-9]+\.[0-9]+$")
_DUE_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# File and folder names: letters, digits, '.', '-' and '_' only (no spaces, look-alike digits or invisible characters).
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
# Top-level files and folders the build reads; reports/ holds report records (read by records.py).
_TOP_FILES = ("plan.md", "people.yaml", "priorities.yaml", "cover_report.md")
_FOLDERS = ("business_areas", "recommendations", "kpis", "reports")
_SLUG_FILE = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")

# Each kind of file as its JSON Schema in schemas/ declares it (one definition for the build and for editors).
_PLAN = schema.spec("plan")
_PEOPLE = schema.spec("people")
_PRIORITIES = schema.spec("priorities")
_COVER = schema.spec("cover-report")
_AREA = schema.spec("business-area")
_ACTION = schema.spec("action")
_RECOMMENDATION = schema.spec("recommendation")
_KPI = schema.spec("kpi")

# How assemble names a file in messages, and opens one's fields against a schema (None when it cannot be read).
_Shown = Callable[[str], str]
_Opened = Callable[[str, schema.Spec], "Fields | None"]


def assemble(files: dict[str, bytes], display_root: str, snapshot: Snapshot,
             action_bodies: bool = True) -> tuple[Plan | None, list[Issue]]:
    """Build the plan from the content folder's files; every problem found is returned, none raised."""
    issues = Diagnostics()

    def shown(rel: str) -> str:
        safe = display_name(rel)
        return f"{display_root}/{safe}" if display_root else safe

    files = _usable_files(files, shown, issues)

    def opened(rel: str, spec: schema.Spec) -> Fields | None:
        # people.yaml and priorities.yaml are all fields; every other file has them between '---' lines.
        file = load_file(shown(rel), files[rel], issues, front_matter=rel.endswith(".md"))
        if file is None or file.meta is None:
            return None
        return Fields(file, file.meta, issues, spec)

    def top(rel: str, spec: schema.Spec, when_missing: str | None = None) -> Fields | None:
        if rel in files:
            return opened(rel, spec)
        if when_missing:
            issues.append(Issue(shown(rel), 1, when_missing))
        return None

    plan_fields = top("plan.md", _PLAN, "plan.md is missing; add it with the plan's title, organisation and period (see docs/content-format.md)")
    info = _plan_info(plan_fields) if plan_fields else None
    ratings = _ratings(plan_fields) if plan_fields else DEFAULT_SCALE
    people_fields = top("people.yaml", _PEOPLE, "people.yaml is missing; add the people register (see docs/content-format.md)")
    people = _people(people_fields) if people_fields else ()
    priorities_fields = top("priorities.yaml", _PRIORITIES)
    priorities = _priorities(priorities_fields) if priorities_fields else ()
    cover_fields = top("cover_report.md", _COVER)
    cover = _cover(cover_fields) if cover_fields else None

    areas = _areas(files, shown, opened, issues, action_bodies)
    recommendations = _recommendations(files, shown, opened, issues)
    kpis = _kpis(files, shown, opened, issues)
    if info is None:
        return None, list(issues)
    return _plan(info, snapshot, people, priorities, cover, areas, recommendations, kpis, issues, ratings), list(issues)


def _plan(info: PlanInfo, snapshot: Snapshot, people: tuple[Person, ...], priorities: tuple[Priority, ...],
          cover: CoverReport | None, areas: tuple[BusinessArea, ...], recommendations: tuple[Recommendation, ...],
          kpis: tuple[Kpi, ...], issues: Diagnostics, ratings: RatingScale = DEFAULT_SCALE) -> Plan:
    """The plan of the parts read, once the actions their texts name are checked against the whole plan."""
    wholes: list[BusinessArea | Action | Recommendation | Kpi] = [
        *areas, *(a for area in areas for a in area.actions), *recommendations, *kpis,
    ]
    _check_mentions(*_mention_scope(areas, wholes), issues)
    return Plan(
        info=info,
        snapshot=snapshot,
        people=people,
        priorities=priorities,
        areas=areas,
        recommendations=recommendations,
        kpis=kpis,
        cover=cover,
        has_restricted=any(x.restricted for x in wholes) or issues.fenced,
        ratings=ratings,
    )


def _mention_scope(areas: tuple[BusinessArea, ...], wholes: list[BusinessArea | Action | Recommendation | Kpi],
                   ) -> tuple[set[str], set[str], set[str]]:
    """Every action's ref, the restricted actions' refs, and the files whose text never reaches a public
    output (anything restricted as a whole, which may therefore name restricted actions)."""
    all_refs = {a.ref for area in areas for a in area.actions}
    restricted_refs = {a.ref for area in areas for a in area.actions if a.restricted or area.restricted}
    hidden_paths = {a.origin.path for area in areas if area.restricted for a in area.actions}
    hidden_paths |= {x.origin.path for x in wholes if x.restricted}
    return all_refs, restricted_refs, hidden_paths


# --- files and folders -----------------------------------------------------------------------------------


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
            # The templates' placeholders, wherever they are in a file the build reads (comments included).
            if parts[-1].lower() != "readme.md":
                issues.extend(find_unfinished(shown(rel), raw))
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


# --- actions named in Markdown, checked once every file is read ---------------------------------------------


def _check_mentions(all_refs: set[str], restricted_refs: set[str], hidden_paths: set[str], issues: Diagnostics) -> None:
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


# --- the files read once, at the top of the content folder ----------------------------------------------


# plan.md's words and short name as the schema defines them, with their defaults (Thames Valley's wording).
_WORDS = _PLAN.fields["words"]
_DEFAULT_WORDS = {name: spec.default for name, spec in _WORDS.fields.items()}
_DEFAULT_SHORT_NAME: str = _PLAN.fields["short_name"].default


def _plan_info(f: Fields) -> PlanInfo:
    values = {"organisation": f.text("organisation"), "police_and_crime_plan": f.text("police_and_crime_plan"),
              "short_name": f.text("short_name") or _DEFAULT_SHORT_NAME}
    listed = f.meta.items.get("columns")
    # Left out (or given empty), every optional column shows; a list shows those it names, in the table's order.
    given = listed is not None and not (isinstance(listed, Value) and listed.data is None)
    columns = {column.lower() for column in f.texts("columns")}
    shown = columns if given else None
    return PlanInfo(
        title=f.text("title"),
        organisation=values["organisation"],
        period=f.text("period"),
        police_and_crime_plan=values["police_and_crime_plan"],
        next_plan=f.text("next_plan"),
        intro=f.body(),
        short_name=values["short_name"],
        words=_office_words(f, values),
        columns=tuple(PlanColumn) if shown is None else tuple(c for c in PlanColumn if c in shown),
    )


def default_words(plan_values: dict[str, str]) -> OfficeWords:
    """The words of a plan.md that gives none: the schema's defaults, with the plan's own details filled in."""
    return OfficeWords.of({}, _DEFAULT_WORDS, {"short_name": _DEFAULT_SHORT_NAME, **plan_values})


def _office_words(f: Fields, plan_values: dict[str, str]) -> OfficeWords:
    """plan.md's `words`: each as given or its default, a {name} the words cannot fill reported at its line."""
    words = f.mapping("words")
    given: dict[str, str] = {}
    if words is not None:
        for name in _WORDS.fields:
            text = words.text(name)
            if not text:
                continue
            line = words.meta.line_of(name)
            usable = () if name in NAMING_WORDS else (*PLAN_VALUE_NAMES, *NAMING_WORDS)
            unknown = [m.group(0) for m in WORD_PLACEHOLDER.finditer(text) if m.group(1) not in usable]
            if unknown and usable:
                words.problem(line, f"'{unknown[0]}' in '{name}' is not a name the words can fill in; write the words "
                                    f"themselves or one of {', '.join('{' + n + '}' for n in usable)}")
            elif unknown:
                words.problem(line, f"'{name}' names no other words; write the word itself instead of '{unknown[0]}'")
            else:
                given[name] = text
    return OfficeWords.of(given, _DEFAULT_WORDS, plan_values)


def read_ratings(files: dict[str, bytes], display_root: str) -> RatingScale:
    """The scale plan.md gives (the default without one); the default too when plan.md cannot be read, as the
    build then reports it. For a command that needs only the scale (new-action)."""
    if "plan.md" not in files:
        return DEFAULT_SCALE
    findings = Diagnostics()
    file = load_file(f"{display_root}/plan.md" if display_root else "plan.md", files["plan.md"], findings)
    if file is None or file.meta is None:
        return DEFAULT_SCALE
    return _ratings(Fields(file, file.meta, findings, _PLAN))


def _ratings(f: Fields) -> RatingScale:
    """plan.md's rating scale, checked as a whole: ids all different and not reserved, at least two ratings, one
    complete. The default scale when plan.md has none; what could be read of it when it has problems (each
    reported, so the build stops)."""
    entries = f.entries("ratings")
    if not entries:
        return DEFAULT_SCALE
    ratings: list[Rating] = []
    seen: dict[str, int] = {}
    any_complete = False
    for entry in entries:
        rating_id, label, colour, meaning = (entry.text(key) for key in ("id", "label", "colour", "meaning"))
        complete, not_started = entry.flag("complete"), entry.flag("not_started")
        any_complete |= complete
        line = entry.meta.line_of("id")
        if rating_id in RESERVED_RATING_IDS:
            held = "an action not assessed (no rag)" if rating_id == RESERVED_RATING_IDS[0] else "an action new since the last report"
            entry.problem(line, f"id '{rating_id}' is kept for {held}; give the rating another id")
            continue
        if rating_id in seen:
            entry.problem(line, f"id '{rating_id}' is listed twice in ratings (first at line {seen[rating_id]}); "
                                "give each rating its own id")
            continue
        if complete and not_started:
            entry.problem(entry.meta.line_of("not_started"), f"rating '{rating_id}' is both complete and not_started; "
                                                             "a rating is one or the other, or neither")
        if rating_id and label and colour and meaning:  # else what is missing or wrong was reported by the reader
            seen[rating_id] = line
            ratings.append(Rating(rating_id, label, colour.upper(), meaning, complete=complete, not_started=not_started))
    line = f.meta.line_of("ratings")
    if len(entries) < 2:
        f.problem(line, "ratings lists one rating; a scale needs at least two, worst to best (or leave 'ratings' out "
                        "for the default: red, amber, green, white, complete)")
    if not any_complete:
        f.problem(line, "no rating in ratings is complete; add 'complete: true' to the rating (or ratings) that mean "
                        "an action is complete")
    return RatingScale(tuple(ratings)) if ratings else DEFAULT_SCALE


def _people(f: Fields) -> tuple[Person, ...]:
    people = []
    seen: dict[str, int] = {}
    for entry in f.entries("people"):
        initials = entry.text("initials")
        if not initials:
            continue
        line = entry.meta.line_of("initials")
        if initials in seen:
            entry.problem(line, f"'{initials}' is listed twice (first at line {seen[initials]}); keep one entry")
            continue
        seen[initials] = line
        github = entry.text("github")
        people.append(Person(initials, entry.text("name"), entry.text("role"), Origin(f.file.path, line), github=github))
    return tuple(people)


def _priorities(f: Fields) -> tuple[Priority, ...]:
    priorities = []
    seen_numbers: set[int] = set()
    seen_aims: set[str] = set()
    for entry in f.entries("priorities"):
        number = entry.integer("number")
        title = entry.text("title")
        if number is None:
            continue
        if number in seen_numbers:
            entry.problem(entry.meta.line_of("number"), f"priority {number} is listed twice; give each priority its own number")
        seen_numbers.add(number)
        aims = []
        for aim in entry.entries("aims"):
            ref = aim.text("ref")
            if ref and not ref.startswith(f"{number}."):
                aim.problem(aim.meta.line_of("ref"), f"aim '{ref}' is under priority {number}; number it {number}.<n>")
            if ref in seen_aims:
                aim.problem(aim.meta.line_of("ref"), f"aim '{ref}' is listed twice")
            seen_aims.add(ref)
            aims.append(KeyAim(ref, aim.markdown("text")))
        priorities.append(Priority(number, title, tuple(aims)))
    return tuple(priorities)


def _cover(f: Fields) -> CoverReport:
    check_placeholders(f, f.file.body, f.file.body_line)
    sign_off = tuple(SignOff(row.text("heading"), row.markdown("advice"), row.text("officer"))
                     for row in f.entries("sign_off"))
    chiefs = tuple(ChiefOfficerApproval(row.text("officer"), row.text("date")) for row in f.entries("chief_officers"))
    return CoverReport(
        heading=f.text("heading"),
        report_type=f.text("report_type"),
        meeting=f.text("meeting"),
        title=f.text("title"),
        executive_summary=f.markdown("executive_summary"),
        recommendation=f.markdown("recommendation"),
        sections=f.body(placeholders=True),
        sign_off=sign_off,
        chief_officers=chiefs,
        publication_deferred=f.flag("publication_deferred"),
        background_papers=f.markdown("background_papers"),
        origin=f.origin(),
    )


# --- business areas and their actions ---------------------------------------------------------------------


def _areas(files: dict[str, bytes], shown: _Shown, opened: _Opened, issues: Diagnostics,
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
        area = _area(files, folder, names, shown, opened, issues, action_bodies)
        if area is not None:
            areas.append(area)
    return tuple(areas)


def _area(files: dict[str, bytes], folder: str, names: list[str], shown: _Shown, opened: _Opened,
          issues: Diagnostics, action_bodies: bool) -> BusinessArea | None:
    folder_match = _AREA_DIR.match(folder)
    if not folder_match:
        issues.append(Issue(shown(f"business_areas/{folder}"), 1, _folder_hint(folder)))
        return None
    folder_number = int(folder_match.group(1))
    if AREA_FILE not in names:
        issues.append(Issue(shown(f"business_areas/{folder}/{AREA_FILE}"), 1, f"the area file is missing; add {AREA_FILE} with 'number' and 'title'"))
        return None
    f = opened(f"business_areas/{folder}/{AREA_FILE}", _AREA)
    if f is None:
        return None
    number = f.integer("number")
    if number is not None and number != folder_number:
        f.problem(f.meta.line_of("number"), f"number is {number} but the folder name starts {folder_match.group(1)}; make them agree")
    actions = _area_actions(files, folder, names, folder_number, shown, issues, action_bodies)
    return BusinessArea(
        number=folder_number,
        title=f.text("title"),
        slug=folder,
        intro=f.body(),
        actions=actions,
        restricted=f.flag("restricted"),
        origin=f.origin(),
    )


def _area_actions(files: dict[str, bytes], folder: str, names: list[str], folder_number: int, shown: _Shown,
                  issues: Diagnostics, action_bodies: bool) -> tuple[Action, ...]:
    """The actions of one business-area folder, in ref order; their problems and mentions go to `issues`."""
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
        issues.mentions.extend(read.mentions)
        issues.fenced |= read.fenced
        if read.action:
            actions.append(read.action)
    actions.sort(key=lambda a: natural_key(a.ref))
    return tuple(actions)


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
# as-at plan, the since-date plan, every version the audit compares, a pull request's base and head). A read
# with the status text also gives what a read without it would (see _BodyMarks), so the since-date plan
# (read without statuses) finds every file the as-at plan shares with it already read.
_ACTION_FILES: dict[tuple[str, str, int, bool], ActionFile] = {}
_ACTION_FILES_LIMIT = 100_000
# Readings with the status, and where the status's findings are in them, by the key of the same reading without
# the status: made into that reading (_without_body) only if it is asked for.
_BODILESS_FROM: dict[tuple[str, str, int, bool], tuple[ActionFile, Action, _BodyMarks]] = {}


def forget_readings() -> None:
    """Forget every action file read (for a benchmark or a test that must read them afresh)."""
    _ACTION_FILES.clear()
    _BODILESS_FROM.clear()


@dataclass
class _BodyMarks:
    """Where reading the status text (the body) began and ended among a reading's issues and mentions, and
    whether a fence had been seen before it: what the same reading without the body would have found."""

    issues: tuple[int, int] = (0, 0)
    mentions: tuple[int, int] = (0, 0)
    fenced_before: bool = False


def read_action_file(shown_path: str, raw: bytes, stem: str, area_number: int, bodies: bool = True) -> ActionFile:
    """Read one action file through the build's own loader and field reader, once per blob."""
    blob = blob_sha(raw)
    key = (shown_path, blob, area_number, bodies)
    refused = getattr(raw, "refusal", None) is not None
    cached = _ACTION_FILES.get(key)
    if cached is None and not bodies and not refused and key in _BODILESS_FROM:
        cached = _ACTION_FILES[key] = _without_body(*_BODILESS_FROM.pop(key))
    if cached is not None and not refused:
        return cached
    findings = Diagnostics()
    action: Action | None = None
    marks = _BodyMarks()
    file = load_file(shown_path, raw, findings)
    if file is not None and file.meta is not None:
        action = _action(Fields(file, file.meta, findings, _ACTION), stem, area_number, bodies, marks)
    read = ActionFile(action, tuple(findings), tuple(findings.mentions), findings.fenced)
    if len(_ACTION_FILES) + len(_BODILESS_FROM) >= _ACTION_FILES_LIMIT:
        _ACTION_FILES.clear()
        _BODILESS_FROM.clear()
    _ACTION_FILES[key] = read
    if bodies and not refused and action is not None:
        _BODILESS_FROM[(shown_path, blob, area_number, False)] = (read, action, marks)
    return read


def _without_body(read: ActionFile, action: Action, marks: _BodyMarks) -> ActionFile:
    """What reading the file without its status text gives (read_action_file with bodies=False), from the
    reading with it: the same, less the status and what reading it found. (Only the status text can hold a
    '::: restricted' fence after `marks.fenced_before` was taken: the fields _action reads after it are plain
    texts; tests/test_reader.py checks the two readings agree.)"""
    (issues_from, issues_to), (mentions_from, mentions_to) = marks.issues, marks.mentions
    return ActionFile(dataclasses.replace(action, status=()),
                      read.issues[:issues_from] + read.issues[issues_to:],
                      read.mentions[:mentions_from] + read.mentions[mentions_to:],
                      marks.fenced_before)


def read_area_restricted(shown_path: str, raw: bytes) -> bool | None:
    """Whether a business area's _area.md marks the area restricted; None when the file cannot be read cleanly
    (then nobody can tell, and the area must be treated as restricted)."""
    findings = Diagnostics()
    file = load_file(shown_path, raw, findings)
    if file is None or file.meta is None:
        return None
    restricted = Fields(file, file.meta, findings, _AREA).flag("restricted")
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


def _action(f: Fields, stem: str, area_number: int, body: bool = True, marks: _BodyMarks | None = None) -> Action:
    ref = f.text("ref")
    if ref and ref != stem:
        f.problem(f.meta.line_of("ref"), f"ref is '{ref}' but the file is named {stem}.md; make them the same")
    if stem.split(".")[0] != str(area_number):
        f.problem(1, f"action {stem} is in the folder of business area {area_number}; move it or renumber it {area_number}.<n>")
    priorities = f.integers("priorities")
    due = _due(f.text("due"))
    lifecycle = f.word("status", Lifecycle) or Lifecycle.ACTIVE
    superseded_by = f.texts("superseded_by")
    _check_superseded(f, lifecycle, superseded_by)
    return Action(
        ref=stem,  # the file name is the ref; a differing `ref` field was reported above
        area_number=area_number,
        text=f.markdown("action"),
        priorities=priorities,
        due=due,
        sponsor=f.texts("sponsor"),
        lead=f.texts("lead"),
        rag=f.text("rag") or None,
        lifecycle=lifecycle,
        superseded_by=superseded_by,
        carried_forward=f.text("carried_forward") or None,
        carried_forward_from=f.text("carried_forward_from") or None,
        restricted=f.flag("restricted"),
        # An earlier version read only to compare with needs no status text (see history.plan_from_history).
        status=_status(f, marks or _BodyMarks()) if body else (),
        origin=f.origin(),
        key_aims=f.texts("key_aims"),
    )


def _status(f: Fields, marks: _BodyMarks) -> RichText:
    """The action's status text (its body), read in its place among the fields; `marks` notes what reading it
    added to the findings, so that read_action_file can tell what a reading without it finds."""
    findings = f.issues
    mentions = findings.mentions if isinstance(findings, Diagnostics) else []
    issues_from, mentions_from = len(findings), len(mentions)
    marks.fenced_before = isinstance(findings, Diagnostics) and findings.fenced
    status = f.body()
    marks.issues, marks.mentions = (issues_from, len(findings)), (mentions_from, len(mentions))
    return status


def _check_superseded(f: Fields, lifecycle: Lifecycle, superseded_by: tuple[str, ...]) -> None:
    """A superseded action names its replacement, and only a superseded one does."""
    if lifecycle is Lifecycle.SUPERSEDED and not superseded_by:
        f.problem(f.meta.line_of("status"), "a superseded action needs 'superseded_by: [\"<ref>\"]' naming its replacement")
    if superseded_by and lifecycle is not Lifecycle.SUPERSEDED:
        f.problem(f.meta.line_of("superseded_by"), "'superseded_by' is given but status is not 'superseded'; add 'status: superseded'")


def _due(typed: str) -> Due | None:
    """A due date the reader accepted (YYYY-MM, or one of the schema's words) as a `Due`."""
    if not typed:
        return None
    month = _DUE_MONTH.match(typed)
    return Due(typed, int(month.group(1)), int(month.group(2))) if month else Due(typed)


# --- recommendations and performance measures -------------------------------------------------------------


def _recommendations(files: dict[str, bytes], shown: _Shown, opened: _Opened, issues: list[Issue]) -> tuple[Recommendation, ...]:
    read = []
    for rel in sorted(files):
        if not rel.startswith("recommendations/") or rel.count("/") != 1:
            continue
        name = rel.split("/", 1)[1]
        if name.lower() == "readme.md":
            continue
        match = _NUMBERED_FILE.match(name)
        if not match:
            issues.append(Issue(shown(rel), 1, "name these files '<NN>-<topic>.md' in lower case, e.g. 01-local-criminal-justice-board.md"))
            continue
        f = opened(rel, _RECOMMENDATION)
        if f is not None:
            read.append(_recommendation(f, int(match.group(1))))
    return tuple(sorted(read, key=lambda r: r.number))


def _recommendation(f: Fields, file_number: int) -> Recommendation:
    number = f.integer("number")
    if number is not None and number != file_number:
        f.problem(f.meta.line_of("number"), f"number is {number} but the file name starts {file_number:02d}; make them agree")
    responses = tuple(Response(entry.word("by", Responder) or Responder.PANEL, entry.markdown("text"))
                      for entry in f.entries("responses"))
    return Recommendation(
        number=number if number is not None else file_number,
        topic=f.text("topic"),
        recommendation=f.body(),
        responses=responses,
        assessment=f.markdown("assessment"),
        restricted=f.flag("restricted"),
        origin=f.origin(),
    )


def _kpis(files: dict[str, bytes], shown: _Shown, opened: _Opened, issues: list[Issue]) -> tuple[Kpi, ...]:
    kpis = []
    for rel in sorted(files):
        if not rel.startswith("kpis/") or rel.count("/") != 1:
            continue
        name = rel.split("/", 1)[1]
        if name.lower() == "readme.md":
            continue
        if not _SLUG_FILE.match(name):
            issues.append(Issue(shown(rel), 1, "name KPI files in lower case with dashes, ending .md (e.g. domestic-violence.md)"))
            continue
        f = opened(rel, _KPI)
        if f is not None:
            kpis.append(_kpi(f, name[:-3]))
    return tuple(kpis)


def _kpi(f: Fields, slug: str) -> Kpi:
    return Kpi(
        slug=slug,
        title=f.text("title"),
        period=f.text("period"),
        unit=f.word("unit", Unit) or Unit.COUNT,
        better=f.word("better", Better) or Better.HIGHER,
        current=_measurement(f, "current") or Measurement("", 0.0),
        baseline=_measurement(f, "baseline"),
        target=f.number("target"),
        owner=f.text("owner"),
        priority=f.integer("priority"),
        commentary=f.body(),
        restricted=f.flag("restricted"),
        origin=f.origin(),
        values=_kpi_values(f),
    )


def _measurement(f: Fields, key: str) -> Measurement | None:
    """'current' or 'baseline': a label and a value (both read, so that each one's problem is reported)."""
    fields = f.mapping(key)
    if fields is None:
        return None
    value, label = fields.number("value"), fields.text("label")
    return Measurement(label, value) if value is not None else None


def _kpi_values(f: Fields) -> tuple[Measurement, ...]:
    """The optional 'values' list: one {label, value} per period, oldest first."""
    values = []
    for entry in f.entries("values"):
        value = entry.number("value")
        label = entry.text("label")
        if value is not None:
            values.append(Measurement(label, value))
    return tuple(values)
