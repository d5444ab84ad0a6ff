"""The DOCX as a reader (and python-docx) sees it: tables, RAG words and colours, wording, privacy."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from conftest import GitRepo, run_build, run_build_process
from docx.oxml.ns import qn

RAG_WORDS = {"Red", "Amber", "Green", "White", "Complete", ""}


@pytest.fixture
def built(repo_with_content: GitRepo, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out), "--as-at", "2018-04-11")
    assert result.returncode == 0, result.stderr
    return out / "report-2018-04-11.docx"


def _plan_tables(document):
    return [t for t in document.tables if t.rows[0].cells[0].text == "Ref."]


def _rows_by_ref(document) -> dict:
    return {row.cells[0].text: row for table in _plan_tables(document) for row in table.rows[1:]}


def _fill(cell) -> str:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else ""


def test_plan_tables_have_the_fixed_header(built: Path):
    document = docx.Document(str(built))
    tables = _plan_tables(document)
    assert len(tables) == 2
    headers = [[c.text for c in t.rows[0].cells] for t in tables]
    assert headers[0] == ["Ref.", "Actions", "Links to Strategic Priority", "Due Date", "Sponsor", "Lead Officer", "Current Status", "R/A/G"]
    # Business area 2 links no action to a priority, so it has no priority column.
    assert headers[1] == ["Ref.", "Actions", "Due Date", "Sponsor", "Lead Officer", "Current Status", "R/A/G"]
    for table in tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None, "header row must repeat on each page"


def test_action_rows_start_with_ref_and_end_with_rag_word(built: Path):
    document = docx.Document(str(built))
    tables = _plan_tables(document)
    refs = [row.cells[0].text for table in tables for row in table.rows[1:]]
    assert refs == ["1.1", "1.2", "1.3", "1.4", "1.10", "2.1"], "natural order, restricted 2.2 left out"
    rows = _rows_by_ref(document)
    assert {ref: row.cells[-1].text for ref, row in rows.items()} == {
        "1.1": "", "1.2": "", "1.3": "Complete", "1.4": "", "1.10": "Amber", "2.1": "Red",
    }
    assert all(row.cells[-1].text in RAG_WORDS for row in rows.values())


def test_rag_is_shown_in_words_and_colour(built: Path):
    rows = _rows_by_ref(docx.Document(str(built)))
    assert _fill(rows["2.1"].cells[-1]) == "C00000"
    assert _fill(rows["1.10"].cells[-1]) == "FFC000"
    assert _fill(rows["1.3"].cells[-1]) == "00B050"
    assert _fill(rows["1.1"].cells[-1]) == ""


def test_cells_hold_the_fields(built: Path):
    rows = _rows_by_ref(docx.Document(str(built)))
    cells = [c.text for c in rows["1.10"].cells]
    assert cells[2:6] == ["2", "Mar 2018", "PCC/DPCC", "CH"]
    assert [c.text for c in rows["1.4"].cells][2] == "1 - 2"
    assert [c.text for c in rows["1.4"].cells][5] == "CH/SM", "'CH, SM' is read as a list and shown as the plan writes it"
    assert [c.text for c in rows["2.1"].cells][2:5] == ["Ongoing", "PCC", "SM"]


def test_lifecycle_and_carried_forward_wording(built: Path):
    rows = _rows_by_ref(docx.Document(str(built)))
    status = lambda ref: rows[ref].cells[-2].text  # noqa: E731
    assert status("1.1").startswith("Actions 1.1 & 1.2 now merged and superseded by a new replacement Action 1.10, below")
    assert status("1.2") == status("1.1")
    assert status("1.4").startswith("Action 1.4 now deleted\nDue to being superseded")
    assert status("1.10").endswith("(Ongoing - links to Action 1.2, 2018/19 OPCC SDP)")
    assert "(Ongoing" not in status("1.3")


def test_status_formatting_survives(built: Path):
    rows = _rows_by_ref(docx.Document(str(built)))
    paragraphs = rows["1.3"].cells[-2].paragraphs
    assert [p.style.name for p in paragraphs] == ["List Bullet", "List Bullet 2", "List Bullet"]
    runs = [r for p in paragraphs for r in p.runs]
    assert any(r.bold and r.text == "redesigned" for r in runs)
    assert any(r.font.superscript and r.text == "st" for r in runs)
    assert any(r.underline and r.text == "underlined" for r in runs)
    assert any(r.italic and r.text == "detail" for r in runs)


def test_action_references_link_inside_the_document(built: Path):
    document = docx.Document(str(built))
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))}
    assert "action_1_10" in bookmarks and "action_1_3" in bookmarks
    assert {"action_1_10", "action_1_3"} <= anchors
    assert anchors <= bookmarks, "every internal link must land on a bookmark"


def test_restricted_content_never_reaches_the_docx(built: Path):
    with zipfile.ZipFile(built) as package:
        xml = "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
    assert "SECRET-PART-2-TEXT" not in xml
    assert "Confidential review" not in xml
    texts = [p.text for p in docx.Document(str(built)).paragraphs]
    assert "Is there a Part 2 form? Yes" in texts


def test_cover_report_is_filled_from_the_content(built: Path):
    document = docx.Document(str(built))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "OFFICE OF THE POLICE & CRIME COMMISSIONER FOR EXAMPLE"
    assert "Report for Information" in texts
    assert "Level 1 public meeting on ________________" in texts
    assert "Title: OPCC Strategic Delivery Plan 2017/18" in texts
    assert "The plan comprises two separate business areas and 6 actions." in texts
    assert "1.\tCommunications, PR & Engagement" in texts and "2.\tPartnerships" in texts
    assert "Date ________________" in texts and "Date 24th March 2017" in texts
    rag_key = next(t for t in document.tables if t.rows[0].cells[0].text == "R/A/G")
    assert [r.cells[0].text for r in rag_key.rows[1:]] == ["Green", "Amber", "Red", "White", "Complete"]
    sign_off = next(t for t in document.tables if t.rows[0].cells[0].text == "Name & Role")
    assert sign_off.rows[1].cells[1].text == "Chief Executive"


def test_cover_is_portrait_and_appendices_landscape(built: Path):
    """Cover report and contents portrait; the plan's tables landscape; the progress appendix portrait again."""
    sections = docx.Document(str(built)).sections
    assert len(sections) == 3
    assert sections[0].page_width < sections[0].page_height
    assert sections[1].page_width > sections[1].page_height
    assert sections[2].page_width < sections[2].page_height


def test_headings_use_heading_styles_and_document_is_titled(built: Path):
    document = docx.Document(str(built))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Appendix 1: Example OPCC Strategic Delivery Plan 2017/18 (as at 11.4.2018)") in headings
    assert ("Heading 2", "Business Area 1: Communications, PR & Engagement") in headings
    assert ("Heading 1", "Appendix 2: Panel Recommendation Monitoring") in headings
    assert document.core_properties.title.startswith("Example OPCC Strategic Delivery Plan 2017/18")
    assert document.core_properties.language == "en-GB"


def test_recommendation_monitoring_labels_responders(built: Path):
    document = docx.Document(str(built))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Panel Recommendations")
    assert [c.text for c in table.rows[0].cells] == ["Panel Recommendations", "Progress Update", "Committee Assessment of Progress"]
    progress = table.rows[1].cells[1]
    labels = [(p.runs[0].text, str(p.runs[0].font.color.rgb)) for p in progress.paragraphs if p.runs and p.runs[0].bold]
    assert labels == [("Panel:", "1F4E9E"), ("PCC:", "000000"), ("Chief Constable:", "C00000")]
    assert table.rows[1].cells[0].paragraphs[0].text == "Local Criminal Justice Board"
    assert table.rows[1].cells[2].text == "Progress satisfactory."


def test_same_commit_gives_byte_identical_outputs(repo_with_content: GitRepo, tmp_path: Path):
    outputs = []
    # one build in this process and one in a process of its own (another hash seed: no set order leaks out)
    for name, build in (("first", run_build), ("second", run_build_process)):
        out = tmp_path / name
        result = build("--content", str(repo_with_content.root / "content"), "--out", str(out), "--as-at", "2018-04-11")
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0].keys() == {"report-2018-04-11.docx", "report-2018-04-11.html"}
    assert outputs[0] == outputs[1]


def test_kpi_direction_of_travel_in_words(built: Path):
    document = docx.Document(str(built))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Measure")
    cells = {h.text: c.text for h, c in zip(table.rows[0].cells, table.rows[1].cells)}
    assert cells["Direction of travel"] == "↓ Down – improving"
    assert cells["Current"] == "5,009\n2017/18 (April – Sept)"


# A progress update pasted from Word into GitHub's editor: Word's bullets ('•', a tab-indented 'o' for
# its second level) and a numbered list continued from item 2, each paragraph on a line of its own.
WORD_PASTE = (
    "Progress since the last report:\n"
    "•\tPathway agreed with TVP ICT\n"
    "\to\tFunding confirmed by the PCC\n"
    "•\tGo-live planned for May\n"
    "Next steps:\n"
    "2)\tTrain the victims' services staff\n"
    "3)\tReview in June\n"
    "The Board will be told in July.\n"
)


def test_bullets_pasted_from_word_are_lists(content_copy: Path, tmp_path: Path):
    action = content_copy / "business_areas/02-partnerships/2.1.md"
    action.write_text(action.read_text(encoding="utf-8").split("---\n- ")[0] + "---\n" + WORD_PASTE, encoding="utf-8")
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(next((tmp_path / "out").glob("report-*.docx"))))
    paragraphs = _rows_by_ref(document)["2.1"].cells[-2].paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Normal", "Progress since the last report:"),
        ("List Bullet", "Pathway agreed with TVP ICT"),
        ("List Bullet 2", "Funding confirmed by the PCC"),
        ("List Bullet", "Go-live planned for May"),
        ("Normal", "Next steps:"),
        ("Normal", "2.\tTrain the victims' services staff"),
        ("Normal", "3.\tReview in June"),
        ("Normal", "The Board will be told in July."),
    ]
