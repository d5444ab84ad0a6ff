"""What a pull request changes in the public report, as Markdown for the GitHub job summary.

Pure functions of two Plans (no git, no printing): `delivery-report pr-summary` reads the base and head
versions and prints the result. Only the public versions are compared, because the summary is shown
on a public pull-request page.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable
from typing import Any

from .changes import ChangeItem, ChangeKind, compare
from .issues import Issue
from .layout.wording import KIND_HEADINGS, change_values, short_title
from .model import BusinessArea, Plan, RatingScale, for_every, natural_key, unreachable

# Characters Markdown (or GitHub: '@' mentions, '#' issue links) would read as formatting.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~@])")
# How many problems the summary lists before saying how many more there are.
MAX_PROBLEMS_SHOWN = 30
# What the table calls one change of each kind (KIND_HEADINGS are the report's plural section headings).
_ROW_LABELS = for_every(ChangeKind, {
    ChangeKind.NEW: "New action", ChangeKind.COMPLETED: "Completed", ChangeKind.RAG_MOVED: "R/A/G moved",
    ChangeKind.DUE_MOVED: "Due date moved", ChangeKind.SPONSOR_CHANGED: "Sponsor changed",
    ChangeKind.LEAD_CHANGED: "Lead officer changed", ChangeKind.SUPERSEDED: "Superseded",
    ChangeKind.DELETED: "Deleted", ChangeKind.CARRIED_FORWARD: "Carried forward",
})
# Up to this many changes are named in the opening sentence; more are counted there and listed in the table.
MAX_CHANGES_NAMED = 8


def markdown_text(text: str) -> str:
    """Content text made inert in Markdown: HTML escaped and formatting characters backslashed."""
    flat = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def _lower_first(heading: str) -> str:
    """'Due date moved' -> 'due date moved'; 'RAG status moved' keeps its capitals."""
    return heading if heading[:2].isupper() else heading[:1].lower() + heading[1:]


def change_phrase(item: ChangeItem, ratings: RatingScale, *earlier: RatingScale) -> str:
    """One change in a few words, e.g. '2.1 R/A/G Amber → Red' or 'new action 2.7' (ratings on the plan's scale)."""
    was, now = change_values(item, ratings, *earlier)
    ref, old, new = item.ref, markdown_text(was), markdown_text(now)
    match item.kind:
        case ChangeKind.NEW:
            return f"new action {ref}"
        case ChangeKind.COMPLETED:
            return f"{ref} completed (was {old})"
        case ChangeKind.RAG_MOVED:
            return f"{ref} R/A/G {old} → {new}"
        case ChangeKind.DUE_MOVED:
            return f"{ref} due {old} → {new}"
        case ChangeKind.SPONSOR_CHANGED:
            return f"{ref} sponsor {old or 'none'} → {new or 'none'}"
        case ChangeKind.LEAD_CHANGED:
            return f"{ref} lead officer {old or 'none'} → {new or 'none'}"
        case ChangeKind.SUPERSEDED:
            return f"{ref} superseded by {new}"
        case ChangeKind.DELETED:
            return f"{ref} {new}"
        case ChangeKind.CARRIED_FORWARD:
            return f"{ref} carried forward to {new} in the next plan"
        case _:
            unreachable(item.kind)


def _without_origin(value: Any) -> Any:
    """A model object's fields other than where it came from (so moving a line is not a change)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, _without_origin(getattr(value, f.name)))
                     for f in dataclasses.fields(value) if f.name != "origin")
    if isinstance(value, tuple):
        return tuple(_without_origin(part) for part in value)
    return value


def _edited(before: Iterable[Any], after: Iterable[Any], key: str) -> list[str]:
    """Keys (refs, numbers, slugs) of things present in both versions whose content differs."""
    old = {str(getattr(x, key)): x for x in before}
    return [k for k, new in ((str(getattr(x, key)), x) for x in after)
            if k in old and _without_origin(old[k]) != _without_origin(new)]


# The fields of an action that each kind of change names (with its old and new value): an edit to any
# other field of the same action is listed as well, so that no edit hides behind another.
_FIELDS_NAMED = for_every(ChangeKind, {
    ChangeKind.NEW: (), ChangeKind.COMPLETED: ("rag",), ChangeKind.RAG_MOVED: ("rag",),
    ChangeKind.DUE_MOVED: ("due",), ChangeKind.SPONSOR_CHANGED: ("sponsor",), ChangeKind.LEAD_CHANGED: ("lead",),
    ChangeKind.SUPERSEDED: ("lifecycle", "superseded_by"), ChangeKind.DELETED: ("lifecycle",),
    ChangeKind.CARRIED_FORWARD: ("carried_forward",),
})
# How the summary names an edit to an action's other fields; the action's wording and its progress update
# are both its "text". A field not named here is named as the file names it.
_EDIT_WORDS = {"text": "text", "status": "text", "priorities": "strategic priorities", "key_aims": "key aims",
               "lifecycle": "status", "area_number": "business area"}


def action_edits(before: Plan, after: Plan, items: Iterable[ChangeItem]) -> dict[str, list[str]]:
    """For each kind of edit the change items do not name ('text', 'key aims'...), the refs of the actions
    edited so, in plan order: an action whose R/A/G moved and whose progress update was rewritten is in both."""
    named: dict[str, set[str]] = {}
    for item in items:
        named.setdefault(item.ref, set()).update(_FIELDS_NAMED[item.kind])
    edits: dict[str, list[str]] = {}
    for new in after.actions:
        old = before.action(new.ref)
        if old is None:
            continue
        for field in dataclasses.fields(new):
            if field.name == "origin" or field.name in named.get(new.ref, ()):
                continue
            if _without_origin(getattr(old, field.name)) != _without_origin(getattr(new, field.name)):
                refs = edits.setdefault(_EDIT_WORDS.get(field.name, field.name), [])
                if new.ref not in refs:
                    refs.append(new.ref)
    return edits


def _area_without_actions(area: BusinessArea) -> Any:
    """A business area's own fields (its actions are compared one by one)."""
    return _without_origin(dataclasses.replace(area, actions=()))


def other_edits(before: Plan, after: Plan, items: Iterable[ChangeItem]) -> list[str]:
    """Edits the change list does not name: wording of actions (also of actions with a listed change),
    recommendations, KPIs, business areas, the cover report."""
    edits = []
    for what, refs in action_edits(before, after, items).items():
        edits.append(f"{what} of action" + ("s " if len(refs) > 1 else " ") + ", ".join(refs))
    recommendations = _edited(before.recommendations, after.recommendations, "number")
    if recommendations:
        edits.append("Panel recommendation" + ("s " if len(recommendations) > 1 else " ") + ", ".join(recommendations))
    kpis = _edited(before.kpis, after.kpis, "slug")
    if kpis:
        edits.append("performance measure" + ("s " if len(kpis) > 1 else " ") + ", ".join(kpis))
    if _without_origin(before.cover) != _without_origin(after.cover):
        edits.append("the cover report")
    if _without_origin(before.info) != _without_origin(after.info):
        edits.append("the plan's title page (plan.md)")
    old_areas = {area.number: _area_without_actions(area) for area in before.areas}
    areas = [str(area.number) for area in after.areas
             if area.number in old_areas and old_areas[area.number] != _area_without_actions(area)]
    if areas:
        edits.append("business area" + ("s " if len(areas) > 1 else " ") + ", ".join(areas) + " (_area.md)")
    return edits


def summary_markdown(before: Plan, after: Plan, base_label: str, head_label: str, subject: str = "This pull request",
                     artifact: str = "report-preview") -> str:
    """The job summary: one sentence of what changes in the public report, then a table of the changes.

    `subject` starts the sentences ('This pull request', 'This push'); `artifact` names the run's report.
    """
    public_before, public_after = before.public(), after.public()
    changes = compare(public_before, public_after, before.snapshot.as_at, after.snapshot.as_at)
    items = changes.items
    edits = other_edits(public_before, public_after, items)
    lines = ["## Report preview", ""]
    if len(items) > MAX_CHANGES_NAMED:
        counts = [f"{changes.counts[kind]} {_lower_first(KIND_HEADINGS[kind])}" for kind in KIND_HEADINGS
                  if changes.counts.get(kind)]
        lines.append(f"{subject} changes the report: {len(items)} changes ({'; '.join(counts)}), "
                     "listed below.")
    elif items:
        phrases = "; ".join(change_phrase(i, after.ratings, before.ratings) for i in items)
        lines.append(f"{subject} changes the report: {phrases}.")
    elif edits:
        lines.append(f"{subject} changes no R/A/G, due date, owner or status; it edits wording only.")
    else:
        lines.append(f"{subject} does not change the public report.")
    if edits:
        lines += ["", "Also edited: " + "; ".join(edits) + "."]
    if items:
        lines += ["", "| Action | Change | Was | Now | Action text |", "| --- | --- | --- | --- | --- |"]
        for item in sorted(items, key=lambda i: natural_key(i.ref)):
            was, now = change_values(item, after.ratings, before.ratings)
            lines.append(f"| {item.ref} | {_ROW_LABELS[item.kind]} | {markdown_text(was)} "
                         f"| {markdown_text(now)} | {markdown_text(short_title(item.action))} |")
    lines += [
        "",
        (f"Compared {markdown_text(head_label)} with {markdown_text(base_label)}; public content only "
        "(restricted actions are never listed here). The built report (DOCX and HTML) is attached to this run as "
        f"the artifact **{markdown_text(artifact)}**."),
    ]
    return "\n".join(lines) + "\n"


def problems_markdown(problems: list[Issue], which: str) -> str:
    """The job summary when one side cannot be read: every problem (up to a limit), as path:line: message."""
    errors = [p for p in problems if not p.is_warning]
    shown = errors or problems
    lines = [
        "## Report preview",
        "",
        (f"The report cannot be built from the {which}: the check found {len(shown)} "
        f"problem{'s' if len(shown) != 1 else ''}. Each is also marked on its line under *Files changed*."),
        "",
    ]
    for issue in shown[:MAX_PROBLEMS_SHOWN]:
        lines.append(f"- `{issue.path.replace('`', '')}` line {issue.line}: {markdown_text(issue.message)}")
    if len(shown) > MAX_PROBLEMS_SHOWN:
        lines.append(f"- … and {len(shown) - MAX_PROBLEMS_SHOWN} more (see the check's log).")
    return "\n".join(lines) + "\n"
