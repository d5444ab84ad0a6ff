"""Checks across files (refs, people, priorities): collects every issue and changes nothing."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from .hints import RULES, rating_hint, unregistered_person
from .issues import Issue, warning
from .load import Value, YamlMapping, YamlSequence, load_file
from .model import Action, Kpi, Lifecycle, Plan, RatingScale
from .records import SignOffRecord

_REF = re.compile(r"^\d+\.\d+$")
# carried_forward_from: last year's plan and the action's ref there, '2017/18 4.2'.
_CARRIED_FROM = re.compile(r"^[0-9]{4}/[0-9]{2} [0-9]+\.[0-9]+$")


def validate(plan: Plan) -> list[Issue]:
    """Return every cross-reference problem in the plan; an empty list means it can be built."""
    issues: list[Issue] = []
    _check_areas(plan, issues)
    _check_actions(plan, issues)
    seen: dict[int, str] = {}
    for rec in plan.recommendations:
        if rec.number in seen:
            issues.append(Issue(rec.origin.path, rec.origin.line_of("number"), f"number {rec.number} is also used by {seen[rec.number]}; give each topic its own number"))
        seen.setdefault(rec.number, rec.origin.path)
    priority_numbers = {p.number for p in plan.priorities}
    for kpi in plan.kpis:
        if kpi.priority is not None and plan.priorities and kpi.priority not in priority_numbers:
            issues.append(Issue(kpi.origin.path, kpi.origin.line_of("priority"), f"priority {kpi.priority} is not in priorities.yaml; use one of {sorted(priority_numbers)}"))
        _check_kpi_values(kpi, issues)
    return issues


def _check_kpi_values(kpi: Kpi, issues: list[Issue]) -> None:
    """A KPI's values per period must end with its current value and name each period once.

    The chart and the table would otherwise show two different figures for the same measure."""
    if not kpi.values:
        return
    line = kpi.origin.line_of("values")
    last = kpi.values[-1]
    if last.value != kpi.current.value:
        issues.append(Issue(kpi.origin.path, line, f"the last of 'values' is {_as_typed(last.value)} but 'current' is {_as_typed(kpi.current.value)}; list the periods oldest first, ending with the current one"))
    if kpi.baseline is not None and all(m.value != kpi.baseline.value for m in kpi.values[:-1]):
        issues.append(Issue(kpi.origin.path, line, f"'values' does not hold the comparison value {_as_typed(kpi.baseline.value)} ('baseline'); add its period to 'values' or correct 'baseline'"))
    seen: set[str] = set()
    for measurement in kpi.values:
        if measurement.label in seen:
            issues.append(Issue(kpi.origin.path, line, f"'values' names the period '{measurement.label}' twice; give each period once"))
        seen.add(measurement.label)


def _check_key_aims(plan: Plan, action: Action, issues: list[Issue]) -> None:
    """Every key aim an action names must be one of priorities.yaml's aims; one of a priority the action
    does not list is probably a slip (warning)."""
    owner = {aim.ref: priority.number for priority in plan.priorities for aim in priority.aims}
    known = list(owner)
    line = action.origin.line_of("key_aims")
    for ref in action.key_aims:
        if ref not in owner:
            close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            issues.append(Issue(action.origin.path, line, f"key aim {ref} is not in priorities.yaml; write the aim's ref in quotes as listed there, e.g. key_aims: [\"1.4\"]{hint}"))
        elif owner[ref] not in action.priorities:
            issues.append(warning(action.origin.path, line, f"key aim {ref} is an aim of strategic priority {owner[ref]}, which 'priorities' does not list; add {owner[ref]} to priorities or correct the key aim"))


def _check_areas(plan: Plan, issues: list[Issue]) -> None:
    seen: dict[int, str] = {}
    for area in plan.areas:
        if area.number in seen:
            issues.append(Issue(area.origin.path, area.origin.line_of("number"), f"business area {area.number} is also {seen[area.number]}; renumber one of them"))
        seen.setdefault(area.number, area.origin.path)


def _check_actions(plan: Plan, issues: list[Issue]) -> None:
    by_ref: dict[str, Action] = {}
    for action in plan.actions:
        if action.ref in by_ref:
            issues.append(Issue(action.origin.path, action.origin.line_of("ref"), f"ref {action.ref} is also used by {by_ref[action.ref].origin.path}; each action needs its own ref"))
        by_ref.setdefault(action.ref, action)
    registered = {p.initials: (p.name, p.role) for p in plan.people}
    priority_numbers = {p.number for p in plan.priorities}
    for action in plan.actions:
        line = action.origin.line_of
        for key, initials_list in (("sponsor", action.sponsor), ("lead", action.lead)):
            hint = RULES[("action", key)].unregistered or unregistered_person
            for initials in initials_list:
                if initials not in registered:
                    issues.append(Issue(action.origin.path, line(key), hint(key, initials, initials_list, registered)))
        for number in action.priorities:
            if number not in priority_numbers:
                known = ", ".join(str(n) for n in sorted(priority_numbers)) or "none listed"
                issues.append(Issue(action.origin.path, line("priorities"), f"strategic priority {number} is not in priorities.yaml (known: {known}); correct the number"))
        for ref in action.superseded_by:
            if ref == action.ref:
                issues.append(Issue(action.origin.path, line("superseded_by"), "an action cannot be superseded by itself; name the replacement action's ref"))
            elif ref not in by_ref:
                issues.append(Issue(action.origin.path, line("superseded_by"), f"superseded_by names action {ref}, which is not in the plan; add {ref}.md or correct the ref"))
            elif by_ref[ref].lifecycle != Lifecycle.ACTIVE:
                issues.append(Issue(action.origin.path, line("superseded_by"), f"the replacement action {ref} is itself {by_ref[ref].lifecycle}; point to the action that replaced it"))
            elif by_ref[ref].restricted and not action.restricted:
                issues.append(Issue(action.origin.path, line("superseded_by"), f"the replacement action {ref} is restricted, so the public report could not show it; make this action restricted too, or its replacement public"))
        _check_rating(plan, action, issues)
        _check_overdue(plan, action, issues)
        _check_key_aims(plan, action, issues)
        if action.carried_forward and not _REF.match(action.carried_forward):
            issues.append(Issue(action.origin.path, line("carried_forward"), f"carried_forward '{action.carried_forward}' is not a ref; write the next plan's action ref in quotes, e.g. \"1.2\""))
        if action.carried_forward_from and not _CARRIED_FROM.match(action.carried_forward_from):
            issues.append(Issue(action.origin.path, line("carried_forward_from"),
                                f"carried_forward_from '{action.carried_forward_from}' is not last year's plan and ref; "
                                "write the year and the ref there in quotes, e.g. \"2017/18 4.2\""))


def _check_rating(plan: Plan, action: Action, issues: list[Issue]) -> None:
    """An action's `rag` must be one of the office's ratings (plan.md's `ratings`, or the default scale).

    Checked here, not when the action file is read: an action file is read once per git blob, whatever
    plan.md says, so only the whole plan knows its scale."""
    if action.rag is None or plan.ratings.get(action.rag) is not None:
        return
    issues.append(Issue(action.origin.path, action.origin.line_of("rag"), unknown_rating(action.rag, plan.ratings)))


def unknown_rating(typed: str, ratings: RatingScale) -> str:
    """The message for a rag that is not on the scale: the line to type when it is clear (hints.rating_hint: 'G',
    'Green (C)'), else the likely rating (by its id or its label) when there is one."""
    labels = {rating.id: rating.label for rating in ratings.ratings}
    complete = next((rating.id for rating in ratings.ratings if rating.complete), None)
    hinted = rating_hint(typed, ratings.ids, labels, complete)
    if hinted is not None:
        return hinted
    by_name = {rating.id: rating.id for rating in ratings.ratings}
    by_name.update({" ".join(rating.label.lower().split()): rating.id for rating in ratings.ratings})
    close = difflib.get_close_matches(" ".join(typed.lower().split()), list(by_name), n=1, cutoff=0.6)
    hint = f"; did you mean '{by_name[close[0]]}'?" if close else ""
    return (f"rag '{typed}' is not one of this plan's ratings ({', '.join(ratings.ids)}); write one of them, or leave "
            f"'rag' out when not assessed{hint}")


def _check_overdue(plan: Plan, action: Action, issues: list[Issue]) -> None:
    """Warn when an active action's due month ended before the as-at date and it is not marked complete."""
    if action.due is not None and action.is_overdue(plan.snapshot.as_at, plan.ratings):
        issues.append(warning(action.origin.path, action.origin.line_of("due"),
                              f"due {action.due.raw} has passed and the action is not complete; update the rag, the due date or the status"))


def _as_typed(value: float) -> str:
    """A number as content writes it in YAML (5009, 23.5): messages quote the file, not the report."""
    return str(int(value)) if value == int(value) else repr(value)


# The cover report's file in the content folder.
COVER_FILE = "cover_report.md"
# A date as a cover report or a record writes it: '31^st^ March 2017', '24 Mar 2017', '2017-03-31', '31/03/2017'.
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_IN_WORDS = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
    r"\.?,?\s+(?P<year>\d{4})\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_DATE_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b")


def date_in_text(text: str) -> dt.date | None:
    """The first date written in `text` (superscript marks '^' ignored; numeric dates day first), or None."""
    plain = text.replace("^", "")
    found: list[tuple[int, dt.date]] = []
    for pattern in (_DATE_IN_WORDS, _DATE_ISO, _DATE_NUMERIC):
        for match in pattern.finditer(plain):
            month = match.group("month")
            number = _MONTH_NAMES.index(month[:3].lower()) + 1 if month[:3].lower() in _MONTH_NAMES else int(month)
            try:
                found.append((match.start(), dt.date(int(match.group("year")), number, int(match.group("day")))))
            except ValueError:
                continue  # not a day of the calendar ('31 February 2017'): not a date to check
            break
    return min(found)[1] if found else None


def stale_cover_dates(path: str, raw: bytes, previous: SignOffRecord) -> list[Issue]:
    """Warnings for a cover report still dated for the last report: a meeting not after the last report's
    meeting (or its date), or a chief officer's approval dated on or before the last report's date.

    `raw` is content/cover_report.md as built (read again here for the line of each date); `previous` is
    the record of the latest report before this one."""
    loaded = load_file(path, raw, [])
    meta = loaded.meta if loaded is not None else None
    if meta is None:
        return []
    issues: list[Issue] = []
    stale = "so the cover report has not been updated for this report"
    last = f"the last report (as at {previous.as_at.isoformat()}"
    fix_meeting = "write the meeting this report goes to (or end the line with 'on' to leave its date blank)"
    meeting = meta.get("meeting")
    meeting_date = date_in_text(meeting.text()) if isinstance(meeting, Value) else None
    if isinstance(meeting, Value) and meeting_date is not None:
        typed = _as_shown(meeting.text())
        previous_meeting = date_in_text(previous.meeting)
        if previous_meeting is not None and previous_meeting > previous.as_at and meeting_date <= previous_meeting:
            issues.append(warning(path, meeting.line, f"meeting '{typed}' is not after the meeting of {last}: "
                                                      f"{previous.meeting}), {stale}; {fix_meeting}"))
        elif meeting_date <= previous.as_at:
            issues.append(warning(path, meeting.line, f"meeting '{typed}' is dated on or before {last}), {stale}; "
                                                      f"{fix_meeting}"))
    chiefs = meta.get("chief_officers")
    for entry in chiefs.items if isinstance(chiefs, YamlSequence) else []:
        if not isinstance(entry, YamlMapping):
            continue
        date, officer = entry.get("date"), entry.get("officer")
        approved = date_in_text(date.text()) if isinstance(date, Value) else None
        if isinstance(date, Value) and approved is not None and approved <= previous.as_at:
            who = f"the {officer.text()}'s" if isinstance(officer, Value) and officer.text() else "this"
            issues.append(warning(path, date.line, (
                f"{who} approval is dated {_as_shown(date.text())}, on or before {last}), {stale}; write the date "
                "this report was approved (or date: \"\" to leave it blank)")))
    return issues


def _as_shown(typed: str) -> str:
    """A date as typed, without the superscript marks: '31^st^ March 2017' -> '31st March 2017'."""
    return typed.replace("^", "").strip()


_ACTION_FILE = re.compile(r"^business_areas/[^/]+/([0-9]+\.[0-9]+)\.md$")


def deleted_actions(main_paths: set[str], files: dict[str, bytes], display_root: str) -> list[Issue]:
    """Action files on main that the version being checked no longer has (under any area): an error each.

    Actions are retired, never deleted, so the plan's history and every report can follow them; a file
    moved to another area keeps its ref and is not counted here (its area number is checked elsewhere)."""
    present = {match.group(1) for path in files if (match := _ACTION_FILE.match(path))}
    issues = []
    for path in sorted(main_paths):
        match = _ACTION_FILE.match(path)
        if match is None or match.group(1) in present:
            continue
        ref = match.group(1)
        shown = f"{display_root}/{path}" if display_root else path
        issues.append(Issue(shown, 1, f"action {ref} has been deleted, but an action is never deleted (its history and "
                                      "the reports that named it must be able to follow it): put the file back "
                                      f"(git checkout main -- {shown}) and retire the action with 'status: deleted', "
                                      "or 'status: superseded' and 'superseded_by: [\"<ref>\"]'"))
    return issues
