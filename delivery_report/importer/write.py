"""The imported plan as a content folder: every file's text first, then all written at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .. import schema
from ..model import Lifecycle, Rating
from ..unfinished import IMPORT_NOTE, TO_FILL_IN
from ..writing import write_files
from .mapping import ImportedAction, ImportedPlan

# The import's placeholders are defined with the check that finds them (unfinished.py): --check fails until
# each is replaced, while a working-tree build shows them, marked DRAFT.
PLACEHOLDER = TO_FILL_IN


class FolderNotEmpty(Exception):
    """The target content folder already holds files and overwriting was not asked for."""


# libyaml's emitter when PyYAML has it: the pure-Python one was half the import time at 2,000 actions
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Several-line text as a '|' block, as officers write it; everything else as PyYAML quotes it."""


def _text_representer(dumper: yaml.SafeDumper, data: str) -> Any:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if _REF_LIKE.fullmatch(data):
        # refs in double quotes, as the content format documents them ("1.10" stays 1.10)
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_REF_LIKE = re.compile(r"\d+(?:\.\d+)+[A-Za-z]?")
_LIST_SEPARATOR = re.compile(r"[/,&]")  # as assemble reads a sponsor or lead written as one text


def _list_representer(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
    flow = not any(isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(str, _text_representer)
_Dumper.add_representer(list, _list_representer)


def _field(key: str, value: object) -> str:
    """One front-matter field as YAML (lists in [a, b] form, refs quoted so 1.10 stays 1.10)."""
    dumped = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                       default_flow_style=False)
    return str(dumped)


def _front_matter(fields: list[tuple[str, object]], comments: list[str] | None = None, body: str = "") -> str:
    lines = ["---\n"]
    for comment in comments or []:
        lines.append(f"{IMPORT_NOTE} {' '.join(comment.split())}\n")
    for key, value in fields:
        lines.append(_field(key, value))
    lines.append("---\n")
    if body.strip():
        lines.append(body.rstrip("\n") + "\n")
    return "".join(lines)


# The plan table's fields an office names in its own words (plan.md `words`), and those it may leave out.
_COLUMN_WORDS = {"ref": "ref_column", "action": "action_column", "priorities": "priorities_column", "due": "due_column",
                 "sponsor": "sponsor_column", "lead": "lead_column", "status": "status_column", "rag": "rag_column"}
_OPTIONAL_COLUMNS = ("priorities", "due", "sponsor", "lead")


def _plural(word: str) -> str:
    """'Theme' -> 'Themes', 'Priority' -> 'Priorities'."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def office_words(plan: ImportedPlan) -> list[tuple[str, object]]:
    """plan.md's `words` and `columns` as the Word plan has them: what it calls an area when every heading
    agrees ('Theme 1: ...'), the delivery-plan table's headings where they differ from the report's defaults, and
    the optional columns it has when it lacks some. Nothing when the plan reads as the defaults do."""
    schema_words = schema.load_schema("plan")["properties"]["words"]["properties"]
    words: dict[str, str] = {}
    called = {area.word.strip() for area in plan.areas if area.word}
    if len(called) == 1:
        word = called.pop()
        word = word if word != word.lower() else word.capitalize()
        if word.lower() != schema_words["area"]["default"].lower() and not {"{", "}"} & set(word):
            words.update(area=word, areas=_plural(word))
    tables = [report.columns for report in plan.tables if report.kind == "plan" and report.columns is not None]
    if tables:
        first = tables[0]
        for field_name, key in _COLUMN_WORDS.items():
            heading = " ".join(first.heading_of(field_name).split())
            # A brace would read as a {placeholder} of the words: such a heading keeps the default.
            if "{" in heading or "}" in heading:
                continue
            if heading and heading.lower().rstrip(".") != schema_words[key]["default"].lower().rstrip("."):
                words[key] = heading
    fields: list[tuple[str, object]] = [("words", words)] if words else []
    present = [name for name in _OPTIONAL_COLUMNS if any(columns.columns_of(name) for columns in tables)]
    if tables and len(present) < len(_OPTIONAL_COLUMNS):
        fields.append(("columns", present))
    return fields


def slug(title: str) -> str:
    """'Communications, PR & Engagement' -> 'communications-pr-engagement'."""
    words = re.findall(r"[a-z0-9]+", title.lower().replace("&", " "))
    return "-".join(words)[:60].strip("-") or "area"


def content_files(plan: ImportedPlan, source_name: str) -> dict[str, str]:
    """Every file of the content folder: relative path -> text."""
    files: dict[str, str] = {}
    period = re.search(r"\b(\d{4}/\d{2})\b", plan.title)
    plan_fields: list[tuple[str, object]] = [
        ("title", plan.title or f"{PLACEHOLDER}: the plan's title"),
        ("organisation", plan.organisation or f"{PLACEHOLDER}: the body that owns the plan"),
        ("period", period.group(1) if period else f"{PLACEHOLDER}: the plan year, e.g. 2018/19"),
        ("police_and_crime_plan", plan.police_and_crime_plan or f"{PLACEHOLDER}: e.g. Police and Crime Plan 2017-2021"),
    ]
    if plan.next_plans:
        plan_fields.append(("next_plan", plan.next_plans[0]))
    plan_fields += office_words(plan)
    scale = plan.scale.ratings()
    if scale:
        # the scale the Word plan showed, with its own shades: the office edits the words and meanings here
        plan_fields.append(("ratings", [_rating(rating) for rating in scale]))
    files["plan.md"] = _front_matter(plan_fields, [f"imported from {source_name}; check every field"], plan.intro_md)
    files["people.yaml"] = _people(plan, source_name)
    files["priorities.yaml"] = _priorities(plan, source_name)
    files["cover_report.md"] = _cover(plan)
    for area in plan.areas:
        folder = f"business_areas/{area.number:02d}-{slug(area.title)}"
        files[f"{folder}/_area.md"] = _front_matter([("number", area.number), ("title", area.title)], body=area.intro_md)
        for action in area.actions:
            files[f"{folder}/{action.ref}.md"] = _action(action)
    return files


def _rating(rating: Rating) -> dict[str, object]:
    """One rating of plan.md's `ratings`, its flags only where set."""
    fields: dict[str, object] = {"id": rating.id, "label": rating.label, "colour": rating.colour,
                                 "meaning": rating.meaning}
    if rating.complete:
        fields["complete"] = True
    if rating.not_started:
        fields["not_started"] = True
    return fields


def _action(action: ImportedAction) -> str:
    fields: list[tuple[str, object]] = [("ref", action.ref), ("action", action.action_md)]
    if action.priorities:
        fields.append(("priorities", action.priorities))
    if action.due:
        fields.append(("due", action.due))
    for key, people in (("sponsor", action.sponsor), ("lead", action.lead)):
        if people:
            # one person whose name holds '/', ',' or '&' is written as a list: the build splits text at them
            single = len(people) == 1 and not _LIST_SEPARATOR.search(people[0])
            fields.append((key, people[0] if single else people))
    if action.rag:
        fields.append(("rag", str(action.rag)))  # the plain word: the YAML dumper writes str, not an Enum
    if action.status != Lifecycle.ACTIVE:
        fields.append(("status", str(action.status)))
    if action.superseded_by:
        fields.append(("superseded_by", action.superseded_by))
    if action.carried_forward:
        fields.append(("carried_forward", action.carried_forward))
    return _front_matter(fields, action.notes, action.body_md)


def people_named(plan: ImportedPlan) -> list[str]:
    """Everyone the actions name as sponsor or lead, in order of first mention."""
    seen: list[str] = []
    for area in plan.areas:
        for action in area.actions:
            for initials in action.sponsor + action.lead:
                if initials not in seen:
                    seen.append(initials)
    return seen


def _people(plan: ImportedPlan, source_name: str) -> str:
    seen = people_named(plan)
    lines = [
        f"# Everyone named in the Sponsor and Lead (or Owner) columns of {source_name}, as the plan writes them.\n",
        "# Add each person's name and role under their initials, e.g.\n",
        "#   - initials: PH\n#     name: Paul Hammond\n#     role: Chief Executive\n",
    ]
    if not seen:
        return "".join(lines) + "people: []\n"
    lines.append("people:\n")
    for initials in seen:
        lines.append("  - " + _field("initials", initials))
    return "".join(lines)


def _priorities(plan: ImportedPlan, source_name: str) -> str:
    numbers = sorted({n for area in plan.areas for action in area.actions for n in action.priorities})
    lines = [
        f"# The strategic priority numbers the actions of {source_name} link to.\n",
        "# Give each its title from the Police and Crime Plan, and its key aims if the plan numbers them:\n",
        "#     aims:\n#       - ref: \"1.1\"\n#         text: ...\n",
    ]
    if not numbers:
        return "".join(lines) + "priorities: []\n"
    lines.append("priorities:\n")
    for number in numbers:
        lines.append(f"  - number: {number}\n")
        lines.append("    " + _field("title", f"{PLACEHOLDER}: the title of strategic priority {number}"))
    return "".join(lines)


def _cover(plan: ImportedPlan) -> str:
    title = plan.title or "Strategic Delivery Plan"
    fields: list[tuple[str, object]] = [
        ("heading", plan.organisation or f"{PLACEHOLDER}: the organisation block at the top"),
        ("report_type", "Report for Information"),
        ("meeting", "Level 1 public meeting on"),
        ("title", title),
        ("executive_summary", (f"Attached at Appendix 1 is a copy of the {title}. The plan comprises "
                               "{business_area_count} separate business areas and {action_count} actions.\n")),
        ("recommendation", f"1. That the PCC notes progress with the {title}\n"),
        ("publication_deferred", False),
        ("sign_off", [{"heading": "Head of Unit", "advice": f"{PLACEHOLDER}: the head of unit's advice",
                       "officer": "Chief Executive"}]),
        ("chief_officers", [{"officer": "Chief Executive", "date": ""},
                            {"officer": "Chief Finance Officer", "date": ""}]),
    ]
    body = (
        "## 1 Introduction and background\n\n"
        "- 1.1 The Plan comprises {business_area_count} separate business areas, namely:\n\n"
        "{business_area_list}\n\n"
        "- 1.2 The Plan uses the following RAG system:\n\n"
        "{rag_key}\n"
    )
    return _front_matter(fields, [f"a starting template: replace the wording marked {PLACEHOLDER} and add your sections"], body)


def write_folder(files: dict[str, str], folder: Path, force: bool) -> list[Path]:
    """Write every file under `folder`; refuse a folder that holds anything unless `force`.

    All of them at once (writing.write_files): nothing half-written, nothing written through a link, and
    on a failure the folder is as it was."""
    if folder.exists() and not folder.is_dir():
        raise FolderNotEmpty(f"{folder} is a file, not a folder; give an empty or new folder with --content DIR")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise FolderNotEmpty(f"{folder} is not empty; give an empty or new folder, or add --force to overwrite "
                             "the files the import writes")
    return write_files(folder, {rel: text.encode("utf-8") for rel, text in files.items()}, "the content folder")
