"""A new action's file from a template: where it goes, its next free ref, and its text (no printing, no writing)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .assemble import AREA_FILE
from .issues import BuildError
from .model import DEFAULT_SCALE, RatingScale
from .unfinished import NEW_ACTION_NOTE, NEW_ACTION_TEXT, commented_example

_AREA_ONLY = re.compile(r"^([0-9]{1,2})\.?$")
_FULL_REF = re.compile(r"^([0-9]{1,2})\.([0-9]{1,3})$")
_AREA_FOLDER = re.compile(r"^([0-9]{2})-[a-z0-9][a-z0-9-]*$")
_ACTION_FILE = re.compile(r"^([0-9]+)\.([0-9]+)\.md$")


@dataclass(frozen=True)
class NewAction:
    """Where a new action's file goes (relative to the content folder), its ref and its text."""

    path: str
    ref: str
    text: str


def _areas(paths: list[str]) -> dict[int, str]:
    """Business-area number -> folder name, from the content folder's file paths."""
    found: dict[int, str] = {}
    for path in paths:
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "business_areas" and parts[2] == AREA_FILE:
            match = _AREA_FOLDER.match(parts[1])
            if match:
                found.setdefault(int(match.group(1)), parts[1])
    return found


def _used_refs(paths: list[str]) -> set[str]:
    """Every action ref with a file anywhere under business_areas/ (superseded and deleted ones too)."""
    used = set()
    for path in paths:
        parts = path.split("/")
        if parts[0] == "business_areas" and _ACTION_FILE.match(parts[-1]):
            used.add(parts[-1][:-3])
    return used


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's escaping is valid YAML) for any text an officer gives."""
    return json.dumps(text, ensure_ascii=False)


def plan_new_action(paths: list[str], wanted: str, action: str = "", due: str = "", sponsor: str = "",
                    lead: str = "", ratings: RatingScale = DEFAULT_SCALE) -> NewAction:
    """The new action for `wanted` ('3' for the next free ref in area 3, or '3.13'); a BuildError says why not.

    It starts on the scale's not-started rating (white, by default), or not assessed on a scale without one."""
    wanted = wanted.strip()
    areas = _areas(paths)
    used = _used_refs(paths)
    area_only, full = _AREA_ONLY.match(wanted), _FULL_REF.match(wanted)
    if not area_only and not full:
        raise BuildError(f"'{wanted}' is not an action ref; give a business area number (e.g. 3, for its next free ref) "
                         "or a ref such as 3.13")
    match = area_only or full
    assert match is not None
    area = int(match.group(1))
    if area not in areas:
        known = ", ".join(str(n) for n in sorted(areas)) or "none"
        raise BuildError(f"there is no business area {area} (business_areas/{area:02d}-<name>/_area.md); "
                         f"the business areas are: {known}")
    if full:
        ref = f"{area}.{int(full.group(2))}"
        if ref in used or wanted in used:
            raise BuildError(f"action {ref} already exists; refs are never reused (even for deleted actions): "
                             f"run 'delivery-report new-action {area}' for the next free one")
        if int(full.group(2)) == 0:
            raise BuildError(f"action numbers start at 1: use {area}.1 or later")
    else:
        in_area = [int(r.split(".")[1]) for r in used if r.split(".")[0] == str(area)]
        ref = f"{area}.{max(in_area, default=0) + 1}"
    lines = [
        "---",
        f"ref: {_quoted(ref)}",
        f"action: {_quoted(action)}" if action else
        f"action: >-\n  {NEW_ACTION_TEXT}",
    ]
    # The template's placeholders (unfinished.py): --check fails until each is replaced.
    if not (due and sponsor and lead):
        lines.append(NEW_ACTION_NOTE)
    lines += [
        f"due: {_quoted(due)}" if due else commented_example("due"),
        f"sponsor: {_quoted(sponsor)}" if sponsor else commented_example("sponsor"),
        f"lead: {_quoted(lead)}" if lead else commented_example("lead"),
    ]
    not_started = next((r for r in ratings.ratings if r.not_started and not r.complete), None)
    if not_started is not None:
        lines.append(f"rag: {not_started.id}")
    lines += [
        "---",
        "- New action: no progress to report yet.",
        "",
    ]
    return NewAction(f"business_areas/{areas[area]}/{ref}.md", ref, "\n".join(lines))

