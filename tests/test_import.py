"""Importing a Word delivery plan: round trips through the build and an office suite, and a seed-layout plan."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import ROOT, run_build
from hypothesis import given, settings
from hypothesis import strategies as st
from import_helpers import (
    SEED_ACTION_TEXT,
    SEED_BODIES,
    SEED_EXPECTED,
    SEED_PROBLEMS,
    SeedArea,
    SeedRow,
    SeedTable,
    check_imported,
    front_matter,
    run_import,
    seed_layout_plan,
    write_seed_layout,
)

from delivery_report.importer.cells import Para, to_markdown
from delivery_report.importer.verify import first_difference
from delivery_report.model import Span

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RAG_WORD = re.compile(r"\b(Red|Amber|Green|White|Complete)\b")


def _run_signature(run: Any) -> tuple[str, ...]:
    props = run.find(f"{W}rPr")
    found = []
    if props is not None:
        for tag in ("b", "i", "u", "vertAlign", "color"):
            element = props.find(f"{W}{tag}")
            if element is not None:
                found.append(f"{tag}={element.get(f'{W}val') or ''}")
    return tuple(found)


def _cell(tc: Any, rag: bool) -> Any:
    """A cell as paragraphs of (style, [(text, formatting)]) and its fill; the R/A/G cell as its word and fill.

    What the build works out from history is left out, since an imported folder starts with none: the
    R/A/G cell is compared by its word alone (not the direction of travel under it), and the due
    date without the 'Overdue' line."""
    props = tc.find(f"{W}tcPr")
    shading = props.find(f"{W}shd") if props is not None else None
    fill = shading.get(f"{W}fill") if shading is not None else None
    if rag:
        first = next(iter(tc.iter(f"{W}p")), None)
        text = "".join(t.text or "" for t in first.iter(f"{W}t")) if first is not None else ""
        word = RAG_WORD.search(text) if "→" not in text else None  # a movement line, not the rating
        return (word.group(1) if word else "", fill)
    paragraphs = []
    for p in tc.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        runs: list[tuple[str, tuple[str, ...]]] = []
        for run in p.iter(f"{W}r"):
            text = "".join((t.text or "") if t.tag == f"{W}t" else "\t" if t.tag == f"{W}tab" else "\n"
                           for t in run if t.tag in (f"{W}t", f"{W}tab", f"{W}br"))
            if not text:
                continue
            signature = _run_signature(run)
            if runs and runs[-1][1] == signature:
                runs[-1] = (runs[-1][0] + text, signature)
            else:
                runs.append((text, signature))
        if "".join(text for text, _ in runs) == "Overdue":
            continue
        paragraphs.append((style.get(f"{W}val") if style is not None else "", runs))
    return (paragraphs, fill)


def delivery_plan_rows(path: Path) -> list[list[Any]]:
    """Every row of every delivery-plan table (header rows included), cell by cell."""
    document = docx.Document(str(path))
    rows = []
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] != ["Ref.", "Actions"]:
            continue
        rag_column = header.index("R/A/G")
        for tr in table._tbl.tr_lst:
            rows.append([_cell(tc, rag=i == rag_column and tr is not table._tbl.tr_lst[0])
                         for i, tc in enumerate(tr.tc_lst)])
    return rows


_SHIPPED: dict[str, Path] = {}


def shipped_report(day: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plan's report as at `day`, built once from this repository's history."""
    if day not in _SHIPPED:
        out = tmp_path_factory.mktemp(f"shipped-{day}")
        result = run_build("--as-at", day, "--out", str(out))
        assert result.returncode == 0, result.stderr
        _SHIPPED[day] = out / f"report-{day}.docx"
    return _SHIPPED[day]


@pytest.fixture
def shipped_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plan's report as at 11 April 2018 (the plan's latest state)."""
    return shipped_report("2018-04-11", tmp_path_factory)


def import_and_build(source: Path, work: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Import `source` into an empty folder (not in any git repository), check it, then build it."""
    content = work / "imported" / "content"
    imported = run_import(source, "--content", content)
    assert imported.returncode == 0, imported.stderr
    check_imported(content)
    # A working-tree build shows the placeholders, marked DRAFT, so the import can be previewed as it is filled in.
    built = run_build("--content", str(content), "--out", str(work / "rebuilt"))
    assert built.returncode == 0, built.stderr
    return imported, next((work / "rebuilt").glob("report-*.docx"))


def assert_same_rows(original: Path, rebuilt: Path) -> None:
    before, after = delivery_plan_rows(original), delivery_plan_rows(rebuilt)
    assert len(before) == len(after) == 76  # 67 actions and 9 header rows
    for index, (row_before, row_after) in enumerate(zip(before, after)):
        for column, (cell_before, cell_after) in enumerate(zip(row_before, row_after)):
            assert cell_before == cell_after, f"row {index} column {column}"
        assert len(row_before) == len(row_after)


@pytest.mark.parametrize("day", ["2018-04-11", "2017-11-07"])
def test_round_trip_of_the_shipped_plan(day: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    shipped_docx = shipped_report(day, tmp_path_factory)
    imported, rebuilt = import_and_build(shipped_docx, tmp_path)
    assert imported.stderr == ""  # nothing the importer could not map
    assert "9 business areas, 67 actions" in imported.stdout
    assert_same_rows(shipped_docx, rebuilt)
    content = tmp_path / "imported" / "content"
    plan = (content / "plan.md").read_text(encoding="utf-8")
    assert "title: Thames Valley OPCC Strategic Delivery Plan 2017/18" in plan
    if day == "2018-04-11":  # carried-forward wording, and so the next plan's name, came in 2018
        assert "next_plan: 2018/19 OPCC SDP" in plan
    people = yaml.safe_load((content / "people.yaml").read_text(encoding="utf-8"))["people"]
    shipped_people = yaml.safe_load((ROOT / "content" / "people.yaml").read_text(encoding="utf-8"))["people"]
    assert {p["initials"] for p in people} <= {p["initials"] for p in shipped_people}
    assert len(people) >= 15


@pytest.mark.slow  # LibreOffice
def test_round_trip_after_an_office_suite_saved_it(shipped_docx: Path, tmp_path: Path) -> None:
    """LibreOffice rewrites styles, numbering and run properties its own way; the rows must survive."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run scripts/install-test-deps.sh"
    resaved_dir = tmp_path / "resaved"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "docx", "--outdir", str(resaved_dir), str(shipped_docx)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    resaved = resaved_dir / shipped_docx.name
    assert result.returncode == 0 and resaved.exists(), result.stderr
    assert resaved.read_bytes() != shipped_docx.read_bytes()
    imported, rebuilt = import_and_build(resaved, tmp_path)
    assert imported.stderr == ""
    assert_same_rows(shipped_docx, rebuilt)


def test_a_seed_layout_plan_imports_with_every_row_accounted_for(tmp_path: Path) -> None:
    source = seed_layout_plan(tmp_path / "seed.docx")
    imported, rebuilt = import_and_build(source, tmp_path)
    assert imported.stderr.splitlines() == SEED_PROBLEMS
    assert ("2 business areas, 12 actions from 13 table rows (1 joined to the row above as broken across pages, "
            "1 repeated header rows skipped") in imported.stdout
    areas = tmp_path / "imported" / "content" / "business_areas"
    assert sorted(p.name for p in areas.iterdir()) == ["01-communications-pr-engagement", "02-performance-police"]
    found = {path.stem: path for path in areas.glob("*/*.md") if path.name != "_area.md"}
    assert sorted(found) == sorted(SEED_EXPECTED)
    for ref, expected in SEED_EXPECTED.items():
        meta, body = front_matter(found[ref])
        assert meta.pop("ref") == ref
        action_text = meta.pop("action")
        assert meta == expected, ref
        assert body == SEED_BODIES.get(ref, body), ref
        assert action_text == SEED_ACTION_TEXT.get(ref, action_text), ref
    # what cannot be mapped is written where the office will see it, as well as reported
    assert "# import: Due Date 'by the summer'" in found["2.4"].read_text(encoding="utf-8")
    # the areas without a priority column print none; the carried-forward wording comes back from the field
    rows = {str(row[0][0][0][1][0][0]): row for row in delivery_plan_rows(rebuilt) if row[0][0][0][1]}
    assert len(rows["2.1"]) == 7 and len(rows["1.3"]) == 8
    assert rows["1.4"][7] == ("Amber", "FFC000")
    status_text = "".join(text for _, runs in rows["1.4"][6][0] for text, _ in runs)
    assert status_text.endswith("(Ongoing - links to Action 1.3, 2018/19 OPCC SDP)")


def test_the_import_refuses_a_folder_with_files_in_it_unless_forced(tmp_path: Path) -> None:
    source = seed_layout_plan(tmp_path / "seed.docx")
    content = tmp_path / "content"
    content.mkdir()
    (content / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run_import(source, "--content", content)
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in content.iterdir()) == ["notes.txt"]
    forced = run_import(source, "--content", content, "--force")
    assert forced.returncode == 0, forced.stderr
    assert (content / "plan.md").exists() and (content / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("make, message", [
    (lambda path: path.write_text("Ref\tActions\n1.1\tDo it\n", encoding="utf-8"), "is not a Word .docx file"),
    (lambda path: path.write_bytes(b"PK\x03\x04 truncated"), "is not a Word .docx file"),
    (lambda path: zipfile.ZipFile(path, "w").writestr("hello.txt", "not a document"), "cannot be opened as a Word document"),
])
def test_a_file_that_is_not_a_word_document_is_refused_without_a_traceback(tmp_path: Path, make: Any, message: str) -> None:
    source = tmp_path / "plan.docx"
    make(source)
    result = run_import(source, "--content", tmp_path / "content")
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "content").exists()


def test_a_word_document_with_no_delivery_plan_table_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Minutes of the meeting")
    document.add_table(rows=2, cols=2).rows[0].cells[0].text = "Item"
    document.save(str(tmp_path / "minutes.docx"))
    result = run_import(tmp_path / "minutes.docx", "--content", tmp_path / "content")
    assert result.returncode == 1
    assert "no delivery-plan table found" in result.stderr and "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_import().returncode == 2
    missing = run_import(tmp_path / "nowhere.docx", "--content", tmp_path / "content")
    assert missing.returncode == 1 and "no such file" in missing.stderr


_PIECES = st.sampled_from([*"abcXYZ 12.*_[]<>&#+-\\`!():;,'\"\t", "1. ", "- ", "\n", "\n- x", "\n1. ", "\n# h",
                           "&amp;", "**", "x_y", "http://a.b", "::: restricted"])
# formatted runs start and end at a word boundary: CommonMark cannot open emphasis inside a word
# before punctuation ('a*.*'), and the importer reports such cells instead (see verify.py)
_TEXT = st.tuples(st.sampled_from([" a", " Z"]), st.lists(_PIECES, max_size=5).map("".join),
                  st.sampled_from(["b ", "9 "])).map("".join)
# The content format writes superscript as ^x^ and underline as ++x++, so the importer keeps a superscript
# only without spaces and up to 20 characters, and an underline only without '+'; '++' in any text would
# read as underline. The cells generated here are the ones it can keep: each must read back exactly.
_SUPERSCRIPT_TEXT = st.tuples(st.sampled_from([" a", " Z"]),
                              st.lists(st.sampled_from([*"abcXYZ12.*_[]<>&#+-\\`!():;,'\"", "&amp;", "x_y"]),
                                       max_size=3).map("".join),
                              st.sampled_from(["b ", "9 "])).map("".join).filter(lambda text: "++" not in text)
_LINK = st.sampled_from([None, None, "https://example.org/a_(b)"])


@st.composite
def _keepable_run(draw: st.DrawFn) -> Span:
    shape = draw(st.sampled_from(["plain", "underline", "superscript"]))
    if shape == "superscript":
        text = draw(_SUPERSCRIPT_TEXT)
    else:
        text = draw(_TEXT.filter(lambda text: "++" not in text and not (shape == "underline" and "+" in text)))
    return Span(text, draw(st.booleans()), draw(st.booleans()), shape == "underline", shape == "superscript",
                draw(_LINK))


def _no_merged_superscripts(runs: list[Span]) -> bool:
    """Neighbouring runs of the same formatting are merged into one: two superscripts would make one with a
    space or over 20 characters, which is not kept (the other merges are kept and tested)."""
    return not any(a.superscript and a.formatting() == b.formatting() for a, b in itertools.pairwise(runs))


_PARA = st.builds(lambda runs, kind, level: Para(runs=runs, kind=kind, level=level),
                  st.lists(_keepable_run(), min_size=1, max_size=4).filter(_no_merged_superscripts),
                  st.sampled_from(["para", "bullet", "ordered"]), st.integers(0, 2))


def _shapes(paras: list[Para]) -> set[str]:
    """What a cell exercises, so the test can say every kind was read back."""
    shapes = {para.kind for para in paras}
    for run in (run for para in paras for run in para.runs):
        shapes |= {name for name, on in (("bold", run.bold), ("italic", run.italic), ("underline", run.underline),
                                         ("superscript", run.superscript), ("link", run.href),
                                         ("line break", "\n" in run.text)) if on}
    return shapes


def test_cell_markdown_reads_back_as_the_word_cell_said_it() -> None:
    """Escaping, nesting and formatting: the build reads back every character with its formatting."""
    checked: Counter[str] = Counter()

    @given(st.lists(_PARA, min_size=1, max_size=4))
    @settings(max_examples=300, deadline=None)
    def reads_back(paras: list[Para]) -> None:
        problems: list[str] = []
        markdown = to_markdown(paras, problems)
        assert problems == [], (problems, paras)
        assert first_difference(markdown, paras) == "", markdown
        checked["cells"] += 1
        checked.update(_shapes(paras))

    reads_back()
    # every example reached the assertions, and every kind of paragraph and formatting was among them
    assert checked["cells"] >= 250, checked
    assert all(checked[shape] >= 20 for shape in ("para", "bullet", "ordered", "bold", "italic", "underline",
                                                  "superscript", "link", "line break")), checked


# Runs the content format cannot keep as they are, with the problem the importer must report for each.
_UNKEEPABLE = st.sampled_from([
    (Span(" a b ", superscript=True), "has spaces or is longer than 20 characters; it was kept as plain text"),
    (Span(" abcdefghijklmnopqrstu ", superscript=True), "has spaces or is longer than 20 characters"),
    (Span(" a+b ", underline=True), "contains '+'; it was kept without the underline"),
    (Span(" a1 ", underline=True, superscript=True), "is underlined and superscript"),
    (Span(" a++b "), "contains '++', '^' or a {placeholder}"),
    (Span(" x^2 "), "contains '++', '^' or a {placeholder}"),
    (Span(" on {as_at} "), "contains '++', '^' or a {placeholder}"),
])


@given(st.lists(_PARA, min_size=1, max_size=3), _UNKEEPABLE, st.integers(0, 3), st.integers(0, 4),
       st.booleans(), st.booleans())
@settings(max_examples=100, deadline=None)
def test_formatting_the_content_format_cannot_keep_is_reported(
        paras: list[Para], unkeepable: tuple[Span, str], para_index: int, run_index: int, bold: bool,
        italic: bool) -> None:
    """A cell with one such run among runs that can be kept: the importer says what it could not keep."""
    run, problem = unkeepable
    target = paras[para_index % len(paras)]
    target.runs.insert(run_index % (len(target.runs) + 1), replace(run, bold=bold, italic=italic))
    problems: list[str] = []
    to_markdown(paras, problems)
    assert any(problem in reported for reported in problems), (problem, problems, paras)


def test_a_table_continued_on_the_next_page_without_a_header_is_joined(tmp_path: Path) -> None:
    columns = ("Ref.", "Actions", "Due Date", "Sponsor", "Lead Officer", "Current Status", "R/A/G")
    first = SeedTable(columns, [SeedRow({"Ref.": "1.1", "Actions": "Publish the plan.", "Due Date": "Jun 2017",
                                         "Sponsor": "PH", "Lead Officer": "LJ", "Current Status": "Drafted.",
                                         "R/A/G": "Amber"})])
    rest = SeedTable(columns, [SeedRow({"Current Status": "Published on the website."}),
                               SeedRow({"Ref.": "1.2", "Actions": "Review it.", "Due Date": "31 March 2018",
                                        "Sponsor": "PH", "Lead Officer": "LJ"}, fill="92D050")], header=False)
    source = write_seed_layout(tmp_path / "plan.docx", "Example Strategic Delivery Plan 2018/19", ["Intro."],
                               [SeedArea("Business Area 1: Governance", [first, rest])])
    imported = run_import(source, "--content", tmp_path / "content")
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.splitlines() == [
        "plan.docx: table 2 row 2: action 1.2: due date '31 March 2018' imported as the month 2018-03"]
    meta, body = front_matter(tmp_path / "content" / "business_areas" / "01-governance" / "1.1.md")
    assert body == "Drafted.\n\nPublished on the website." and meta["rag"] == "amber"
    meta, _ = front_matter(tmp_path / "content" / "business_areas" / "01-governance" / "1.2.md")
    assert meta["rag"] == "green" and meta["due"] == "2018-03"
    check_imported(tmp_path / "content")


def test_a_row_whose_ref_cell_is_merged_down_continues_the_action(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Business Area 3: Finance").bold = True
    table = document.add_table(rows=3, cols=4)
    for cell, name in zip(table.rows[0].cells, ("Ref", "Actions", "Progress", "RAG")):
        cell.text = name
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text, table.cell(1, 3).text = "3.1", "Close the accounts.", "Drafted.", "G"
    table.cell(2, 2).text = "Signed off in July."
    table.cell(1, 0).merge(table.cell(2, 0))
    document.save(str(tmp_path / "merged.docx"))
    imported = run_import(tmp_path / "merged.docx", "--content", tmp_path / "content")
    assert imported.returncode == 0, imported.stderr
    assert "1 joined to the row above" in imported.stdout
    meta, body = front_matter(tmp_path / "content" / "business_areas" / "03-finance" / "3.1.md")
    assert body == "Drafted.\n\nSigned off in July." and meta["rag"] == "green"


def test_tables_under_plain_bold_headings_become_areas_and_say_so(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Strategic Delivery Plan 2019/20").bold = True
    for number, title in ((1, "Communications"), (2, "Finance")):
        document.add_paragraph().add_run(title).bold = True
        table = document.add_table(rows=2, cols=4)
        for cell, text in zip(table.rows[0].cells, ("Lead Officer", "Ref.", "Actions", "R/A/G")):
            cell.text = text
        for cell, text in zip(table.rows[1].cells, ("AB", f"{number}.1", "Do it.", "Green")):
            cell.text = text
    document.save(str(tmp_path / "plain.docx"))
    imported = run_import(tmp_path / "plain.docx", "--content", tmp_path / "content")
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.splitlines() == [
        f"plain.docx: table {n}: no 'Business Area <n>: <title>' heading above it; imported as business area {n} "
        f"'{title}'; correct _area.md if that is wrong" for n, title in ((1, "Communications"), (2, "Finance"))]
    areas = tmp_path / "content" / "business_areas"
    assert sorted(p.name for p in areas.iterdir()) == ["01-communications", "02-finance"]
    meta, _ = front_matter(areas / "02-finance" / "2.1.md")
    assert meta == {"ref": "2.1", "action": "Do it.", "lead": "AB", "rag": "green"}
    check_imported(tmp_path / "content")
