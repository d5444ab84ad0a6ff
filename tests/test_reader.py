"""The field reader (reader.py): fields read as their JSON Schema declares them, the hooks of hints.RULES
attached to fields that exist and can use them, and a read the schema does not declare refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from delivery_report import hints, schema
from delivery_report.issues import Issue
from delivery_report.load import ContentFile, YamlMapping, parse_yaml
from delivery_report.model import Better, Lifecycle, Unit
from delivery_report.reader import Fields
from delivery_report.schema import Kind, Spec


def spec_at(name: str, path: tuple[str, ...]) -> Spec:
    found = schema.spec(name)
    for key in path:
        assert key in found.fields, f"hints.RULES names {name}.{'.'.join(path)}, which the schema does not declare"
        found = found.fields[key]
    return found


# Which kinds of field can use each hook: a hook on any other field would never run.
HOOK_KINDS = {
    "hint": {Kind.TEXT, Kind.WORD, Kind.TEXTS},
    "check": {Kind.TEXT},
    "normalise": {Kind.TEXT},
    "entry_hint": {Kind.INTEGERS},
    "not_a_list": {Kind.ENTRIES},
    "not_an_entry": {Kind.ENTRIES},
    "too_many": {Kind.ENTRIES},
    "not_a_mapping": {Kind.MAPPING},
    "placeholders": {Kind.MARKDOWN},
    "empty_allowed": {Kind.TEXT, Kind.DATE, Kind.ENTRIES},
    "missing": set(Kind),
    "checked_by": {Kind.TEXT, Kind.TEXTS},
    "unregistered": {Kind.TEXTS},
}


@pytest.mark.parametrize("path", sorted(hints.RULES), ids=".".join)
def test_every_rule_is_for_a_declared_field_that_can_use_it(path: tuple[str, ...]) -> None:
    spec = spec_at(path[0], path[1:])
    rule = hints.RULES[path]
    used = [hook.name for hook in dataclasses.fields(rule) if getattr(rule, hook.name) != hook.default]
    assert used, f"{path}: an empty rule"
    for hook in used:
        assert spec.kind in HOOK_KINDS[hook], f"{path}: '{hook}' is never used on a {spec.kind.value}"
    if rule.missing is not None:
        assert spec.required, f"{path}: only a required field is reported missing"
    if rule.too_many is not None:
        assert spec.max_items is not None, f"{path}: the schema sets no maxItems"
    if rule.checked_by or (rule.hint is not None and spec.kind is not Kind.WORD):
        assert spec.pattern is not None or spec.choices, f"{path}: the schema gives no pattern or words to check"


def test_every_file_rule_is_a_schema() -> None:
    assert set(hints.FILE_RULES) <= set(schema.SCHEMA_NAMES)


def read(spec: Spec, yaml: str) -> tuple[Fields, list[Issue]]:
    issues: list[Issue] = []
    meta = parse_yaml(yaml, "f.md", 0, issues)
    assert isinstance(meta, YamlMapping) and not issues
    return Fields(ContentFile("f.md", meta, "", 1), meta, issues, spec), issues


def test_a_read_the_schema_does_not_declare_raises() -> None:
    fields, _issues = read(schema.spec("action"), "ref: '1.1'\n")
    with pytest.raises(LookupError, match=re.escape("reads 'colour', which schemas/action.schema.json does not declare")):
        fields.text("colour")
    with pytest.raises(TypeError, match="declares 'status' as a word; the build reads it as a text"):
        fields.text("status")
    assert fields.word("status", Lifecycle) is None


def test_a_schema_shape_the_reader_has_no_kind_for_is_refused() -> None:
    with pytest.raises(ValueError, match=re.escape("x.schema.json odd: the reader has no kind")):
        schema._compile("x", ("odd",), {"anyOf": [{"type": "boolean"}, {"type": "string"}]}, False, False)


def test_the_schemas_pattern_and_words_are_checked_without_a_hint() -> None:
    """A field with a pattern or words and no rule is checked against the schema, with a plain message."""
    code = Spec("f", ("code",), Kind.TEXT, pattern="^[A-Z]{2}$")
    size = Spec("f", ("size",), Kind.TEXT, choices=("Small", "Large"))
    tags = Spec("f", ("tags",), Kind.TEXTS, pattern="^[a-z]+$")
    spec = Spec("f", (), Kind.MAPPING, fields={"code": code, "size": size, "tags": tags})
    fields, issues = read(spec, "code: AB\nsize: large\ntags: [ok, Not OK]\n")
    assert (fields.text("code"), fields.text("size"), fields.texts("tags")) == ("AB", "large", ("ok",))
    assert [str(i) for i in issues] == ["f.md:3: 'tags' is 'Not OK', which is not written as schemas/f.schema.json describes"]
    fields, issues = read(spec, "code: abc\nsize: huge\n")
    assert (fields.text("code"), fields.text("size")) == ("", "")
    assert [str(i) for i in issues] == [
        "f.md:1: 'code' is 'abc', which is not written as schemas/f.schema.json describes",
        "f.md:2: 'size' is 'huge'; it must be one of: Small, Large",
    ]


def test_each_kind_reads_its_value_and_reports_at_the_line() -> None:
    spec = schema.spec("kpi")
    fields, issues = read(spec, "title: T\nperiod: 2017/18\nunit: Percent\nbetter: up\ncurrent: {label: Q1, value: 7}\n"
                                "target: 5%\npriority: 2\nrestricted:\nvalues: [{label: Q1, value: 1}, x]\n")
    current = fields.mapping("current")
    assert current is not None and (current.text("label"), current.number("value")) == ("Q1", 7.0)
    assert (fields.text("title"), fields.integer("priority"), fields.number("target")) == ("T", 2, None)
    assert (fields.word("unit", Unit), fields.word("better", Better)) == (Unit.PERCENT, None)
    assert fields.flag("restricted") is True  # an empty restricted line never means public
    values = fields.entries("values")
    assert [(v.text("label"), v.number("value")) for v in values] == [("Q1", 1.0)]
    assert fields.mapping("baseline") is None
    assert [str(i) for i in issues] == [
        "f.md:6: 'target' must be a number, e.g. 5009 or 23.5 (no commas or % sign)",
        "f.md:4: 'better' is 'up'; it must be one of: higher, lower",
        "f.md:8: 'restricted:' has no value; write 'restricted: true' or 'restricted: false'",
        "f.md:9: each entry of 'values' needs a label and a value, e.g. '- {label: 2016/17 Q1-2, value: 5041}'",
    ]


def test_a_record_reads_its_dates_and_refuses_unknown_fields() -> None:
    fields, issues = read(schema.spec("report-record"), "as_at: 2017-11-07\nsigned_at: 7 Nov 2017\nmeetng: x\n")
    assert fields.date("as_at") == dt.date(2017, 11, 7)
    assert fields.date("signed_at") is None and fields.has_text("signed_at")
    assert [str(i) for i in issues] == [
        "f.md:3: unknown field 'meetng'; the fields allowed here are: as_at, meeting, signed_by, signed_at, commit, docx_sha256",
        "f.md:2: 'signed_at' is '7 Nov 2017'; write the date as YYYY-MM-DD, e.g. 2017-11-07",
    ]
