"""The JSON Schemas in schemas/ are the one definition of the content's fields: every shipped file
validates against them, broken files do not (at the right line), and the build reads exactly the
fields they declare, no more and no fewer."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from delivery_report import assemble as assemble_module
from delivery_report import model, reader, records, schema
from delivery_report.assemble import assemble
from delivery_report.issues import Issue
from delivery_report.load import Value, YamlMapping, YamlSequence, load_file
from delivery_report.model import Snapshot

SCHEMAS = ROOT / "schemas"
SNAPSHOT = Snapshot(as_at=__import__("datetime").date(2018, 4, 11))


def schema_for(rel: str) -> str | None:
    """Which schema a content file (path relative to the content folder) follows; None for files without one."""
    parts = rel.split("/")
    if parts[-1].lower() == "readme.md":
        return None
    top = {"plan.md": "plan", "people.yaml": "people", "priorities.yaml": "priorities", "cover_report.md": "cover-report"}
    if len(parts) == 1:
        return top.get(parts[0])
    by_folder = {"recommendations": "recommendation", "kpis": "kpi", "reports": "report-record"}
    if parts[0] == "business_areas":
        return "business-area" if parts[-1] == "_area.md" else "action"
    return by_folder.get(parts[0])


def plain(node: Any) -> Any:
    """load.py's nodes (which keep lines) as the plain data a YAML editor sees (dates stay text, as load keeps them)."""
    if isinstance(node, YamlMapping):
        return {key: plain(value) for key, value in node.items.items()}
    if isinstance(node, YamlSequence):
        return [plain(item) for item in node.items]
    assert isinstance(node, Value)
    return node.data


def line_at(meta: YamlMapping, path: list[str | int]) -> int:
    """The line of the value at a jsonschema error's path (the deepest node that exists)."""
    node: Any = meta
    line = meta.line
    for key in path:
        children: Any = node.items if isinstance(node, (YamlMapping, YamlSequence)) else None
        found = ((isinstance(children, dict) and isinstance(key, str) and key in children)
                 or (isinstance(children, list) and isinstance(key, int) and key < len(children)))
        if not found:
            break
        node = children[key]
        line = node.line
    return line


def shape_issues(name: str, path: str, raw: bytes) -> list[Issue]:
    """Every way a file breaks its schema, as path:line: message (the messages editors show)."""
    issues: list[Issue] = []
    loaded = load_file(path, raw, issues, front_matter=not path.endswith(".yaml"))
    assert loaded is not None and loaded.meta is not None, issues
    validator = Draft202012Validator(schema.load_schema(name))
    for error in sorted(validator.iter_errors(plain(loaded.meta)), key=lambda e: list(e.absolute_path)):
        where = list(error.absolute_path)
        if error.validator == "additionalProperties":
            # Point at the first unexpected field itself, not at the mapping that holds it.
            unexpected = [key for key in error.instance if key not in error.schema.get("properties", {})]
            where += unexpected[:1]
        issues.append(Issue(path, line_at(loaded.meta, where), error.message))
    return issues


def content_files(root: Path) -> Iterator[tuple[str, str, Path]]:
    for file in sorted(root.rglob("*")):
        rel = file.relative_to(root).as_posix()
        name = schema_for(rel)
        if file.is_file() and name:
            yield rel, name, file


# --- the schemas themselves ---------------------------------------------------------------------


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_schema_is_valid_and_closed_and_explained(name: str) -> None:
    document = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    assert "action" in schema.SCHEMA_NAMES

    def walk(node: dict[str, Any], where: str) -> None:
        if "properties" in node:
            assert node.get("additionalProperties") is False, f"{where}: additionalProperties must be false"
            for key, child in node["properties"].items():
                description = child.get("description", "")
                assert len(description) > 12 and description.endswith((".", ")")), \
                    f"{where}.{key} needs a description in plain English sentences"
                walk(child, f"{where}.{key}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{where}[]")
        for option in node.get("anyOf", []):
            walk(option, where)

    walk(document, name)
    assert {p.name for p in SCHEMAS.glob("*.schema.json")} == {f"{n}.schema.json" for n in schema.SCHEMA_NAMES}


# --- shipped and broken files -----------------------------------------------------------------------


@pytest.mark.parametrize("root", [ROOT / "content", *(FIXTURES / office / "content" for office in
                                                      ("minimal", "five_point", "dorset"))],
                         ids=["plan", "minimal", "five_point", "dorset"])
def test_every_shipped_file_validates(root: Path) -> None:
    checked = 0
    for rel, name, file in content_files(root):
        assert shape_issues(name, rel, file.read_bytes()) == [], rel
        checked += 1
    assert checked >= (80 if root.name == "content" and root.parent == ROOT else 10)


def test_broken_action_fails_at_the_lines_of_its_mistakes() -> None:
    # A rating is any id an editor can check alone (which ids the plan has, plan.md's ratings say: validate).
    raw = (b'---\nref: 2.10\naction: Something\ndue: March 2018\nsponsor: [PCC, 3]\nrag: Amber Green\n'
           b'colour: blue\nstatus: superseded\n---\nbody\n')
    found = {(issue.line, issue.message) for issue in shape_issues("action", "a/2.10.md", raw)}
    lines = {line for line, _ in found}
    assert 4 in lines  # due is not YYYY-MM nor a word
    assert 5 in lines  # sponsor entry 3 is not initials
    assert (6, "'Amber Green' does not match '^[a-z][a-z0-9_-]{0,29}$'") in found
    assert (7, "Additional properties are not allowed ('colour' was unexpected)") in found


def test_broken_people_and_kpi_fail() -> None:
    people = shape_issues("people", "people.yaml", b"people:\n  - initials: SM\n    github: '@not a handle'\n  - name: X\n")
    assert {issue.line for issue in people} == {3, 4}
    kpi = shape_issues("kpi", "k.md", b"---\ntitle: T\nperiod: P\nunit: pounds\nbetter: higher\ncurrent: {label: a}\n---\n")
    assert {issue.line for issue in kpi} == {4, 6}


# --- one definition: the build reads exactly the schema's fields ------------------------------------


# The specs the build reads each kind of file with, by the module constant holding them.
BUILD_SPECS = {
    (assemble_module, "_ACTION"): "action", (assemble_module, "_AREA"): "business-area",
    (assemble_module, "_KPI"): "kpi", (assemble_module, "_RECOMMENDATION"): "recommendation",
    (assemble_module, "_PLAN"): "plan", (assemble_module, "_COVER"): "cover-report",
    (assemble_module, "_PEOPLE"): "people", (assemble_module, "_PRIORITIES"): "priorities",
    (records, "_RECORD"): "report-record",
}


def test_the_build_reads_each_file_by_its_schema() -> None:
    for (module, name), schema_name in BUILD_SPECS.items():
        spec = getattr(module, name)
        assert spec is schema.spec(schema_name), name
        assert tuple(spec.fields) == schema.fields(schema_name)
        assert {key for key, field in spec.fields.items() if field.required} == set(schema.required(schema_name))
    # The words the report draws with (colours, headings) are the words the schema allows.
    # A rating is one of plan.md's (checked in validate); the schemas write its id the same way.
    assert schema.pattern("action", "rag") == schema.pattern("plan", "ratings", "id")
    assert all(re.fullmatch(schema.pattern("plan", "ratings", "id"), rag) for rag in model.DEFAULT_SCALE.ids)
    assert model.LIFECYCLES == schema.choices("action", "status")
    assert tuple(model.Responder) == schema.choices("recommendation", "responses", "by")
    assert tuple(model.Unit) == schema.choices("kpi", "unit")
    assert tuple(model.Better) == schema.choices("kpi", "better")


def fields_not_matching(files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Assemble the files and read their report records, recording which fields each mapping's schema
    declares and which the build reads.

    Returns every field the schema declares that the build never reads (it would be silently dropped).
    A field the build reads that the schema does not declare raises LookupError at the read.
    """
    opened: list[tuple[Any, str]] = []
    read: dict[int, set[str]] = {}
    original_init = reader.Fields.__init__
    original_field = reader.Fields._field

    def recording_init(self: Any, file: Any, meta: YamlMapping, issues: list[Issue], spec: Any) -> None:
        opened.append((self, file.path))
        original_init(self, file, meta, issues, spec)

    def recording_field(self: Any, key: str, kind: Any) -> Any:
        read.setdefault(id(self), set()).add(key)
        return original_field(self, key, kind)

    # Read every file afresh: action files already read (by blob) would come from the cache, not the reader.
    monkeypatch.setattr(assemble_module, "_ACTION_FILES", {})
    monkeypatch.setattr(assemble_module, "_BODILESS_FROM", {})
    monkeypatch.setattr(reader.Fields, "__init__", recording_init)
    monkeypatch.setattr(reader.Fields, "_field", recording_field)
    try:
        plan, issues = assemble(files, "content", SNAPSHOT)
        found, record_issues = records.load_records(files, "content")
    finally:
        monkeypatch.undo()
    assert plan is not None, issues
    assert found and not record_issues, record_issues
    problems = set()
    for fields, path in opened:
        where = ".".join(fields.spec.path)
        never = set(fields.spec.fields) - read.get(id(fields), set())
        problems |= {f"{path}: the schema declares '{where + '.' if where else ''}{key}' but the build never reads it"
                     for key in never}
    assert {fields.spec.schema for fields, _ in opened} == set(schema.SCHEMA_NAMES)
    return sorted(problems)


# The default scale as plan.md would write it (every field of a rating used by one of them).
DEFAULT_RATINGS = "ratings:\n" + "".join(
    f"  - id: {r.id}\n    label: {r.label}\n    colour: {r.colour}\n    meaning: '{r.meaning}'\n"
    + ("    complete: true\n" if r.complete else "") + ("    not_started: true\n" if r.not_started else "")
    for r in model.DEFAULT_SCALE.ratings)


def full_content(tmp_path: Path) -> dict[str, bytes]:
    """The minimal fixture with every optional field used somewhere (so every reader runs)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", root)
    people = root / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("  - initials: SM\n", "  - initials: SM\n    github: s-m\n"),
                      encoding="utf-8")
    kpi = root / "kpis" / "domestic-violence.md"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("---\n", "---\nvalues:\n  - {label: Q1, value: 1}\n", 1)
                   .replace("title:", "target: 5\ntitle:", 1), encoding="utf-8")
    action = root / "business_areas" / "02-partnerships" / "2.1.md"
    action.write_text(action.read_text(encoding="utf-8").replace("rag: red", "rag: red\nkey_aims: [\"1.1\"]\n"
                                                                  "carried_forward: \"2.1\"\n"
                                                                  "carried_forward_from: \"2016/17 2.4\""), encoding="utf-8")
    plan = root / "plan.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("next_plan:", DEFAULT_RATINGS + "next_plan:", 1),
                    encoding="utf-8")
    (root / "reports").mkdir()
    (root / "reports" / "2017-03-24.yaml").write_text(
        "as_at: 2017-03-24\nmeeting: Level 1 public meeting\nsigned_by: \"S. M., Chief Executive\"\n"
        f"signed_at: 2017-03-24\ncommit: {'a' * 40}\ndocx_sha256: {'b' * 64}\n", encoding="utf-8")
    return {file.relative_to(root).as_posix(): file.read_bytes() for file in root.rglob("*") if file.is_file()}


def test_the_build_reads_exactly_the_declared_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fields_not_matching(full_content(tmp_path), monkeypatch) == []
    real = {file.relative_to(ROOT / "content").as_posix(): file.read_bytes()
            for file in (ROOT / "content").rglob("*") if file.is_file()}
    assert fields_not_matching(real, monkeypatch) == []


def with_spec(monkeypatch: pytest.MonkeyPatch, fields: dict[str, schema.Spec]) -> None:
    """The build reading action files with these fields instead of the schema's."""
    changed = dataclasses.replace(schema.spec("action"), fields=fields)
    monkeypatch.setattr(assemble_module, "_ACTION", changed)


def test_a_field_in_the_schema_only_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A field added to the schema without code to read it would be accepted and silently dropped."""
    files = full_content(tmp_path)
    colour = schema.Spec("action", ("colour",), schema.Kind.TEXT)
    with_spec(monkeypatch, {**schema.spec("action").fields, "colour": colour})
    found = fields_not_matching(files, monkeypatch)
    assert found and all("declares 'colour' but the build never reads it" in line for line in found)
    assert any("2.1.md" in line for line in found)


def test_a_field_in_the_build_only_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A field the build reads that the schema lacks: editors would flag correct files, so the read fails."""
    files = full_content(tmp_path)
    with_spec(monkeypatch, {k: v for k, v in schema.spec("action").fields.items() if k != "due"})
    with pytest.raises(LookupError, match=re.escape("the build reads 'due', which schemas/action.schema.json does not declare")):
        fields_not_matching(files, monkeypatch)


def without_field(text: str, field: str) -> str:
    """A file's text without the field's line and the indented or '- ' lines under it (a block list or mapping)."""
    kept: list[str] = []
    inside = False
    for line in text.split("\n"):
        if line.startswith(f"{field}:"):
            inside = True
            continue
        if inside and line.startswith((" ", "- ")):
            continue
        inside = False
        kept.append(line)
    return "\n".join(kept)


# Each case's file with every field of its schema: the fixture's fields and the ones added here.
@pytest.mark.parametrize("name,rel,added", [
    ("action", "business_areas/02-partnerships/2.1.md",
     'priorities: [1]\nstatus: superseded\nsuperseded_by: ["2.2"]\nrestricted: false\n'),
    ("kpi", "kpis/domestic-violence.md", "restricted: false\n"),
    ("plan", "plan.md", "short_name: OPCC\nwords:\n  area: Business Area\ncolumns: [due, lead]\n"),
    ("business-area", "business_areas/02-partnerships/_area.md", "restricted: false\n")])
def test_required_fields_are_the_schemas(name: str, rel: str, added: str, tmp_path: Path) -> None:
    """Leaving out a field the schema requires is an error in the build; leaving out any other is not."""
    files = full_content(tmp_path)
    original = files[rel].decode().replace("---\n", "---\n" + added, 1)
    files[rel] = original.encode()
    _plan, issues = assemble(files, "content", SNAPSHOT)
    assert [i for i in issues if i.path == f"content/{rel}" and not i.is_warning] == []
    tested = []
    for field in schema.fields(name):
        text = without_field(original, field)
        assert text != original, f"{rel} has no '{field}': add it to this case so leaving it out is tested"
        files[rel] = text.encode()
        _plan, issues = assemble(files, "content", SNAPSHOT)
        missing = [i for i in issues if i.path == f"content/{rel}" and f"'{field}' is missing" in i.message]
        assert bool(missing) == (field in schema.required(name)), (field, issues)
        tested.append(field)
    # Every field of the schema was left out once: the required ones and at least one optional one.
    assert tested == list(schema.fields(name))
    assert schema.required(name) and set(schema.required(name)) < set(tested)


def test_github_handle_in_people(tmp_path: Path) -> None:
    files = full_content(tmp_path)
    plan, issues = assemble(files, "content", SNAPSHOT)
    assert plan is not None and plan.person("SM") is not None and plan.person("SM").github == "s-m"  # type: ignore[union-attr]
    files["people.yaml"] = files["people.yaml"].replace(b"github: s-m", b"github: not a handle")
    _plan, issues = assemble(files, "content", SNAPSHOT)
    assert [str(i) for i in issues if "github" in i.message] == [
        ("content/people.yaml:7: github 'not a handle' is not a GitHub user name: letters, digits and single dashes, "
        "at most 39 characters (the name in the address github.com/<name>)")]
