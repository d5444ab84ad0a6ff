"""What the import prints: the mapping it found per table (--dry-run), and the summary with every follow-up."""

from __future__ import annotations

import re

from ..unfinished import IMPORT_NOTE
from .columns import FIELD_MEANINGS, ColumnMap
from .mapping import ImportedPlan
from .write import PLACEHOLDER, office_words, people_named


def mapping_lines(plan: ImportedPlan) -> list[str]:
    """Per table: what it was taken to be, which column is which field and how that was decided."""
    lines: list[str] = []
    for report in plan.tables:
        if report.kind == "other":
            first = " | ".join(f"'{_short(text)}'" for text in report.first_row if text) or "empty"
            lines.append(f"table {report.number}: not a delivery-plan table (first row: {first})")
            continue
        what = "a delivery-plan table" if report.kind == "plan" else \
            "the table above continued on the next page (no header row of its own)"
        lines.append(f"table {report.number}: {what} -> {'; '.join(report.areas) or 'no business area'}")
        if report.kind == "plan" and report.columns is not None:
            lines += [f"  {line}" for line in _column_lines(report.columns)]
        lines += [f"  {fact}" for fact in report.facts]
        lines.append(f"  {report.rows} row{'s' if report.rows != 1 else ''} read, {report.actions} "
                     f"action{'s' if report.actions != 1 else ''} started in it")
    return lines


def _column_lines(columns: ColumnMap) -> list[str]:
    first_header = columns.title_rows + 1
    if columns.header_rows == 1:
        where = f"header: row {first_header}"
    else:
        where = f"header: rows {first_header}-{first_header + columns.header_rows - 1} (merged headings)"
    if columns.title_rows:
        where += f", under {columns.title_rows} title row{'s' if columns.title_rows != 1 else ''}"
    lines = [where]
    shown: set[tuple[str, str]] = set()
    for column in sorted(columns.headings):
        heading = columns.headings[column]
        key = columns.fields.get(column)
        if key is None and not heading:
            continue
        if (heading, key or "") in shown:
            continue  # one heading merged over several columns
        shown.add((heading, key or ""))
        if key is None:
            lines.append(f"'{_short(heading)}' -> kept as text (a heading the importer does not know)")
            continue
        how = columns.how.get(column, "").removeprefix("by name")
        how = how.removeprefix(": ")
        lines.append(f"'{_short(heading)}' -> {key}: {FIELD_MEANINGS[key]}" + (f" [{how}]" if how else ""))
    return lines


def summary_lines(plan: ImportedPlan, files: dict[str, str], problems: list[str]) -> list[str]:
    """After the 'wrote ...' line: the areas, the rating scale found, and everything left to do, each named."""
    lines: list[str] = []
    words = sorted({area.word for area in plan.areas if area.word and area.word.lower() != "business area"})
    if plan.areas:
        lines.append("Business areas: " + "; ".join(f"{area.number} '{area.title}'" + (
            f" (the plan's '{_short(area.heading, 60)}')" if area.word and area.word.lower() != "business area" else "")
            + f", {len(area.actions)} action{'s' if len(area.actions) != 1 else ''}" for area in plan.areas))
    if len(words) == 1:
        lines.append(f"The plan calls its areas {words[0]!r}; plan.md's 'words' say so, and the report heads them so "
                     "with the titles above (check each _area.md).")
    elif words:
        lines.append(f"The plan calls its areas {' and '.join(repr(w) for w in words)}; the report heads them all as "
                     "business areas with the titles above (check each _area.md; plan.md's 'words: area:' renames them).")
    written = dict(office_words(plan)).get("words")
    if isinstance(written, dict) and any(key.endswith("_column") for key in written):
        lines.append("The delivery-plan table's headings are kept as the plan writes them (plan.md's 'words').")
    # what was inferred rather than named, so that no guess is silent (--dry-run shows every column)
    lines += [f"Table {report.number}: {fact}" for report in plan.tables for fact in report.facts]
    lines += plan.scale.lines()
    follow_ups = _follow_ups(plan, files, problems)
    if follow_ups:
        lines.append("Still to do (the folder passes --check as it stands):")
        lines += [f"  - {item}" for item in follow_ups]
    return lines


def _follow_ups(plan: ImportedPlan, files: dict[str, str], problems: list[str]) -> list[str]:
    items: list[str] = []
    people = people_named(plan)
    if people:
        items.append(f"people.yaml: {len(people)} {'people are' if len(people) != 1 else 'person is'} listed as the "
                     f"plan names them, with no name or role: {', '.join(people)}; add each one's name and role")
    priorities = sorted({n for area in plan.areas for action in area.actions for n in action.priorities})
    if priorities:
        items.append(f"priorities.yaml: give strategic priorit{'ies' if len(priorities) != 1 else 'y'} "
                     f"{', '.join(map(str, priorities))} {'their titles' if len(priorities) != 1 else 'its title'}")
    for name in ("plan.md", "cover_report.md"):
        placeholders = re.findall(rf"^\s*(?:- )?(\w+): ['\"]?{PLACEHOLDER}", files.get(name, ""), re.MULTILINE)
        if placeholders:
            items.append(f"{name}: fill in {', '.join(dict.fromkeys(placeholders))} (marked {PLACEHOLDER})")
    noted = [action.ref for area in plan.areas for action in area.actions if action.notes]
    if problems:
        where = f"; the actions with an '{IMPORT_NOTE}' line: {', '.join(noted)}" if noted else ""
        items.append(f"{len(problems)} thing{'s' if len(problems) != 1 else ''} to check, listed above{where}")
    return items


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
