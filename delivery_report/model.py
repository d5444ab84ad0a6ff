"""The plan as frozen dataclasses: what every renderer reads, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from types import MappingProxyType
from typing import NoReturn, TypeVar

# --- closed vocabularies -----------------------------------------------------------------------


class Word(str, Enum):
    """A word of a closed vocabulary: it equals, hashes, prints and serialises as its value (the word
    content writes), so a data attribute, the JSON and a dict keyed by the plain word all see 'red'."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)


# --- the rating scale --------------------------------------------------------------------------

# An action with no `rag` is 'not assessed': a fixed state outside every scale, counted and filtered under this id.
NOT_ASSESSED = "none"
# An action's rating at the last report when it was added since: 'new'.
NEW = "new"
# Ids no scale may use: they name the two fixed states above.
RESERVED_RATING_IDS = (NOT_ASSESSED, NEW)


@dataclass(frozen=True, slots=True)
class Rating:
    """One rating of the office's scale (plan.md's `ratings`): what actions write (`rag: <id>`), the word the
    report prints, the fill of its cells (6 hex digits, upper case) and what it means (the cover's RAG key).

    `complete`: the rating says the action is done (not overdue, counted as complete, not carried into a new
    year). `not_started`: not yet due to start, off the better-or-worse line (no direction of travel)."""

    id: str
    label: str
    colour: str
    meaning: str
    complete: bool = False
    not_started: bool = False


@dataclass(frozen=True, slots=True)
class RatingScale:
    """The office's ratings, worst to best, as plan.md lists them (or the default scale).

    Every list of ratings follows from this one order: count columns and filters go worst to best (then
    'not assessed'); the RAG key goes best first (the ordinary ratings, then not-started, then complete ones);
    direction of travel ranks by position, with not-started ratings off the line and complete ones best."""

    ratings: tuple[Rating, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids content may write, worst to best."""
        return tuple(r.id for r in self.ratings)

    @property
    def with_not_assessed(self) -> tuple[str, ...]:
        """Every state an action can be in, in the order of count columns and filters: the scale, then 'none'."""
        return (*self.ids, NOT_ASSESSED)

    def get(self, rating_id: str | None) -> Rating | None:
        """The rating with this id; None for 'not assessed' or an id not on the scale."""
        return next((r for r in self.ratings if r.id == rating_id), None) if rating_id else None

    def is_complete(self, rating_id: str | None) -> bool:
        """True when the id is one of the scale's complete ratings."""
        found = self.get(rating_id)
        return found is not None and found.complete

    def rank(self, rating_id: str | None) -> tuple[bool, int] | None:
        """Where a rating stands on the better-or-worse line (greater is better): complete ratings are best,
        then position worst to best; None off the line (not started, not assessed, not on the scale)."""
        for position, rating in enumerate(self.ratings):
            if rating.id == rating_id:
                return None if rating.not_started else (rating.complete, position)
        return None

    @property
    def key_order(self) -> tuple[Rating, ...]:
        """The RAG key's rows: the ordinary ratings best first, then the not-started ones, then the complete ones
        (best first): for the default scale Green, Amber, Red, White, Complete."""
        ordinary = [r for r in self.ratings if not r.complete and not r.not_started]
        not_started = [r for r in self.ratings if r.not_started and not r.complete]
        complete = [r for r in self.ratings if r.complete]
        return (*reversed(ordinary), *not_started, *reversed(complete))


# Today's scale, the one a plan.md without `ratings` uses: the only place its words, colours and meanings are written.
DEFAULT_SCALE = RatingScale((
    Rating("red", "Red", "C00000",
           "Action significantly delayed or at severe risk of failure or Outcome unsuccessful"),
    Rating("amber", "Amber", "FFC000", "Action not on track or at risk or Outcome less than satisfactory"),
    Rating("green", "Green", "00B050", "Action on track or Action successfully completed"),
    Rating("white", "White", "FFFFFF", "Action not yet due to commence", not_started=True),
    Rating("complete", "Complete", "00B050", "Action completed (shown as \"(C)\" in earlier reports)",
           complete=True),
))


class Lifecycle(Word):
    """Where an action stands in the plan (its `status` field)."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    DELETED = "deleted"


class Responder(Word):
    """Who gave a progress update on a Panel recommendation."""

    PANEL = "panel"
    PCC = "pcc"
    CHIEF_CONSTABLE = "chief_constable"


class Unit(Word):
    """What a performance measure counts."""

    COUNT = "count"
    PERCENT = "percent"


class Better(Word):
    """Which way a performance measure improves."""

    HIGHER = "higher"
    LOWER = "lower"


class Trend(Word):
    """How a performance measure moved from its comparison value, judged by `Better`."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    UNCHANGED = "unchanged"


W = TypeVar("W", bound=Word)
T = TypeVar("T")


def for_every(vocabulary: type[W], values: dict[W, T]) -> Mapping[W, T]:
    """`values` (words, colours, ...) for every member of a vocabulary, checked when the module loads.

    A member added to a vocabulary without its entry stops the package from importing, naming what is
    missing: there is no fallback that would print the bare value."""
    missing = [member.name for member in vocabulary if member not in values]
    if missing:
        raise TypeError(f"{vocabulary.__name__} has no entry for {', '.join(missing)}")
    return MappingProxyType(values)


def unreachable(value: NoReturn) -> NoReturn:
    """Ends a `match` over a vocabulary: mypy reports a member without its own case as an error here."""
    raise AssertionError(f"no case for {value!r}")


LIFECYCLES = tuple(Lifecycle)


# --- rich text (parsed Markdown) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with inline formatting; `action_ref` marks an internal link to an action."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False
    href: str | None = None
    action_ref: str | None = None

    def formatting(self) -> tuple[bool, bool, bool, bool, str | None, str | None]:
        """Everything but the text: neighbouring spans with the same formatting can be merged."""
        return (self.bold, self.italic, self.underline, self.superscript, self.href, self.action_ref)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of spans."""

    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a Markdown body (level 1-6)."""

    level: int
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list; holds paragraphs and nested lists."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet list (ordered=False) or a numbered list starting at `start`."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A block-level placeholder such as {rag_key}, filled in by the renderer from the model."""

    name: str


@dataclass(frozen=True, slots=True)
class RestrictedBlock:
    """Blocks fenced `::: restricted` ... `:::` in a body: Part 2 / exempt, shown only in the restricted copy."""

    blocks: tuple[Block, ...]


Block = Paragraph | Heading | ListBlock | Placeholder | RestrictedBlock
RichText = tuple[Block, ...]


def plain_text(blocks: RichText) -> str:
    """Return the text of rich text without formatting, blocks separated by newlines."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            out.append("".join(s.text for s in block.spans))
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.append(plain_text(item.blocks))
        elif isinstance(block, Placeholder):
            out.append("{" + block.name + "}")
    return "\n".join(out)


def outline_text(blocks: RichText, indent: str = "") -> str:
    """Rich text as lines of plain text that keep its shape: a list item starts '- ' (or '1. '), nested lists
    are indented; formatting marks are left out. For showing old and new versions side by side."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            lines.append(indent + "".join(s.text for s in block.spans))
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, block.start):
                marker = f"{number}. " if block.ordered else "- "
                inner = outline_text(item.blocks, indent + " " * len(marker)).split("\n")
                lines.append(indent + marker + inner[0].lstrip() if inner and inner[0] else indent + marker.rstrip())
                lines.extend(line for line in inner[1:] if line)
        elif isinstance(block, Placeholder):
            lines.append(indent + "{" + block.name + "}")
    return "\n".join(lines)


NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d+(?:\.\d+)*)\s+")


def is_numbered_paragraph_list(block: object) -> bool:
    """True for a bullet list whose items all start with a typed number such as '1.4': numbered paragraphs, no bullets."""
    if not isinstance(block, ListBlock) or block.ordered or not block.items:
        return False
    for item in block.items:
        first = item.blocks[0] if item.blocks else None
        if not isinstance(first, Paragraph) or not first.spans or not NUMBERED_PARAGRAPH.match(first.spans[0].text):
            return False
    return True


# --- where things came from ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """The content file (path relative to the repository or content root) and field lines."""

    path: str
    line: int = 1
    field_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, name: str) -> int:
        """Return the line of a front-matter field, or the file's first line."""
        for key, line in self.field_lines:
            if key == name:
                return line
        return self.line


# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """An entry of the people register: initials with a name and role where a source gives them."""

    initials: str
    name: str = ""
    role: str = ""
    origin: Origin = Origin("")
    # GitHub user name (without @), for .github/CODEOWNERS: pull requests on their areas ask them to review.
    github: str = ""


@dataclass(frozen=True, slots=True)
class KeyAim:
    """A key aim of a strategic priority, cited as e.g. 1.2."""

    ref: str
    text: RichText


@dataclass(frozen=True, slots=True)
class Priority:
    """A strategic priority of the Police and Crime Plan."""

    number: int
    title: str
    aims: tuple[KeyAim, ...] = ()


@dataclass(frozen=True, slots=True)
class Due:
    """A due date: a month (`year`, `month`) or a word such as Ongoing."""

    raw: str
    year: int | None = None
    month: int | None = None

    def ended_before(self, day: dt.date) -> bool:
        """True when the due month ended before `day` (False for a due date without a month)."""
        if self.year is None or self.month is None:
            return False
        return (self.year, self.month) < (day.year, day.month)


@dataclass(frozen=True, slots=True)
class Action:
    """One action of the delivery plan (one file under content/business_areas/)."""

    ref: str
    area_number: int
    text: RichText
    priorities: tuple[int, ...] = ()
    due: Due | None = None
    sponsor: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    # The rating's id on the office's scale (plan.md's `ratings`; validate checks it is one); None: not assessed.
    rag: str | None = None
    lifecycle: Lifecycle = Lifecycle.ACTIVE
    superseded_by: tuple[str, ...] = ()
    carried_forward: str | None = None
    # Where a continued action came from: last year's plan and its ref there, '2017/18 4.2' (new-year writes it).
    carried_forward_from: str | None = None
    restricted: bool = False
    status: RichText = ()
    origin: Origin = Origin("")
    # Key aims of the Police and Crime Plan the action serves, as refs such as '1.4' (priorities.yaml).
    key_aims: tuple[str, ...] = ()

    @property
    def rag_key(self) -> str:
        """The rating's id, or NOT_ASSESSED ('none') when none is given."""
        return self.rag or NOT_ASSESSED

    def is_overdue(self, as_at: dt.date, ratings: RatingScale) -> bool:
        """An active action, not complete on the plan's scale nor carried forward, whose due month ended before
        the as-at date.

        A carried-forward action goes on in next year's plan. Validation warns of these; the report flags them."""
        if self.lifecycle != Lifecycle.ACTIVE or ratings.is_complete(self.rag) or self.carried_forward:
            return False
        return self.due is not None and self.due.ended_before(as_at)


@dataclass(frozen=True, slots=True)
class BusinessArea:
    """A business area: one table of the delivery plan."""

    number: int
    title: str
    slug: str
    intro: RichText = ()
    actions: tuple[Action, ...] = ()
    restricted: bool = False
    origin: Origin = Origin("")

    @property
    def uses_priorities(self) -> bool:
        """True when any action links to a strategic priority (so the column is shown)."""
        return any(a.priorities for a in self.actions)


@dataclass(frozen=True, slots=True)
class Response:
    """A progress update on a Panel recommendation, by the Panel, the PCC or the Chief Constable."""

    by: Responder
    text: RichText


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A topic of the Panel's recommendation-monitoring table."""

    number: int
    topic: str
    recommendation: RichText
    responses: tuple[Response, ...] = ()
    assessment: RichText = ()
    restricted: bool = False
    origin: Origin = Origin("")


@dataclass(frozen=True, slots=True)
class Measurement:
    """A labelled KPI value."""

    label: str
    value: float


@dataclass(frozen=True, slots=True)
class Kpi:
    """A performance measure with a baseline, a current value and commentary."""

    slug: str
    title: str
    period: str
    unit: Unit
    better: Better
    current: Measurement
    baseline: Measurement | None = None
    target: float | None = None
    owner: str = ""
    priority: int | None = None
    commentary: RichText = ()
    restricted: bool = False
    origin: Origin = Origin("")
    # Values per period, oldest first, for the trend chart (optional; ends with the current value).
    values: tuple[Measurement, ...] = ()

    @property
    def series(self) -> tuple[Measurement, ...]:
        """The values the trend chart shows: `values` when given, else the comparison and current value."""
        if self.values:
            return self.values
        return ((self.baseline,) if self.baseline is not None else ()) + (self.current,)

    @property
    def change(self) -> float | None:
        """Current minus comparison value (percentage points for a percent measure); None without a comparison."""
        if self.baseline is None:
            return None
        return round(self.current.value - self.baseline.value, 6)

    @property
    def percent_change(self) -> float | None:
        """The change as a percentage of the comparison value; None without one, or when it is zero."""
        if self.baseline is None or self.baseline.value == 0:
            return None
        return round((self.current.value - self.baseline.value) / abs(self.baseline.value) * 100, 6)

    @property
    def target_met(self) -> bool | None:
        """True when the current value meets the target (judged by `better`); None without a target."""
        if self.target is None:
            return None
        if self.better == Better.LOWER:
            return self.current.value <= self.target
        return self.current.value >= self.target

    @property
    def direction(self) -> Trend | None:
        """Improving, worsening or unchanged compared with the baseline (None without one)."""
        if self.baseline is None:
            return None
        if self.current.value == self.baseline.value:
            return Trend.UNCHANGED
        went_up = self.current.value > self.baseline.value
        return Trend.IMPROVING if went_up == (self.better == Better.HIGHER) else Trend.WORSENING


@dataclass(frozen=True, slots=True)
class SignOff:
    """A row of the officers' sign-off table of the cover report."""

    heading: str
    advice: RichText
    officer: str


@dataclass(frozen=True, slots=True)
class ChiefOfficerApproval:
    """A statutory chief officer's approval line; an empty date prints a blank to fill in."""

    officer: str
    date: str = ""


@dataclass(frozen=True, slots=True)
class CoverReport:
    """The Level 1 cover report that presents the plan to a meeting."""

    heading: str
    report_type: str
    meeting: str
    title: str
    executive_summary: RichText
    recommendation: RichText
    sections: RichText
    sign_off: tuple[SignOff, ...] = ()
    chief_officers: tuple[ChiefOfficerApproval, ...] = ()
    publication_deferred: bool = False
    background_papers: RichText = ()
    origin: Origin = Origin("")

    @property
    def meeting_needs_blank(self) -> bool:
        """True when the meeting line is empty or ends with 'on': a line is printed for officers to fill in."""
        text = self.meeting.strip()
        return not text or re.search(r"\bon$", text, re.IGNORECASE) is not None

    @property
    def last_section_number(self) -> int | None:
        """The number of the body's last numbered heading ('4 Financial implications' -> 4), if any."""
        last: int | None = None
        for block in self.sections:
            if isinstance(block, Heading):
                match = re.match(r"^\s*(\d+)\b", "".join(s.text for s in block.spans))
                if match:
                    last = int(match.group(1))
        return last


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Which content the report was built from: a commit as at a date, or the working tree."""

    as_at: dt.date
    commit: str | None = None
    committed_at: dt.datetime | None = None
    draft: bool = False
    # The content still holds a template's placeholders (unfinished.py): a working-tree build shows them, marked DRAFT.
    unfinished: bool = False
    # True only for the internal copy built with --restricted (everything, marked not for publication).
    restricted_copy: bool = False

    @property
    def label(self) -> str:
        """The as-at date as it appears in file names (YYYY-MM-DD)."""
        return self.as_at.isoformat()


class PlanColumn(Word):
    """A column of the delivery-plan table an office may leave out (plan.md `columns`), in the table's order."""

    PRIORITIES = "priorities"
    DUE = "due"
    SPONSOR = "sponsor"
    LEAD = "lead"


# A phrase of the office's words names these as {name}: the plan's own details and the words naming things.
WORD_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PLAN_VALUE_NAMES = ("organisation", "short_name", "police_and_crime_plan")
NAMING_WORDS = ("area", "areas", "commissioner", "commissioner_short")


@dataclass(frozen=True, slots=True)
class OfficeWords:
    """The office's own words for what the report prints (plan.md `words`), each placeholder filled in.

    The defaults are Thames Valley's wording, written once: as `default`s in schemas/plan.schema.json."""

    area: str
    areas: str
    commissioner: str
    commissioner_short: str
    plan_name: str
    areas_introduction: str
    activity_heading: str
    alignment_heading: str
    recommendations_heading: str
    chief_officers_approval: str
    public_access: str
    ref_column: str
    action_column: str
    priorities_column: str
    due_column: str
    sponsor_column: str
    lead_column: str
    status_column: str
    rag_column: str

    @classmethod
    def of(cls, given: Mapping[str, str], defaults: Mapping[str, str], plan_values: Mapping[str, str]) -> OfficeWords:
        """Each word as the office gives it, or its default, with {organisation}, {area}... filled in from
        `plan_values` and the naming words. A name that is neither stays as typed (the reader reports it)."""
        chosen = {name.name: given.get(name.name) or defaults[name.name] for name in dataclasses.fields(cls)}
        values = {**plan_values, **{name: chosen[name] for name in NAMING_WORDS}}

        def fill(text: str) -> str:
            return WORD_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

        return cls(**{name: text if name in NAMING_WORDS else fill(text) for name, text in chosen.items()})

    @property
    def area_lower(self) -> str:
        """The area word inside a sentence: 'by business area'."""
        return self.area.lower()


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """The plan's own details from content/plan.md."""

    title: str
    organisation: str
    period: str
    police_and_crime_plan: str
    next_plan: str = ""
    intro: RichText = ()
    short_name: str = ""
    words: OfficeWords = dataclasses.field(kw_only=True)
    # The optional columns of the delivery-plan table that show (all of them unless plan.md says otherwise).
    columns: tuple[PlanColumn, ...] = dataclasses.field(default=tuple(PlanColumn), kw_only=True)


@dataclass(frozen=True)
class Plan:
    """Everything a report is built from."""

    info: PlanInfo
    snapshot: Snapshot
    people: tuple[Person, ...] = ()
    priorities: tuple[Priority, ...] = ()
    areas: tuple[BusinessArea, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    cover: CoverReport | None = None
    has_restricted: bool = False
    # The office's rating scale (plan.md's `ratings`), or the default one.
    ratings: RatingScale = DEFAULT_SCALE

    @cached_property
    def actions(self) -> tuple[Action, ...]:
        """All actions, area by area, in natural ref order."""
        return tuple(a for area in self.areas for a in area.actions)

    @cached_property
    def _actions_by_ref(self) -> dict[str, Action]:
        return {a.ref: a for a in reversed(self.actions)}

    @cached_property
    def _people_by_initials(self) -> dict[str, Person]:
        return {p.initials: p for p in reversed(self.people)}

    def action(self, ref: str) -> Action | None:
        """Return the action with this ref, or None."""
        return self._actions_by_ref.get(ref)

    def person(self, initials: str) -> Person | None:
        """Return the register entry for these initials, or None."""
        return self._people_by_initials.get(initials)

    def public(self) -> Plan:
        """Return the plan without anything restricted (Part 2 / exempt): the only input to public outputs."""
        # Worked out once per plan: the build, its change summary and the exports all ask for it.
        return self._public

    @cached_property
    def _public(self) -> Plan:
        public_refs = {a.ref for area in self.areas for a in area.actions if is_public(a, area.restricted)}
        areas = tuple(
            dataclasses.replace(
                area,
                intro=without_restricted(area.intro, public_refs),
                actions=tuple(
                    shown for shown in (public_action(a, area.restricted, public_refs) for a in area.actions) if shown
                ),
            )
            for area in self.areas
            if not area.restricted
        )
        return dataclasses.replace(
            self,
            info=dataclasses.replace(self.info, intro=without_restricted(self.info.intro, public_refs)),
            priorities=tuple(
                dataclasses.replace(p, aims=tuple(
                    dataclasses.replace(aim, text=without_restricted(aim.text, public_refs)) for aim in p.aims))
                for p in self.priorities
            ),
            areas=areas,
            recommendations=tuple(
                _public_recommendation(r, public_refs) for r in self.recommendations if not r.restricted
            ),
            kpis=tuple(
                dataclasses.replace(k, commentary=without_restricted(k.commentary, public_refs))
                for k in self.kpis if not k.restricted
            ),
            cover=_public_cover(self.cover, public_refs) if self.cover is not None else None,
        )


def is_public(action: Action, area_restricted: bool) -> bool:
    """The rule for an action as a whole: public unless it, or its business area, is restricted."""
    return not (action.restricted or area_restricted)


def public_action(action: Action, area_restricted: bool, public_refs: set[str]) -> Action | None:
    """The action as a public output may show it, or None when it is restricted as a whole: the one rule that
    Plan.public() applies to every action, and the audit applies to every version of one.

    Restricted blocks are taken out of its texts, and refs of actions that are not public are dropped, so
    nothing names a restricted action."""
    if not is_public(action, area_restricted):
        return None
    kept = tuple(r for r in action.superseded_by if r in public_refs)
    text = without_restricted(action.text, public_refs)
    status = without_restricted(action.status, public_refs)
    if kept == action.superseded_by and text is action.text and status is action.status:
        return action  # nothing to take out (most actions): the same immutable value
    return dataclasses.replace(action, superseded_by=kept, text=text, status=status)


def without_restricted(blocks: RichText, public_refs: set[str]) -> RichText:
    """Rich text with every '::: restricted' block taken out, at any depth, leaving no trace.

    A list item left empty is dropped (so an ordered list renumbers without a gap), a list left empty
    too; links to actions that are not public become plain text. Text with nothing to take out comes
    back as the same (immutable) tuple, not a copy: that is most text, and copying it was most of the cost.
    """
    out: list[Block] = []
    changed = False
    for block in blocks:
        if isinstance(block, RestrictedBlock):
            changed = True
            continue
        if isinstance(block, ListBlock):
            kept_items: list[ListItem] = []
            items_changed = False
            for item in block.items:
                inner = without_restricted(item.blocks, public_refs)
                if not inner:
                    items_changed = True  # an empty item is dropped, whether or not it was empty before
                elif inner is not item.blocks:
                    items_changed = True
                    kept_items.append(ListItem(inner))
                else:
                    kept_items.append(item)
            if not items_changed:
                out.append(block)
                continue
            changed = True
            if kept_items:
                out.append(dataclasses.replace(block, items=tuple(kept_items)))
        elif isinstance(block, (Paragraph, Heading)):
            if any(s.action_ref and s.action_ref not in public_refs for s in block.spans):
                spans = tuple(
                    dataclasses.replace(s, action_ref=None) if s.action_ref not in public_refs else s
                    for s in block.spans
                )
                block = dataclasses.replace(block, spans=spans)
                changed = True
            out.append(block)
        else:
            out.append(block)
    return blocks if not changed and isinstance(blocks, tuple) else tuple(out)


def _public_recommendation(rec: Recommendation, public_refs: set[str]) -> Recommendation:
    """A recommendation topic without its restricted blocks; a response that was all restricted is dropped."""
    responses = tuple(
        dataclasses.replace(r, text=without_restricted(r.text, public_refs)) for r in rec.responses
    )
    return dataclasses.replace(
        rec,
        recommendation=without_restricted(rec.recommendation, public_refs),
        responses=tuple(r for r, original in zip(responses, rec.responses) if r.text or not original.text),
        assessment=without_restricted(rec.assessment, public_refs),
    )


def _public_cover(cover: CoverReport, public_refs: set[str]) -> CoverReport:
    """The cover report without its restricted blocks."""
    return dataclasses.replace(
        cover,
        executive_summary=without_restricted(cover.executive_summary, public_refs),
        recommendation=without_restricted(cover.recommendation, public_refs),
        sections=without_restricted(cover.sections, public_refs),
        background_papers=without_restricted(cover.background_papers, public_refs),
        sign_off=tuple(dataclasses.replace(s, advice=without_restricted(s.advice, public_refs)) for s in cover.sign_off),
    )


# --- ordering refs, and the cover report's placeholders --------------------------------------

_NATURAL_PART = re.compile(r"(\d+)")


# A plan year as plan.md's `period` writes it: 2017/18.
_PLAN_YEAR = re.compile(r"^([0-9]{4})/([0-9]{2})$")


def following_year(period: str) -> str | None:
    """'2017/18' -> '2018/19'; None for a period not written YYYY/YY (or whose two years do not follow)."""
    match = _PLAN_YEAR.match(period)
    if match is None:
        return None
    first = int(match.group(1))
    if (first + 1) % 100 != int(match.group(2)):
        return None
    return f"{first + 1}/{(first + 2) % 100:02d}"


def natural_key(ref: str) -> tuple[int | str, ...]:
    """Sort key that puts 1.2 before 1.10."""
    return tuple(int(p) if p.isdigit() else p for p in _NATURAL_PART.split(ref) if p)


# Placeholders the cover report may use (filled by the layout); anywhere else one is a content error.
INLINE_PLACEHOLDERS = ("business_area_count", "action_count", "as_at")
BLOCK_PLACEHOLDERS = ("business_area_list", "rag_key")
