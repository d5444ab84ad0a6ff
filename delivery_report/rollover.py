"""The year end: the edits of the two pull requests that close one plan year and open the next.

Pure functions of the plan and its files (no git, no writing, no printing: `rollover_cli.py` reads the
working tree, checks the result, writes it and prints). docs/governance-cycle.md describes the year end
step by step.

- **Closing** (`close_year`): every active action not complete and not yet carried forward gets
  `carried_forward: "<new ref>"`, so the old year's final report says where each one went ("Ongoing - links
  to Action 2.4, 2018/19 OPCC SDP"). The refs an action already names are kept; the others take the lowest
  free numbers of their business area, in ref order.
- **Opening** (`open_year`): the content becomes the next year's plan. Each action carried forward is
  written at its new ref with `carried_forward_from: "<old year> <old ref>"`; every other action file
  (complete, superseded, deleted) is removed from the working tree and stays in git history, where reports
  as at any earlier date still find it. plan.md and cover_report.md are reset for the new year.

Every file is edited line by line, so the officers' own formatting stays and a pull request shows only
what the year end changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .issues import BuildError, ContentErrors, Issue
from .load import Value, load_file
from .model import Action, BusinessArea, Lifecycle, Plan, RatingScale, following_year, natural_key

CLOSE, OPEN = "close", "open"
STEPS = (CLOSE, OPEN)

# The month a plan year starts: the UK financial year (1 April) that the plan years follow.
_YEAR_STARTS_IN_MONTH = 4
# The cover report's meeting line when its meeting is not yet known: printed with a line to fill in.
TEMPLATE_MEETING = "Level 1 public meeting on"

# A field at the start of a line of front matter.
_FIELD_LINE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")
# A chief officer's approval date inside cover_report.md's chief_officers list.
_APPROVAL_DATE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?date[ \t]*:)(?P<value>.*)$")
# An action named in text, as the build finds it (richtext.py): 'Action 3.10', 'actions 1.11 & 5.2',
# 'Actions 6.1-6.3'; with the year of another plan after it ('Action 1.2, 2018/19') it is left as it is.
_REF_TEXT = r"[0-9]+\.[0-9]+(?![0-9])(?!\.[0-9])"
_LIST_GAP = r"(?:\s*(?:[,;&/+\u2013\u2014-]|\band\b|\bor\b|\bto\b)){1,3}\s*"
_NAMED = re.compile(
    rf"\b(?P<word>actions?)(?P<gap>\s+)(?P<refs>{_REF_TEXT}(?:{_LIST_GAP}{_REF_TEXT})*)"
    r"(?P<year>,\s*[0-9]{4}/[0-9]{2})?",
    re.IGNORECASE,
)
_ONE_REF = re.compile(_REF_TEXT)
# A link to an action's row in the report.
_ANCHOR = re.compile(r"#action-(?P<ref>[0-9]+\.[0-9]+)(?![0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class CarriedAction:
    """An action going into next year's plan: its ref and file now and in the new plan (paths relative to the
    content folder)."""

    old_ref: str
    new_ref: str
    old_path: str
    new_path: str


@dataclass(frozen=True)
class YearEndEdits:
    """One step's edits of the content folder: files to write (path -> bytes), files to remove, the actions
    carried forward (closing: those given a new ref now; opening: every one), notes for the office, and (opening)
    the actions left behind."""

    step: str
    year: str
    writes: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    removals: tuple[str, ...] = ()
    carried: tuple[CarriedAction, ...] = ()
    notes: tuple[str, ...] = ()
    # Opening: the old plan's actions not carried forward (complete, superseded, deleted), by old ref.
    left_behind: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the step has nothing to change."""
        return not self.writes and not self.removals


def year_problem(text: str) -> str | None:
    """Why `text` is not a plan year such as 2018/19, or None when it is."""
    if following_year(text) is None:
        return f"'{text}' is not a plan year; write it as plan.md's period is written, e.g. 2018/19"
    return None


def check_new_year(period: str, new_year: str) -> None:
    """A BuildError unless `new_year` is the year after plan.md's `period`."""
    problem = year_problem(new_year)
    if problem:
        raise BuildError(problem)
    after = following_year(period)
    if after is None:
        raise BuildError(f"plan.md's period is '{period}', not a plan year written YYYY/YY such as 2017/18; "
                         "correct it in a pull request first, then run the year end")
    if new_year == period:
        raise BuildError(f"plan.md's period is already {period}: that year has been opened; "
                         f"the next year end opens {after}")
    if new_year != after:
        raise BuildError(f"plan.md's period is {period}, so the next plan year is {after}, not {new_year}")


def _unfinished(action: Action, ratings: RatingScale) -> bool:
    """An action the old year leaves undone: active and not complete (on the plan's scale)."""
    return action.lifecycle == Lifecycle.ACTIVE and not ratings.is_complete(action.rag)


def _action_path(area: BusinessArea, ref: str) -> str:
    return f"business_areas/{area.slug}/{ref}.md"


def _new_refs(plan: Plan) -> tuple[dict[str, str], list[Issue]]:
    """Old ref -> new ref of every action going into next year's plan, and the problems that stop it.

    The refs that actions already name in `carried_forward` are kept: an earlier report may have printed
    them. Every other unfinished action takes the lowest number free in its business area, in ref order."""
    issues: list[Issue] = []
    areas = {area.number for area in plan.areas}
    claimed: dict[str, Action] = {}
    new_refs: dict[str, str] = {}
    for action in plan.actions:
        target = action.carried_forward
        if not target:
            continue
        where, line = action.origin.path, action.origin.line_of("carried_forward")
        if action.lifecycle != Lifecycle.ACTIVE:
            issues.append(Issue(where, line, f"action {action.ref} is {action.lifecycle} but carried forward to "
                                             f"{target}; remove carried_forward, or make the action active again"))
        elif int(target.split(".")[0]) not in areas:
            issues.append(Issue(where, line, f"action {action.ref} is carried forward to {target}, but there is no "
                                             f"business area {target.split('.')[0]}; correct the ref"))
        elif target in claimed:
            issues.append(Issue(where, line, f"action {claimed[target].ref} is carried forward to {target} too; "
                                             "give each action its own ref in next year's plan"))
        else:
            claimed[target] = action
            new_refs[action.ref] = target
    taken: dict[int, set[int]] = {number: set() for number in areas}
    for target in claimed:
        area_part, number_part = target.split(".")
        taken[int(area_part)].add(int(number_part))
    for area in plan.areas:
        for action in area.actions:
            if _unfinished(action, plan.ratings) and not action.carried_forward:
                number = 1
                while number in taken[area.number]:
                    number += 1
                taken[area.number].add(number)
                new_refs[action.ref] = f"{area.number}.{number}"
    return new_refs, issues


def _carried(plan: Plan, new_refs: Mapping[str, str], refs: set[str] | None = None) -> tuple[CarriedAction, ...]:
    """The actions of `new_refs` (or only `refs`) with their files now and in the new plan, in new-ref order."""
    folders = {area.number: area for area in plan.areas}
    carried = []
    for area in plan.areas:
        for action in area.actions:
            new_ref = new_refs.get(action.ref)
            if new_ref is None or (refs is not None and action.ref not in refs):
                continue
            new_area = folders[int(new_ref.split(".")[0])]
            carried.append(CarriedAction(action.ref, new_ref, _action_path(area, action.ref),
                                         _action_path(new_area, new_ref)))
    return tuple(sorted(carried, key=lambda c: natural_key(c.new_ref)))


def close_year(plan: Plan, files: Mapping[str, bytes], new_year: str, display_root: str) -> YearEndEdits:
    """The closing pull request's edits: `carried_forward` on every unfinished action not yet carried forward,
    and plan.md's `next_plan` when it has none. ContentErrors when refs clash; BuildError for a wrong year."""
    check_new_year(plan.info.period, new_year)
    new_refs, issues = _new_refs(plan)
    if issues:
        raise ContentErrors(issues)
    newly = {action.ref for action in plan.actions if _unfinished(action, plan.ratings) and not action.carried_forward}
    carried = _carried(plan, new_refs, newly)
    writes: dict[str, bytes] = {}
    for item in carried:
        text = _Editable(item.old_path, files, display_root)
        text.append([f"carried_forward: {_quoted(item.new_ref)}"])
        writes[item.old_path] = text.encoded()
    notes = []
    if not plan.info.next_plan:
        plan_text = _Editable("plan.md", files, display_root)
        named = _year_replaced(plan.info.title, plan.info.period, new_year)
        if named != plan.info.title:
            plan_text.append([f"next_plan: {_quoted(named)}"])
            writes["plan.md"] = plan_text.encoded()
        else:
            notes.append(f"{display_root}/plan.md: no next_plan, and the title does not name {plan.info.period}; "
                         f"add 'next_plan: <the short name of the {new_year} plan>' so the report names it")
    return YearEndEdits(CLOSE, new_year, MappingProxyType(writes), (), carried, tuple(notes))


def open_year(plan: Plan, files: Mapping[str, bytes], new_year: str, display_root: str) -> YearEndEdits:
    """The opening pull request's edits: the content becomes `new_year`'s plan (see the module's docstring).

    ContentErrors when an unfinished action is not carried forward yet (the closing step comes first) or
    refs clash; BuildError for a wrong year or a file whose fields cannot be edited line by line."""
    check_new_year(plan.info.period, new_year)
    old_year = plan.info.period
    new_refs, issues = _new_refs(plan)
    for action in plan.actions:
        if _unfinished(action, plan.ratings) and not action.carried_forward:
            issues.append(Issue(action.origin.path, action.origin.line_of("ref"),
                                f"action {action.ref} is not complete and not carried forward; run the closing step "
                                f"first ('delivery-report new-year {new_year} --step close') and merge its pull "
                                "request"))
    if issues:
        raise ContentErrors(issues)
    carried = _carried(plan, new_refs)
    renumbered = {item.old_ref: item.new_ref for item in carried}
    writes: dict[str, bytes] = {}
    notes: list[str] = []
    old_due: list[str] = []
    for item in carried:
        continued = plan.action(item.old_ref)
        assert continued is not None  # _carried lists the plan's own actions
        text = _Editable(item.old_path, files, display_root)
        text.replace("ref", [f"ref: {_quoted(item.new_ref)}"])
        text.insert_after("ref", [f"carried_forward_from: {_quoted(f'{old_year} {item.old_ref}')}"])
        text.remove("carried_forward")
        if plan.ratings.is_complete(continued.rag):
            # complete in the old year, continued in the new: not yet assessed for it
            text.remove("rag")
        due = continued.due
        if due is not None and due.year is not None and due.month is not None and \
                (due.year, due.month) < (int(new_year[:4]), _YEAR_STARTS_IN_MONTH):
            text.replace("due", [f"# due: {due.raw} was its due month in {old_year}; write its due month in "
                                 f"{new_year} here (due: YYYY-MM, or a word such as Ongoing)"])
            old_due.append(item.new_ref)
        writes[item.new_path] = text.encode(_mentions_renumbered(text.joined(), renumbered, old_year, item.new_path,
                                                                 display_root, notes))
    kept_actions = set(writes)
    removals = tuple(sorted(
        (_action_path(area, action.ref) for area in plan.areas for action in area.actions
         if _action_path(area, action.ref) not in kept_actions), key=_path_key))
    removed = set(removals)
    for rel in sorted(files):
        if rel in writes or rel in removed or not rel.endswith(".md") or rel.rsplit("/", 1)[-1].lower() == "readme.md":
            continue
        reset = _Editable(rel, files, display_root) if rel in ("plan.md", "cover_report.md") else None
        if rel == "plan.md" and reset is not None:
            _reset_plan(reset, plan, new_year)
        elif rel == "cover_report.md" and reset is not None:
            _reset_cover(reset, old_year, new_year)
        if reset is not None and old_year not in reset.value("title"):
            notes.append(f"{display_root}/{rel}: the title does not name {old_year}, so it is as it was; give it "
                         f"the {new_year} plan's title")
        original = files[rel].decode("utf-8-sig")
        edited = reset.joined() if reset is not None else original.replace("\r\n", "\n")
        rewritten = _mentions_renumbered(edited, renumbered, old_year, rel, display_root, notes)
        if reset is not None or rewritten != edited:
            writes[rel] = _encode_like(rewritten, files[rel])
    if old_due:
        notes.append(f"the due months of {_ref_list(old_due)} ended in {old_year}: each file has a comment line "
                     f"'# due: ...' where its due line was; give each its due month in {new_year}")
    left_behind = tuple(action.ref for action in plan.actions if action.ref not in renumbered)
    return YearEndEdits(OPEN, new_year, MappingProxyType(writes), removals, carried, tuple(notes), left_behind)


def applied(files: Mapping[str, bytes], edits: YearEndEdits) -> dict[str, bytes]:
    """The content folder's files once the edits are made."""
    result = {rel: data for rel, data in files.items() if rel not in edits.removals}
    result.update(edits.writes)
    return dict(sorted(result.items()))


def result_problems(new_plan: Plan, edits: YearEndEdits) -> list[str]:
    """What the edited content should say and does not (the year end's own promises, checked on the plan
    read back from the edited files): each carried action at its ref with its origin, the year reset."""
    problems = []
    for item in edits.carried:
        if edits.step == CLOSE:
            old = new_plan.action(item.old_ref)
            if old is None or old.carried_forward != item.new_ref:
                problems.append(f"action {item.old_ref} is not carried forward to {item.new_ref}")
            continue
        action = new_plan.action(item.new_ref)
        if action is None or action.carried_forward_from != f"{_previous(edits.year)} {item.old_ref}":
            problems.append(f"action {item.new_ref} is not carried forward from {item.old_ref}")
    if edits.step == OPEN:
        if new_plan.info.period != edits.year:
            problems.append(f"plan.md's period is {new_plan.info.period}, not {edits.year}")
        cover = new_plan.cover
        if cover is not None and not cover.meeting_needs_blank:
            problems.append(f"cover_report.md's meeting still names a meeting ({cover.meeting}); write "
                            f"'meeting: {TEMPLATE_MEETING}' until the {edits.year} meeting is known")
        if cover is not None and any(officer.date for officer in cover.chief_officers):
            problems.append("cover_report.md's chief_officers still have dates of approval; write each as date: \"\"")
    return problems


def _previous(year: str) -> str:
    first = int(year[:4]) - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _reset_plan(text: _Editable, plan: Plan, new_year: str) -> None:
    """plan.md for the new year: the old year becomes the new one everywhere (title, period, introduction),
    and next_plan names the year after (or is left out when it does not name the new year)."""
    old_year = plan.info.period
    after = following_year(new_year) or ""
    next_plan = text.field_lines("next_plan")
    text.map_lines(lambda line: _year_replaced(line, old_year, new_year))
    if next_plan is not None:
        if new_year in "\n".join(next_plan):
            text.replace("next_plan", [_year_replaced(line, new_year, after) for line in next_plan])
        else:
            text.remove("next_plan")


def _reset_cover(text: _Editable, old_year: str, new_year: str) -> None:
    """cover_report.md for the new year: the year replaced, the meeting back to the template's line to fill
    in, and the chief officers' dates of approval blank."""
    # 'Level 1 public meeting on 5 March 2018' -> 'Level 1 public meeting on' (printed with a line to fill in)
    typed = _year_replaced(" ".join(text.value("meeting").split()), old_year, new_year)
    text.map_lines(lambda line: _year_replaced(line, old_year, new_year))
    if typed and not re.search(r"\bon$", typed, re.IGNORECASE):
        cut = typed.rfind(" on ")
        kept = typed[:cut + 3] if cut > 0 else TEMPLATE_MEETING
        text.replace("meeting", [f"meeting: {_quoted(kept)}"])
    officers = text.field_lines("chief_officers")
    if officers is not None:
        cleared = []
        for line in officers:
            date = _APPROVAL_DATE.match(line)
            value = date.group("value").strip() if date else ""
            cleared.append(f'{date.group("lead")} ""' if date and value not in ('""', "''", "") else line)
        text.replace("chief_officers", cleared)


def _year_replaced(text: str, old_year: str, new_year: str) -> str:
    return re.sub(rf"(?<![0-9]){re.escape(old_year)}(?![0-9])", new_year, text)


def _mentions_renumbered(text: str, renumbered: Mapping[str, str], old_year: str, rel: str, display_root: str,
                         notes: list[str]) -> str:
    """The text with every action it names by an old ref brought into the new plan: a carried-forward
    action's new ref ('Action 3.4' -> 'Action 3.1'), or the old year after a ref left behind ('Action 3.10'
    -> 'Action 3.10, 2017/18': the report neither links it nor takes it for the new plan's 3.10). A link to
    a row ('#action-3.10') of an action left behind cannot be kept: it is noted for the office."""

    def named(match: re.Match[str]) -> str:
        if match.group("year"):
            return match.group(0)  # already names another plan's year

        def one(ref: re.Match[str]) -> str:
            old = ref.group(0)
            return renumbered.get(old, f"{old}, {old_year}")

        refs = _ONE_REF.sub(one, match.group("refs"))
        return f"{match.group('word')}{match.group('gap')}{refs}"

    def anchor(match: re.Match[str]) -> str:
        old = match.group("ref")
        if old in renumbered:
            return f"{match.group(0)[:-len(old)]}{renumbered[old]}"
        line = text.count("\n", 0, match.start()) + 1
        notes.append(f"{display_root}/{rel}:{line}: the link to #action-{old} points at {old_year}'s action {old}, "
                     "which is not carried forward; change or remove the link")
        return match.group(0)

    return _ANCHOR.sub(anchor, _NAMED.sub(named, text))


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _ref_list(refs: list[str]) -> str:
    return ", ".join(refs[:-1]) + f" and {refs[-1]}" if len(refs) > 1 else refs[0]


def _path_key(rel: str) -> tuple[tuple[int | str, ...], ...]:
    return tuple(natural_key(part) for part in rel.split("/"))


def _encode_like(text: str, original: bytes) -> bytes:
    """The text with the original file's line ends (and byte-order mark, if it had one)."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")


class _Editable:
    """One content file's front matter, edited field by field; the lines around each field stay as typed.

    A field is its line `name: ...` and the lines under it up to the next field or a comment line at the
    start of a line. The fields found so must be the fields the build reads from the file, or the file is
    not edited (a BuildError says so)."""

    def __init__(self, rel: str, files: Mapping[str, bytes], display_root: str):
        shown = f"{display_root}/{rel}"
        raw = files.get(rel)
        if raw is None:
            raise BuildError(f"{shown} is missing from the content folder; nothing was changed")
        self.original = raw
        lines = raw.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        issues: list[Issue] = []
        loaded = load_file(shown, raw, issues)
        if not lines or lines[0].strip() != "---" or closing is None or loaded is None or loaded.meta is None:
            raise BuildError(f"{shown}: its fields could not be read; run 'delivery-report check' and fix it first")
        self.opening, self.fields, self.rest = lines[0], lines[1:closing], lines[closing:]
        self.meta = loaded.meta
        found = [m.group("key") for m in map(_FIELD_LINE.match, self.fields) if m]
        if found != list(loaded.meta.items):
            raise BuildError(f"{shown}: its fields are not each written 'name: value' at the start of a line, so "
                             "the year end cannot change them without changing their meaning; rewrite them so and "
                             "run again")

    def _span(self, key: str) -> tuple[int, int] | None:
        start = next((i for i, line in enumerate(self.fields)
                      if (m := _FIELD_LINE.match(line)) and m.group("key") == key), None)
        if start is None:
            return None
        stop = start + 1
        while stop < len(self.fields) and not _FIELD_LINE.match(self.fields[stop]) \
                and not self.fields[stop].startswith("#"):
            stop += 1
        return start, stop

    def value(self, key: str) -> str:
        """A text field's value as the build reads it (as it was before any edit), or '' when there is none."""
        node = self.meta.get(key)
        return node.text() if isinstance(node, Value) else ""

    def field_lines(self, key: str) -> list[str] | None:
        """The lines of a field as they are now, or None when the file has no such field."""
        span = self._span(key)
        return None if span is None else self.fields[span[0]:span[1]]

    def replace(self, key: str, lines: list[str]) -> None:
        """Put `lines` where the field is (nothing happens when the file has no such field)."""
        span = self._span(key)
        if span is not None:
            self.fields[span[0]:span[1]] = lines

    def remove(self, key: str) -> None:
        """Take the field out, if the file has it."""
        self.replace(key, [])

    def insert_after(self, key: str, lines: list[str]) -> None:
        """Put `lines` after the field (at the end of the fields when the file has no such field)."""
        span = self._span(key)
        at = span[1] if span is not None else len(self.fields)
        self.fields[at:at] = lines

    def append(self, lines: list[str]) -> None:
        """Put `lines` after the last field."""
        self.fields.extend(lines)

    def map_lines(self, change: Callable[[str], str]) -> None:
        """Change every line of the fields and of the body (not the '---' lines)."""
        self.fields = [change(line) for line in self.fields]
        self.rest = self.rest[:1] + [change(line) for line in self.rest[1:]]

    def joined(self) -> str:
        """The file's text now, with '\\n' line ends."""
        return "\n".join([self.opening, *self.fields, *self.rest])

    def encode(self, text: str) -> bytes:
        """`text` (this file's, edited further) as bytes with the file's own line ends."""
        return _encode_like(text, self.original)

    def encoded(self) -> bytes:
        """The file as bytes now, with its own line ends."""
        return self.encode(self.joined())
