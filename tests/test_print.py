"""Print: headings and introductions kept with what follows, short tables never split, footers set for their
page's width, lists under their paragraph. Read from the real plan's DOCX; one check on LibreOffice's PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from conftest import run_build
from docx.oxml.ns import qn

AS_AT = "2018-04-11"
KEEP = qn("w:keepNext")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    result = run_build("--as-at", AS_AT, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / f"report-{AS_AT}.docx"


def _kept(paragraph: object) -> bool:
    ppr = paragraph.find(qn("w:pPr"))  # type: ignore[attr-defined]
    return ppr is not None and ppr.find(KEEP) is not None


def test_every_heading_and_every_introduction_is_kept_with_what_follows(built: Path) -> None:
    body = docx.Document(str(built)).element.body
    children = list(body)
    headings = [p for p in body.iter(qn("w:p"))
                if (style := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None
                and style.get(qn("w:val")).startswith(("Heading", "Title"))]
    assert len(headings) > 30 and all(_kept(p) for p in headings)
    before_tables = [children[i - 1] for i, child in enumerate(children) if child.tag == qn("w:tbl")
                     and children[i - 1].tag == qn("w:p")]
    assert len(before_tables) > 15
    assert all(_kept(p) for p in before_tables), "a paragraph just before a table may end a page without it"


def _caption(table: object) -> str:
    caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")  # type: ignore[attr-defined]
    return caption.get(qn("w:val")) if caption is not None else ""


def test_short_tables_are_kept_whole_and_the_plan_tables_break_between_rows(built: Path) -> None:
    tables = list(docx.Document(str(built)).element.body.iter(qn("w:tbl")))
    whole, breaking = [], []
    for table in tables:
        rows = table.findall(qn("w:tr"))
        body_rows = rows[1:-1]  # the header row is always kept with the first; the last row ends the table
        kept = [all(_kept(p) for p in row.iter(qn("w:p"))) for row in body_rows]
        (whole if kept and all(kept) else breaking).append((_caption(table), len(rows) - 1, kept))
    captions = [caption for caption, *_ in whole]
    assert "Progress summary: active actions by business area and R/A/G status" in captions
    assert "RAG key" in captions and "Active actions by strategic priority and R/A/G rating" in captions
    assert sum(1 for caption in captions if caption.startswith("Values per period")) == 3  # each measure's two rows
    plan_tables = [entry for entry in breaking if "OPCC activity" in entry[0]]
    assert len(plan_tables) == 9 and all(not any(kept) for _, _, kept in plan_tables)


def test_each_sections_footer_ends_at_its_own_right_margin(built: Path) -> None:
    document = docx.Document(str(built))
    seen = set()
    for section in document.sections:
        width = int((section.page_width - section.left_margin - section.right_margin) / 635)
        tabs = section.footer.paragraphs[0]._p.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
        right = [int(t.get(qn("w:pos"))) for t in tabs if t.get(qn("w:val")) == "right"]
        assert right == [width], (section.orientation, right, width)
        seen.add(width)
    assert seen == {9412, 15138}  # portrait 16.6 cm and landscape 26.7 cm of text (twips, rounded)


def test_the_business_area_list_sits_under_its_numbered_paragraph(built: Path) -> None:
    document = docx.Document(str(built))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("1.4\t"))
    numbered_indent = paragraphs[start].paragraph_format.left_indent
    listed = paragraphs[start + 1 : start + 10]
    assert [p.text.split("\t", 1)[0] for p in listed] == [f"{n}." for n in range(1, 10)]
    assert all(p.paragraph_format.left_indent > numbered_indent for p in listed)


@pytest.mark.slow  # LibreOffice
def test_in_the_pdf_headings_and_trends_share_a_page_with_their_tables(built: Path, tmp_path: Path) -> None:
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(built)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / built.with_suffix(".pdf").name), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    alignment = [page for page in pages if "Alignment to the Police and Crime Plan" in page and "Contents" not in page]
    assert alignment and all("Strategic priority" in page for page in alignment)
    trends = [page for page in pages if "Trend:" in page]
    assert trends
    for page in trends:
        # every trend on a page has the table of its figures ('Period ... Value') on the same page
        assert page.count("Trend:") <= page.count("Period"), page[:300]
