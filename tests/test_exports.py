"""Exports for Excel and the web (issue 12): --format csv,xlsx,json.

The CSV and XLSX cells are checked against the HTML report's own rows, the JSON against its schema
(schemas/export/report.schema.json), and a restricted canary must reach none of the public files.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import lxml.html
import openpyxl
import pytest
from conftest import ROOT, run_build, run_build_process

from delivery_report.export.csv_export import neutralise
from delivery_report.export.rows import ACTION_COLUMNS
from delivery_report.issues import BuildError
from delivery_report.layout.colours import RAG_FILLS
from delivery_report.pipeline import parse_formats

SCHEMA = json.loads((ROOT / "schemas" / "export" / "report.schema.json").read_text(encoding="utf-8"))
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "white": "White", "complete": "Complete",
             "none": "Not assessed", "new": "New"}
LIFECYCLE_WORDS = {"active": "Active", "superseded": "Superseded", "deleted": "Deleted"}
CANARY = "CANARY-EXPORT-7f3a"


def read_csv(data: bytes) -> list[list[str]]:
    """The CSV's rows; it must start with a UTF-8 byte-order mark."""
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would guess the encoding"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def unneutralised(cell: str) -> str:
    """A CSV cell as the report shows it (the apostrophe before a formula character taken off)."""
    return cell[1:] if cell[:2] in ("'=", "'+", "'-", "'@") else cell


def html_rows(page: str) -> list[lxml.html.HtmlElement]:
    """The delivery plan's action rows in the HTML report."""
    return lxml.html.fromstring(page).xpath('//tr[@data-ref]')


def cell_text(row: lxml.html.HtmlElement, kind: str) -> str:
    """The text of a row's cell of this kind, with white space squashed ('' when the column is not shown)."""
    cells = row.xpath(f'./td[contains(concat(" ", @class, " "), " {kind} ")]')
    return " ".join(cells[0].text_content().split()) if cells else ""


def all_text(data: bytes) -> str:
    """Every member of a zip package (XLSX) as text, or the file itself."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
    return data.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def real_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The real plan as at 11 April 2018 (compared with the 7 November 2017 report), in every format but pdf."""
    out = tmp_path_factory.mktemp("exports")
    result = run_build("--as-at", "2018-04-11", "--out", str(out), "--format", "html,csv,xlsx,json")
    assert result.returncode == 0, result.stderr
    return {path.suffix[1:]: path.read_bytes() for path in out.iterdir()}


def test_file_names(tmp_path: Path, real_exports: dict[str, bytes]) -> None:
    assert sorted(real_exports) == ["csv", "html", "json", "xlsx"]
    result = run_build("--as-at", "2018-04-11", "--out", str(tmp_path), "--format", "json,csv")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-2018-04-11.csv", "report-2018-04-11.json"]


def test_csv_rows_are_the_reports_rows(real_exports: dict[str, bytes]) -> None:
    rows = read_csv(real_exports["csv"])
    assert tuple(rows[0]) == ACTION_COLUMNS
    report = html_rows(real_exports["html"].decode("utf-8"))
    assert len(rows) - 1 == len(report) == 67
    column = {name: index for index, name in enumerate(ACTION_COLUMNS)}
    for cells, tr in zip(rows[1:], report):
        cells = [unneutralised(c) for c in cells]
        assert cells[column["Ref"]] == tr.get("data-ref")
        assert cells[column["R/A/G"]] == RAG_WORDS[tr.get("data-rag")]
        assert cells[column["R/A/G previous"]] == RAG_WORDS[tr.get("data-rag-previous")]
        assert cells[column["Lifecycle"]] == LIFECYCLE_WORDS[tr.get("data-lifecycle")]
        assert cells[column["Sponsor"]] == cell_text(tr, "sponsor").replace("/ ", "/")
        assert cells[column["Lead officer"]] == cell_text(tr, "lead").replace("/ ", "/")
        assert cell_text(tr, "due").startswith(cells[column["Due"]])
        if tr.xpath('./td[contains(@class, "priorities")]'):
            assert cells[column["Strategic priorities"]] == cell_text(tr, "priorities")
        # The status in plain text holds the same words as the report's cell (bullets aside).
        status = " ".join(cells[column["Current status"]].replace("• ", "").split())
        assert status == cell_text(tr, "status"), tr.get("data-ref")
    business_areas = {cells[column["Business area"]] for cells in rows[1:]}
    assert "1. Communications, PR & Engagement" in business_areas and len(business_areas) == 9


def test_xlsx_holds_the_csv_rows_with_colours_filters_and_widths(real_exports: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(real_exports["xlsx"]))
    assert book.sheetnames == ["Actions", "Performance measures", "Panel recommendations", "About"]
    sheet = book["Actions"]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    expected = [[unneutralised(c) for c in row] for row in read_csv(real_exports["csv"])]
    assert values == expected
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(expected)}"
    assert all(sheet.column_dimensions[letter].width >= 7 for letter in "ABCDEFGHIJK")
    rag_column = ACTION_COLUMNS.index("R/A/G") + 1
    seen = set()
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=rag_column)
        rag = {word: key for key, word in RAG_WORDS.items()}[cell.value]
        colours = RAG_FILLS.get(rag)
        if colours:
            assert cell.fill.fgColor.rgb[-6:] == colours[0]
            assert cell.font.color.rgb[-6:] == colours[1]
            seen.add(rag)
    assert "complete" in seen
    kpis = list(book["Performance measures"].iter_rows(values_only=True))
    header = kpis[0]
    by_title = {row[0]: dict(zip(header, row)) for row in kpis[1:]}
    dv = by_title["Reduce the level of violence – Domestic Violence"]
    assert (dv["Comparison"], dv["Current"], dv["Change"], dv["% change"]) == (5041, 5009, -32, -0.6)
    assert dv["Direction of travel"] == "Down – improving"
    repeat = by_title["Repeat victimisation rate for domestic abuse related crime"]
    assert (repeat["Comparison"], repeat["Current"]) == (26.5, 23.5)
    recommendations = list(book["Panel recommendations"].iter_rows(values_only=True))
    page = lxml.html.fromstring(real_exports["html"].decode("utf-8"))
    assert len(recommendations) - 1 == len(page.xpath('//tr[starts-with(@id, "recommendation-")]'))


def test_json_matches_its_schema_and_the_report(real_exports: dict[str, bytes]) -> None:
    document = json.loads(real_exports["json"])
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["as_at"] == "2018-04-11" and len(document["commit"]) == 40
    assert document["compared_with"]["date"] == "2017-11-07"
    refs = [a["ref"] for area in document["areas"] for a in area["actions"]]
    report = html_rows(real_exports["html"].decode("utf-8"))
    assert refs == [tr.get("data-ref") for tr in report]
    for action, tr in zip((a for area in document["areas"] for a in area["actions"]), report):
        assert (action["rag"] or "none") == tr.get("data-rag")
        assert action["rag_previous"] == tr.get("data-rag-previous")
        assert action["restricted"] is False
    kpis = {k["slug"]: k for k in document["kpis"]}
    assert kpis["domestic-violence"]["values"] == [{"label": "2016/17 Comparison", "value": 5041},
                                                   {"label": "2017/18 (April – Sept)", "value": 5009}]
    assert kpis["rape-investigations-prosecution"]["direction"] == "improving"
    assert kpis["repeat-victimisation-domestic-abuse"]["change"] == -3
    matrix = lxml.html.fromstring(real_exports["html"].decode("utf-8")).xpath('//table[@id="priority-matrix"]//tr[@data-priority]')
    assert {int(tr.get("data-priority")): int(tr.get("data-actions")) for tr in matrix} == {
        p["number"]: sum(p["active_actions"].values()) for p in document["priorities"]}


def test_schema_rejects_a_wrong_document(real_exports: dict[str, bytes]) -> None:
    document = json.loads(real_exports["json"])
    document["areas"][0]["actions"][0]["rag"] = "purple"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_same_content_gives_the_same_bytes(tmp_path: Path, real_exports: dict[str, bytes]) -> None:
    # built again in a process of its own (another hash seed: no set order leaks into the files)
    result = run_build_process("--as-at", "2018-04-11", "--out", str(tmp_path), "--format", "csv,xlsx,json")
    assert result.returncode == 0, result.stderr
    for suffix in ("csv", "xlsx", "json"):
        assert (tmp_path / f"report-2018-04-11.{suffix}").read_bytes() == real_exports[suffix], suffix
    with zipfile.ZipFile(io.BytesIO(real_exports["xlsx"])) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2018-04-11T00:00:00Z" in core and core.count("2018-04-11T00:00:00Z") == 2


# --- restricted content and hostile cells ---------------------------------------------------------------


def _restricted_content(content: Path) -> None:
    """A canary in every kind of restricted content: an action, a fenced block, a KPI, a recommendation."""
    area = content / "business_areas" / "02-partnerships"
    (area / "2.3.md").write_text(
        f'---\nref: "2.3"\naction: {CANARY} action\npriorities: [1]\nrag: red\nrestricted: true\n---\n{CANARY} status\n',
        encoding="utf-8")
    status = area / "2.1.md"
    status.write_text(status.read_text(encoding="utf-8") + f"\nPublic words.\n\n::: restricted\n{CANARY} fenced\n:::\n",
                      encoding="utf-8")
    (content / "kpis" / "exempt.md").write_text(
        f"---\ntitle: {CANARY} measure\nperiod: 2017/18\nunit: count\nbetter: lower\n"
        "current: {label: now, value: 3}\nrestricted: true\n---\n", encoding="utf-8")
    (content / "recommendations" / "02-exempt.md").write_text(
        f"---\nnumber: 2\ntopic: {CANARY} topic\nrestricted: true\n---\n{CANARY} recommendation\n", encoding="utf-8")


def test_restricted_canary_reaches_no_public_export(content_copy: Path, tmp_path: Path) -> None:
    _restricted_content(content_copy)
    out = tmp_path / "public"
    result = run_build("--content", str(content_copy), "--out", str(out), "--format", "csv,xlsx,json")
    assert result.returncode == 0, result.stderr
    files = {p.suffix: p.read_bytes() for p in out.iterdir()}
    assert sorted(files) == [".csv", ".json", ".xlsx"]
    for suffix, data in files.items():
        assert CANARY not in all_text(data), suffix
    assert "Public words." in read_csv(files[".csv"])[-1][ACTION_COLUMNS.index("Current status")]
    # The internal copy (--restricted) holds everything, as its DOCX and HTML do, and says so.
    internal = tmp_path / "internal"
    result = run_build("--content", str(content_copy), "--out", str(internal), "--format", "csv,xlsx,json", "--restricted")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in internal.iterdir())
    assert all(name.startswith("report-") and "-restricted." in name for name in names) and len(names) == 3
    document = json.loads(next(internal.glob("*.json")).read_bytes())
    jsonschema.validate(document, SCHEMA)
    assert document["restricted_copy"] is True
    assert any(a["restricted"] for area in document["areas"] for a in area["actions"])
    assert all(CANARY in all_text(p.read_bytes()) for p in internal.iterdir())


def test_formula_cells_are_neutralised(content_copy: Path, tmp_path: Path) -> None:
    action = content_copy / "business_areas" / "02-partnerships" / "2.1.md"
    text = action.read_text(encoding="utf-8")
    text = text.replace("action: Ensure TVP implement new victim referral pathways.",
                        "action: '=HYPERLINK(\"http://x.invalid\",\"y\") Ensure TVP'")
    front_matter = text[: text.index("\n---\n", 4) + 5]
    action.write_text(front_matter + "@SUM(A1:A2) and +1 and -2\n", encoding="utf-8")
    result = run_build("--content", str(content_copy), "--out", str(tmp_path), "--format", "csv,xlsx")
    assert result.returncode == 0, result.stderr
    rows = read_csv(next(tmp_path.glob("*.csv")).read_bytes())
    row = next(r for r in rows if r[0] == "2.1")
    assert row[ACTION_COLUMNS.index("Action")].startswith("'=HYPERLINK(")
    assert row[ACTION_COLUMNS.index("Current status")].startswith("'@SUM(A1:A2)")
    data = next(tmp_path.glob("*.xlsx")).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml, "a cell was written as a formula"
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for c in book["Actions"]["C"] if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert len(cells) == 1 and cells[0].data_type == "s"


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1+1", "'=1+1"), ("+44 1865", "'+44 1865"), ("-2", "'-2"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Fine = ok", "Fine = ok"), ("", ""),
])
def test_neutralise(cell: str, shown: str) -> None:
    assert neutralise(cell) == shown


def test_format_list_names_the_exports() -> None:
    assert parse_formats("json, CSV,xlsx") == ("csv", "xlsx", "json")
    with pytest.raises(BuildError, match="choose from docx,html,pdf,csv,xlsx,json"):
        parse_formats("xls")
