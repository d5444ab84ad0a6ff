"""Exports for Excel and the web (issue 12): --format csv,xlsx,json.

The CSV and XLSX cells are checked against the HTML report's own rows, the JSON against its schema
(schemas/export/report.schema.json), and a restricted canary must reach none of the public files.
Issue 19 (parts 4 and 5): the restricted copy's CSV and XLSX carry its mark; the CSV's refs stay text and
the XLSX's due months, counts and percentages are typed, checked with openpyxl and with LibreOffice Calc
opening the files as a person would (the tests marked slow).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import openpyxl
import pytest
from conftest import ROOT, run_build, run_build_process

from delivery_report.export.csv_export import MARKING_COLUMN, neutralise, text_formula, unwrap_text_formula
from delivery_report.export.rows import ACTION_COLUMNS
from delivery_report.issues import BuildError
from delivery_report.layout.colours import rating_fills
from delivery_report.layout.wording import RESTRICTED_MARK
from delivery_report.model import DEFAULT_SCALE
from delivery_report.pipeline import parse_formats

SCHEMA = json.loads((ROOT / "schemas" / "export" / "report.schema.json").read_text(encoding="utf-8"))
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "white": "White", "complete": "Complete",
             "none": "Not assessed", "new": "New"}
LIFECYCLE_WORDS = {"active": "Active", "superseded": "Superseded", "deleted": "Deleted"}
CANARY = "CANARY-EXPORT-7f3a"
AS_AT = "2018-04-11"
REF = ACTION_COLUMNS.index("Ref")
DUE = ACTION_COLUMNS.index("Due")
INSTALL = "run scripts/install-test-deps.sh"


def read_csv(data: bytes) -> list[list[str]]:
    """The CSV's rows; it must start with a UTF-8 byte-order mark."""
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would guess the encoding"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def unneutralised(cell: str) -> str:
    """A CSV cell as the report shows it (the apostrophe before a formula character taken off)."""
    return cell[1:] if cell[:2] in ("'=", "'+", "'-", "'@") else cell


def shown(row: list[str]) -> list[str]:
    """A CSV row of the public copy as a spreadsheet shows it: the ref's text formula evaluated, the
    apostrophe before a formula character in any other cell taken off."""
    return [unwrap_text_formula(cell) if index == REF else unneutralised(cell) for index, cell in enumerate(row)]


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
    result = run_build("--as-at", AS_AT, "--out", str(out), "--format", "html,csv,xlsx,json")
    assert result.returncode == 0, result.stderr
    return {path.suffix[1:]: path.read_bytes() for path in out.iterdir()}


@pytest.fixture(scope="module")
def restricted_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The real plan's restricted copy (--restricted) as at 11 April 2018: CSV and XLSX."""
    out = tmp_path_factory.mktemp("restricted")
    result = run_build("--as-at", AS_AT, "--out", str(out), "--format", "csv,xlsx", "--restricted")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"report-{AS_AT}-restricted.csv", f"report-{AS_AT}-restricted.xlsx"]
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
        # The ref is written as a formula whose result is its text (="1.10"), which spreadsheets keep as text.
        assert cells[column["Ref"]] == f'="{tr.get("data-ref")}"'
        cells = shown(cells)
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
    values = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    expected: list[list[Any]] = [shown(row) for row in read_csv(real_exports["csv"])]
    # Due is a date (the month's 1st day) where the plan gives a month, the word typed otherwise.
    document = json.loads(real_exports["json"])
    dues = [a["due"] for area in document["areas"] for a in area["actions"]]
    assert len(dues) == len(expected) - 1
    for row, due in zip(expected[1:], dues):
        if due is not None and due[:4].isdigit():
            row[DUE] = dt.datetime(int(due[:4]), int(due[5:7]), 1)
    assert values == expected
    due_cells = [row[DUE] for row in sheet.iter_rows(min_row=2)]
    months = [c for c in due_cells if isinstance(c.value, dt.datetime)]
    words = [c for c in due_cells if isinstance(c.value, str)]
    assert len(months) == 55 and {c.number_format for c in months} == {"mmm yyyy"}
    assert {c.value for c in words} == {"Ongoing", "Quarterly"} and all(c.data_type == "s" for c in words)
    refs = [row[REF] for row in sheet.iter_rows(min_row=2)]
    assert {"1.10", "3.10", "7.10"} <= {c.value for c in refs} and all(c.data_type == "s" for c in refs)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(expected)}"
    assert all(sheet.column_dimensions[letter].width >= 7 for letter in "ABCDEFGHIJK")
    rag_column = ACTION_COLUMNS.index("R/A/G") + 1
    seen = set()
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=rag_column)
        rag = {word: key for key, word in RAG_WORDS.items()}[cell.value]
        look = next((f for f in rating_fills(DEFAULT_SCALE) if f.id == rag), None)
        if look is not None:
            assert cell.fill.fgColor.rgb[-6:] == look.fill
            assert cell.font.color.rgb[-6:] == look.text
            seen.add(rag)
    assert "complete" in seen
    kpis = list(book["Performance measures"].iter_rows(values_only=True))
    header = kpis[0]
    by_title = {row[0]: dict(zip(header, row)) for row in kpis[1:]}
    dv = by_title["Reduce the level of violence – Domestic Violence"]
    assert (dv["Comparison"], dv["Current"], dv["Change"]) == (5041, 5009, -32)
    # % change is a true percentage: -0.6% is the number -0.0063…, shown '-0.6%'.
    assert dv["% change"] == pytest.approx((5009 - 5041) / 5041)
    assert dv["Direction of travel"] == "Down – improving"
    repeat = by_title["Repeat victimisation rate for domestic abuse related crime"]
    # A percent measure's values stay the numbers typed (points), labelled '%': Change is Current - Comparison.
    assert (repeat["Comparison"], repeat["Current"], repeat["Change"]) == (26.5, 23.5, -3)
    assert repeat["% change"] == pytest.approx(-3 / 26.5)
    formats = {row[0].value: {header[i]: cell.number_format for i, cell in enumerate(row)}
               for row in book["Performance measures"].iter_rows(min_row=2)}
    assert {k: formats[dv["Measure"]][k] for k in ("Comparison", "Current", "Change", "% change")} == {
        "Comparison": "#,##0", "Current": "#,##0", "Change": "+#,##0;-#,##0;0", "% change": "+0.0%;-0.0%;0.0%"}
    assert {k: formats[repeat["Measure"]][k] for k in ("Comparison", "Current", "Change")} == {
        "Comparison": '#,##0.0"%"', "Current": '#,##0.0"%"', "Change": '+0.0" points";-0.0" points";0.0" points"'}
    about = dict(book["About"].iter_rows(values_only=True))
    assert (about["As at"], about["Compared with"]) == (dt.datetime(2018, 4, 11), dt.datetime(2017, 11, 7))
    assert book["About"]["B3"].number_format == "d mmmm yyyy"
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
    document["areas"][0]["actions"][0]["rag"] = "Purple!"  # no rating id is written so
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
    row = next(r for r in rows if r[0] == text_formula("2.1"))
    assert row[ACTION_COLUMNS.index("Action")].startswith("'=HYPERLINK(")
    assert row[ACTION_COLUMNS.index("Current status")].startswith("'@SUM(A1:A2)")
    # The only cells a spreadsheet runs as formulas are the refs' own ="x.y", never content.
    formulas = [(index, cell) for r in rows[1:] for index, cell in enumerate(r) if cell.startswith(("=", "+", "-", "@"))]
    assert formulas and all(index == REF and cell == text_formula(unwrap_text_formula(cell)) for index, cell in formulas)
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


@pytest.mark.parametrize(("text", "cell"), [
    ("1.10", '="1.10"'), ("12.3", '="12.3"'), ('a "b" c', '="a ""b"" c"'), ("", '=""'),
])
def test_text_formula_round_trips(text: str, cell: str) -> None:
    assert text_formula(text) == cell
    assert unwrap_text_formula(cell) == text
    assert unwrap_text_formula("1.10") == "1.10" and unwrap_text_formula("'=1+1") == "'=1+1"


def test_format_list_names_the_exports() -> None:
    assert parse_formats("json, CSV,xlsx") == ("csv", "xlsx", "json")
    with pytest.raises(BuildError, match="choose from docx,html,pdf,csv,xlsx,json"):
        parse_formats("xls")


# --- the restricted copy's marks (issue 19, part 4) -------------------------------------------------------------


def test_restricted_csv_marks_every_row_in_a_first_column(real_exports: dict[str, bytes],
                                                          restricted_exports: dict[str, bytes]) -> None:
    public = read_csv(real_exports["csv"])
    restricted = read_csv(restricted_exports["csv"])
    # The public CSV's header is the contract other tools read: unchanged, and no mark anywhere.
    assert tuple(public[0]) == ACTION_COLUMNS
    assert RESTRICTED_MARK not in real_exports["csv"].decode("utf-8-sig")
    # The restricted copy: the header still on the first line, one more column first, the mark on every row.
    assert tuple(restricted[0]) == (MARKING_COLUMN, *ACTION_COLUMNS)
    assert len(restricted) == len(public) == 68
    assert all(row[0] == RESTRICTED_MARK for row in restricted[1:])
    # (The real plan has no restricted content: the rest of each row is the public row.)
    assert [row[1:] for row in restricted[1:]] == public[1:]


def test_restricted_xlsx_is_marked_in_its_properties_and_on_every_sheet(real_exports: dict[str, bytes],
                                                                        restricted_exports: dict[str, bytes]) -> None:
    public = openpyxl.load_workbook(io.BytesIO(real_exports["xlsx"]))
    restricted = openpyxl.load_workbook(io.BytesIO(restricted_exports["xlsx"]))
    title = f"{json.loads(real_exports['json'])['plan']['title']} (as at 11 April 2018)"
    subject = "Delivery plan data: actions, performance measures and Panel recommendations"
    assert (public.properties.title, public.properties.subject) == (title, subject)
    assert (restricted.properties.title, restricted.properties.subject) == (
        f"{RESTRICTED_MARK}: {title}", f"{RESTRICTED_MARK}: {subject}")
    assert restricted.sheetnames == public.sheetnames == ["Actions", "Performance measures", "Panel recommendations",
                                                          "About"]
    for name in public.sheetnames:
        marked, plain = restricted[name], public[name]
        # On screen: the mark is the first row, above the table, frozen with its header so it stays in view.
        assert marked["A1"].value == RESTRICTED_MARK and marked["A1"].font.b, name
        assert marked.oddHeader.center.text == RESTRICTED_MARK, name  # and on every printed page
        assert plain.oddHeader.center.text is None, name
        rows = [list(row) for row in marked.iter_rows(values_only=True)]
        expected = [list(row) for row in plain.iter_rows(values_only=True)]
        if name == "About":  # the one difference: which copy this is
            assert (expected[-1], rows[-1]) == (["Copy", "Public: restricted (Part 2) content left out"],
                                                ["Copy", RESTRICTED_MARK])
            expected[-1] = rows[-1]
        assert rows[1:] == expected, name
        if name != "About":
            assert (plain.freeze_panes, marked.freeze_panes) == ("A2", "A3"), name
            assert plain.auto_filter.ref.startswith("A1:") and marked.auto_filter.ref.startswith("A2:"), name
            assert plain.auto_filter.ref[4:] == str(int(marked.auto_filter.ref[4:]) - 1), name
    public_cells = [v for sheet in public.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert RESTRICTED_MARK not in public_cells


# --- what LibreOffice Calc shows (issue 19, part 5) --------------------------------------------------------------


def calc_convert(source: Path, target: str, out: Path, *, infilter: str = "") -> None:
    """LibreOffice Calc opens `source` (headless, a profile of its own) and saves it as `target` in `out`."""
    soffice = shutil.which("soffice")
    assert soffice, f"LibreOffice is missing: {INSTALL}"
    assert shutil.which("localc"), f"LibreOffice Calc is missing: {INSTALL} (it installs libreoffice-calc)"
    command = [soffice, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless"]
    command += [f"--infilter={infilter}"] if infilter else []
    result = subprocess.run([*command, "--convert-to", target, "--outdir", str(out), str(source)],
                            capture_output=True, text=True, check=True, timeout=300)
    assert "Error" not in result.stderr, result.stderr


def calc_opens_csv(data: bytes, name: str, out: Path) -> list[list[Any]]:
    """The CSV opened in Calc with its Text Import defaults and saved as XLSX, read back as Calc showed
    each cell (a formula's result, not the formula)."""
    source = out / name
    source.write_bytes(data)
    # 44,34,76,1: fields separated by commas, quoted by ", in UTF-8 (76), from line 1; the other options are
    # the dialog's defaults (standard column types, special numbers not detected, formulas evaluated).
    calc_convert(source, "xlsx", out, infilter="CSV:44,34,76,1")
    book = openpyxl.load_workbook(out / source.with_suffix(".xlsx").name, data_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.slow  # LibreOffice
def test_calc_opens_the_csv_with_every_ref_as_typed(real_exports: dict[str, bytes], tmp_path: Path) -> None:
    """Every ref reads back as the text the plan gives it ("1.10" stays "1.10", not the number 1.1, which is
    action 1.1's ref), and every cell of words as the CSV wrote it (encoding, quoting and line breaks inside
    a cell survive). Due and Strategic priorities are left to Calc's reading (a month, a number)."""
    rows = calc_opens_csv(real_exports["csv"], f"report-{AS_AT}.csv", tmp_path)
    header = rows[0]
    refs_in_calc = [row[header.index("Ref")] for row in rows[1:]]

    plan = json.loads(real_exports["json"])
    refs = [action["ref"] for area in plan["areas"] for action in area["actions"]]
    assert {"1.10", "3.10", "7.10"} <= set(refs) and len(set(refs)) == len(refs) == 67
    assert refs_in_calc == refs, [(calc, ref) for calc, ref in zip(refs_in_calc, refs) if calc != ref]

    written = read_csv(real_exports["csv"])
    assert written[0] == list(header)
    words = [column for column in header if column not in ("Ref", "Due", "Strategic priorities")]
    assert len(words) >= 7
    for column in words:
        index = header.index(column)
        assert [row[index] or "" for row in rows[1:]] == [row[index] for row in written[1:]], column


@pytest.mark.slow  # LibreOffice
def test_calc_opens_the_restricted_csv_with_the_mark_on_every_row(restricted_exports: dict[str, bytes],
                                                                   tmp_path: Path) -> None:
    rows = calc_opens_csv(restricted_exports["csv"], f"report-{AS_AT}-restricted.csv", tmp_path)
    assert rows[0][:2] == [MARKING_COLUMN, "Ref"] and len(rows) == 68
    assert all(row[0] == RESTRICTED_MARK for row in rows[1:])
    assert {"1.10", "3.10", "7.10"} <= {row[1] for row in rows[1:]}


def calc_shows_xlsx(data: bytes, name: str, out: Path) -> dict[str, list[list[str]]]:
    """Each sheet of the workbook as Calc shows it: saved by Calc as CSV with the cells' contents as shown
    (number formats applied), one file per sheet, by sheet name."""
    out.mkdir()
    source = out / name
    source.write_bytes(data)
    # Tokens: comma, ", UTF-8, line 1, no column formats, language 0, no quoting of all text, detect numbers,
    # save as shown, no formulas, no spaces kept, every sheet (-1) into a file of its own.
    calc_convert(source, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", out)
    sheets = {}
    for path in out.glob(f"{source.stem}-*.csv"):
        with path.open(encoding="utf-8", newline="") as opened:
            sheets[path.stem.removeprefix(f"{source.stem}-")] = list(csv.reader(opened))
    return sheets


@pytest.mark.slow  # LibreOffice
def test_calc_shows_the_xlsx_dates_and_numbers_as_the_report_does(real_exports: dict[str, bytes],
                                                                   restricted_exports: dict[str, bytes],
                                                                   tmp_path: Path) -> None:
    sheets = calc_shows_xlsx(real_exports["xlsx"], f"report-{AS_AT}.xlsx", tmp_path / "public")
    assert sorted(sheets) == ["About", "Actions", "Panel recommendations", "Performance measures"]
    actions = sheets["Actions"]
    assert tuple(actions[0]) == ACTION_COLUMNS
    due = {row[REF]: row[DUE] for row in actions[1:]}
    # A month as 'mmm yyyy' (the report's 'July 2017' is Excel's 'Jul 2017'), a word as typed, none as empty.
    assert (due["1.10"], due["3.2"], due["7.10"], due["9.2"], due["1.1"]) == (
        "Mar 2018", "Jul 2017", "Ongoing", "Quarterly", "")
    csv_rows = [shown(row) for row in read_csv(real_exports["csv"])]
    assert [row[:DUE] + row[DUE + 1:] for row in actions] == [row[:DUE] + row[DUE + 1:] for row in csv_rows]
    assert [row[DUE] for row in actions[1:]] == [
        row[DUE].replace("July", "Jul") for row in csv_rows[1:]]

    kpis = sheets["Performance measures"]
    by_title = {row[0]: dict(zip(kpis[0], row)) for row in kpis[1:]}
    dv = by_title["Reduce the level of violence – Domestic Violence"]
    assert (dv["Comparison"], dv["Current"], dv["Change"], dv["% change"]) == ("5,041", "5,009", "-32", "-0.6%")
    rape = by_title["Increase the volume of rape investigations which result in prosecution"]
    assert (rape["Comparison"], rape["Current"], rape["Change"], rape["% change"]) == ("61", "68", "+7", "+11.5%")
    repeat = by_title["Repeat victimisation rate for domestic abuse related crime"]
    assert (repeat["Comparison"], repeat["Current"], repeat["Change"], repeat["% change"]) == (
        "26.5%", "23.5%", "-3.0 points", "-11.3%")
    about = dict(row[:2] for row in sheets["About"])
    assert (about["As at"], about["Compared with"]) == ("11 April 2018", "7 November 2017")

    marked = calc_shows_xlsx(restricted_exports["xlsx"], f"report-{AS_AT}-restricted.xlsx", tmp_path / "restricted")
    assert sorted(marked) == sorted(sheets)
    for name, rows in marked.items():
        assert rows[0][0] == RESTRICTED_MARK and not any(rows[0][1:]), name
        if name == "About":
            assert rows[-1] == ["Copy", RESTRICTED_MARK] and rows[1:-1] == sheets[name][:-1]
        else:
            assert rows[1:] == sheets[name], name
