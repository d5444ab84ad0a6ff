"""The office's own words (issue 20.1): plan.md's `short_name`, `words` and `columns` reach every output,
every fixed phrase comes from there or from one default, and a mistake in them stops the check at its line.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import lxml.html
from conftest import ROOT, run_build

from delivery_report import schema
from delivery_report.assemble import default_words
from delivery_report.layout.nodes import ColumnKind
from delivery_report.layout.plan_tables import _COLUMN_WIDTHS_CM, plan_columns, shown_columns
from delivery_report.pipeline import BuildRequest, read_plan

# A Police, Fire and Crime Commissioner's office whose plan is in themes, with owners and targets only.
PFCC_PLAN = """---
title: Example OPFCC Delivery Plan 2018/19
organisation: Office of the Police, Fire and Crime Commissioner for Example
short_name: OPFCC
period: 2018/19
police_and_crime_plan: Police, Fire and Crime Plan 2018-2021
next_plan: 2019/20 OPFCC plan
words:
  area: Theme
  areas: Themes
  commissioner: Police, Fire and Crime Commissioner
  commissioner_short: PFCC
  plan_name: Delivery Plan
  alignment_heading: Alignment to the {police_and_crime_plan}
  recommendations_heading: Panel recommendations we monitor
  lead_column: Owner
  status_column: Progress
  due_column: Target date
columns: [lead, due]
---
This plan captures the activities of the office.
"""


def _pfcc(content: Path) -> Path:
    (content / "plan.md").write_text(PFCC_PLAN, encoding="utf-8")
    return content


def test_an_office_s_words_are_what_the_docx_and_html_print(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build("--content", str(_pfcc(content_copy)), "--out", str(out), "--format", "docx,html,json")
    assert result.returncode == 0, result.stderr
    assert "2 themes, " in result.stdout

    document = docx.Document(str(next(out.glob("*.docx"))))
    paragraphs = [p.text for p in document.paragraphs]
    for expected in ("Theme 1: Communications, PR & Engagement", "Theme 2: Partnerships",
                     "OPFCC Themes which support delivery of the PFCC's Police, Fire and Crime Plan 2018-2021",
                     "OPFCC activity & progress update", "Police, Fire and Crime Commissioner",
                     "PFCC STATUTORY CHIEF OFFICERS' APPROVAL",
                     "We are satisfied that this is an appropriate request to be submitted to the Police, Fire and "
                     "Crime Commissioner.",
                     "Appendix 2: Panel recommendations we monitor",
                     "Alignment to the Police, Fire and Crime Plan 2018-2021"):
        assert expected in paragraphs, expected
    # No Thames Valley phrase is left in what the product itself words (the fixture's cover text is the office's).
    assert [t for t in paragraphs if "activity & progress update" in t] == ["OPFCC activity & progress update"] * 2
    assert not [t for t in paragraphs if t.startswith("Business Area") or "PCC STATUTORY" in t]
    assert any(t.endswith("summarises progress by theme.") for t in paragraphs)
    plan_headers = [[c.text for c in t.rows[0].cells] for t in document.tables if t.rows[0].cells[0].text == "Ref."]
    assert plan_headers == [["Ref.", "Actions", "Target date", "Owner", "Progress", "R/A/G"]] * 2
    assert "PFCC: the Police, Fire and Crime Commissioner's response (black text)" in paragraphs
    lines = [line for t in document.tables for row in t.rows for c in row.cells for line in c.text.splitlines()]
    assert "PFCC:" in lines and "PCC:" not in lines and "Panel:" in lines

    page = lxml.html.fromstring(next(out.glob("*.html")).read_bytes())
    headings = [h.text_content().strip() for h in page.iter("h2", "h3", "h4")]
    assert "Theme 1: Communications, PR & Engagement" in headings
    assert not [h for h in headings if h.startswith("Business Area")]
    table = page.get_element_by_id("action-1.1").getparent().getparent()
    assert [th.text_content().strip() for th in table.find("thead").iter("th")] == \
        ["Ref.", "Actions", "Target date", "Owner", "Progress", "R/A/G"]
    labels = [label.text_content().strip() for label in page.iter("label")]
    assert "Theme" in labels and "Owner" in labels and "Business area" not in labels
    # No sponsor cell is drawn in any row: the office leaves the column out.
    assert not page.xpath("//td[contains(@class, 'sponsor')]")

    exported = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    labels_given = {r["by"]: r["label"] for rec in exported["recommendations"] for r in rec["responses"]}
    assert labels_given["pcc"] == "PFCC"


def test_thames_valley_states_its_words_and_they_are_the_defaults() -> None:
    """The shipped plan.md writes out Thames Valley's wording; the defaults (the schema's) are that wording,
    so a plan.md that gives none reads exactly as Thames Valley's does."""
    text = (ROOT / "content" / "plan.md").read_text(encoding="utf-8")
    assert "words:" in text and "short_name: OPCC" in text
    plan = read_plan(BuildRequest(content_dir=ROOT / "content", out_dir=ROOT / "build"))
    info = plan.info
    assert info.words == default_words({"organisation": info.organisation,
                                        "police_and_crime_plan": info.police_and_crime_plan})
    assert info.words.areas_introduction == ("OPCC Business Areas which support delivery of the PCC's "
                                             "Police and Crime Plan 2017-2021")
    assert info.words.activity_heading == "OPCC activity & progress update"
    # Every word the model holds is declared (with its default) in the schema, and nothing else is.
    declared = schema.load_schema("plan")["properties"]["words"]["properties"]
    assert set(declared) == {f for f in info.words.__slots__}  # type: ignore[attr-defined]
    assert all(isinstance(node.get("default"), str) and node["default"] for node in declared.values())
    # Each word is documented with its default.
    doc = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    for name, node in declared.items():
        assert f"| `{name}` | {node['default']} |" in doc, name


def test_columns_left_out_give_their_width_to_the_status(content_copy: Path) -> None:
    plan = read_plan(BuildRequest(content_dir=_pfcc(content_copy), out_dir=content_copy.parent / "out"))
    full = sum(width for _kind, width in _COLUMN_WIDTHS_CM)
    shown = shown_columns(plan, with_priorities=True)
    assert ColumnKind.SPONSOR not in shown and ColumnKind.PRIORITIES not in shown
    columns = plan_columns(plan, shown)
    assert [c.kind for c in columns] == [ColumnKind.REF, ColumnKind.ACTION, ColumnKind.DUE, ColumnKind.LEAD,
                                         ColumnKind.STATUS, ColumnKind.RAG]
    assert abs(sum(c.width_cm for c in columns) - full) < 1e-9
    status = next(c for c in columns if c.kind is ColumnKind.STATUS)
    assert abs(status.width_cm - (10.4 + 2.0 + 1.7)) < 1e-9


def _check(content: Path, old: str, new: str) -> tuple[int, list[str]]:
    plan_md = content / "plan.md"
    text = plan_md.read_text(encoding="utf-8")
    assert old in text
    plan_md.write_text(text.replace(old, new), encoding="utf-8")
    result = run_build("--content", str(content), "--check")
    return result.returncode, [line for line in result.stderr.splitlines() if "plan.md:" in line]


def _line_of(content: Path, needle: str) -> int:
    lines = (content / "plan.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_a_name_the_words_cannot_fill_in_stops_the_check_at_its_line(content_copy: Path) -> None:
    content = _pfcc(content_copy)
    code, errors = _check(content, "  plan_name: Delivery Plan", "  plan_name: The {office} Delivery Plan")
    line = _line_of(content, "plan_name:")
    assert code == 1
    assert errors == [f"{content / 'plan.md'}:{line}: '{{office}}' in 'plan_name' is not a name the words can fill in; "
                      "write the words themselves or one of {organisation}, {short_name}, {police_and_crime_plan}, "
                      "{area}, {areas}, {commissioner}, {commissioner_short}"]


def test_a_naming_word_names_nothing(content_copy: Path) -> None:
    content = _pfcc(content_copy)
    code, errors = _check(content, "  area: Theme", "  area: '{short_name} Theme'")
    assert code == 1
    assert errors == [f"{content / 'plan.md'}:{_line_of(content, '  area:')}: 'area' names no other words; "
                      "write the word itself instead of '{short_name}'"]


def test_a_misspelt_word_is_an_error_with_the_likely_key(content_copy: Path, tmp_path: Path) -> None:
    content = _pfcc(content_copy)
    code, errors = _check(content, "  lead_column: Owner", "  lead_colum: Owner")
    assert code == 1
    assert len(errors) == 1 and f"plan.md:{_line_of(content, 'lead_colum:')}: unknown field 'lead_colum'" in errors[0]
    assert "did you mean 'lead_column'?" in errors[0]
    out = tmp_path / "never"
    assert run_build("--content", str(content), "--out", str(out)).returncode == 1
    assert not out.exists()


def test_a_column_that_is_not_optional_is_an_error_saying_how_to_rename(content_copy: Path) -> None:
    content = _pfcc(content_copy)
    code, errors = _check(content, "columns: [lead, due]", "columns: [Owner, due]")
    assert code == 1
    assert errors == [f"{content / 'plan.md'}:{_line_of(content, 'columns:')}: 'columns' lists which optional columns "
                      "show, from: priorities, due, sponsor, lead; 'Owner' is not one. To name a column in the "
                      "office's own words, write it under 'words:', e.g. '  lead_column: Owner'"]


def test_a_report_in_an_office_s_words_imports_back_without_the_lines_the_build_wrote(content_copy: Path,
                                                                                      tmp_path: Path) -> None:
    """The importer knows the build's own lines (the line above the tables, each table's heading, the provenance)
    in any office's words, as they are defined once: none of them comes back as an introduction."""
    from import_helpers import front_matter, run_import

    out = tmp_path / "out"
    assert run_build("--content", str(_pfcc(content_copy)), "--out", str(out)).returncode == 0
    imported = tmp_path / "imported"
    result = run_import(next(out.glob("*.docx")), "--content", imported)
    assert result.returncode == 0, result.stderr
    plan, intro = front_matter(imported / "plan.md")
    assert plan["words"]["area"] == "Theme"
    assert intro == "This plan captures the activities of the office."
    area_texts = [(path.read_text(encoding="utf-8")) for path in (imported / "business_areas").glob("*/_area.md")]
    assert len(area_texts) == 2
    assert not [text for text in area_texts if "activity & progress update" in text or "Content" in text]
