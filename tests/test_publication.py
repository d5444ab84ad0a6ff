"""Publication grade (issue 11): the DOCX as printed (LibreOffice PDF, read with poppler), its styles,
header and footer; the progress summary; the HTML's filters and search in Chromium; axe-core."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import FIXTURES, ROOT, GitRepo, run_build
from docx.oxml.ns import qn
from playwright.sync_api import Browser, Page, sync_playwright

# Builds the real plan's PDF with LibreOffice and drives the pages in Chromium.
pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AS_AT = "2018-04-11"


def pdftext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text, as poppler's pdftotext reads it (a page ends with a form feed)."""
    args = ["pdftotext", "-layout"]
    if first is not None:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in points of every page."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


# --- the real plan, built once with every format ------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plan as at 11 April 2018: DOCX, HTML and PDF."""
    out = tmp_path_factory.mktemp("publication")
    result = run_build("--as-at", AS_AT, "--out", str(out), "--format", "docx,html,pdf")
    assert result.returncode == 0, result.stderr
    return out


def test_styles_come_from_the_reference_document(real: Path) -> None:
    reference = docx.Document(str(ROOT / "templates" / "reference.docx"))
    built = docx.Document(str(real / f"report-{AS_AT}.docx"))
    wanted = {style.name for style in reference.styles}
    assert wanted <= {style.name for style in built.styles}
    assert len(built.styles) == len(reference.styles)  # nothing else from python-docx's template
    with zipfile.ZipFile(real / f"report-{AS_AT}.docx") as package:
        names = package.namelist()
    assert not any("thumbnail" in name or "stylesWithEffects" in name or name.startswith("customXml")
                   for name in names), names


def test_header_and_page_x_of_y_footer_on_every_section(real: Path) -> None:
    document = docx.Document(str(real / f"report-{AS_AT}.docx"))
    headers = {section.header.paragraphs[0].text for section in document.sections}
    footers = {section.footer.paragraphs[0].text for section in document.sections}
    assert len(document.sections) >= 2 and len(headers) == 1 and len(footers) == 1
    first = document.sections[0]
    assert first.header.paragraphs[0].text == "Thames Valley OPCC Strategic Delivery Plan 2017/18 – as at 11 April 2018"
    fields = [f.get(qn("w:instr")).strip() for f in first.footer._element.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Built from commit 9001a6f as at 11 April 2018." in first.footer.paragraphs[0].text


def test_rows_never_split_and_headers_repeat(real: Path) -> None:
    document = docx.Document(str(real / f"report-{AS_AT}.docx"))
    tables = document.tables
    # The tables checked include the nine business areas' (67 actions) and the recommendation monitoring.
    action_tables = [table for table in tables if table.rows[0].cells[0].text == "Ref."]
    assert len(action_tables) == 9 and sum(len(table.rows) - 1 for table in action_tables) == 67
    assert any(table.rows[0].cells[0].text == "Panel Recommendations" for table in tables)
    rows_checked = 0
    for table in tables:
        header, *body = table._tbl.tr_lst
        assert body, f"table '{table.rows[0].cells[0].text}' has only its header"
        # The header repeats on every page the table runs onto; the rows under it do not.
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}tblHeader") is None for row in body)
        for row in (header, *body):
            assert row.find(f"{W}trPr/{W}cantSplit") is not None
            rows_checked += 1
    assert rows_checked > 67 + len(tables)


def test_initials_never_break_inside_one_person(real: Path) -> None:
    """'PCC/DPCC' may wrap after the '/', but 'Dep PCC' (one person) is joined by a no-break space."""
    document = docx.Document(str(real / f"report-{AS_AT}.docx"))
    sponsors = {row.cells[0].text: row.cells[4].text for table in document.tables
                if table.rows[0].cells[0].text == "Ref." for row in table.rows[1:]}
    assert sponsors["4.4"] == "Dep\u00a0PCC"
    page = (real / f"report-{AS_AT}.html").read_text(encoding="utf-8")
    assert "Dep\u00a0PCC</" in page
    text = pdftext(real / f"report-{AS_AT}.pdf")
    assert not re.search(r"(?m)\bDep\s*$", text), "'Dep PCC' broken across lines in the PDF"


def test_titles_use_heading_styles_and_the_contents_links_to_them(real: Path) -> None:
    document = docx.Document(str(real / f"report-{AS_AT}.docx"))
    styles = {p.text: p.style.name for p in document.paragraphs if p.text}
    assert styles["Appendix 2: Panel Recommendation Monitoring"] == "Heading 1"
    assert styles["Business Area 3: Commissioning and Contract Management"] == "Heading 2"
    bookmarks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    toc = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert len(toc) == 4 + 9  # four appendices (the plan, the Panel's, measures, progress), nine business areas
    for paragraph in toc:
        anchors = [h.get(qn("w:anchor")) for h in paragraph._p.iter(qn("w:hyperlink"))]
        assert anchors and anchors[0] in bookmarks
        assert "PAGEREF" in "".join(t.text or "" for t in paragraph._p.iter(qn("w:instrText")))


def test_pdf_is_portrait_then_landscape_with_every_public_ref(real: Path) -> None:
    pdf = real / f"report-{AS_AT}.pdf"
    sizes = page_sizes(pdf)
    assert sizes[0][0] < sizes[0][1], "the cover report is portrait"
    text = pdftext(pdf)
    pages = text.split("\f")
    appendix = next(i for i, page in enumerate(pages) if "Appendix 1: Thames Valley OPCC" in page and "Ref." in page)
    progress = next(i for i, page in enumerate(pages)
                    if i > appendix and "Appendix 4: Progress since the last report" in page)
    assert all(width > height for width, height in sizes[appendix:progress]), "the plan's appendices are landscape"
    assert all(width < height for width, height in sizes[progress:]), "the progress appendix is portrait, as the cover"
    assert len(sizes[:appendix]) <= 5, "cover report (three pages) and contents"
    assert re.search(rf"Page 1 of {len(sizes)}\b", pages[0])
    for number, page in enumerate(pages[: len(sizes)], start=1):
        assert f"Page {number} of {len(sizes)}" in page
        assert "as at 11 April 2018" in page
    refs = [p.stem for p in (ROOT / "content" / "business_areas").glob("*/*.md") if p.stem != "_area"]
    body = "\n".join(pages[appendix:])
    missing = [ref for ref in refs if not re.search(rf"(?m)^\s*{re.escape(ref)}\s", body)]
    assert not missing, f"refs not printed at the start of a row: {missing}"
    # The contents' page numbers, filled in by LibreOffice's layout, point at the right pages.
    contents = next(page for page in pages if "Contents" in page and "Business Area 9" in page)
    match = re.search(r"Appendix 2: Panel Recommendation Monitoring\.+\s*(\d+)", contents)
    assert match and "Appendix 2: Panel Recommendation Monitoring" in pages[int(match.group(1)) - 1]


def test_progress_summary_counts_match_the_rows(real: Path) -> None:
    page = lxml.html.fromstring((real / f"report-{AS_AT}.html").read_text(encoding="utf-8"))
    table = page.get_element_by_id("rag-summary")
    headers = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    assert headers == ["Business area", "Red", "Amber", "Green", "White", "Complete", "Not assessed", "Total"]
    keys = ["red", "amber", "green", "white", "complete", "none"]
    totals = [0] * 7
    for number in range(1, 10):
        rows = page.xpath(f'//section[@id="business-area-{number}"]//tr[@data-ref][@data-lifecycle="active"]')
        expected = [sum(1 for row in rows if row.get("data-rag") == key) for key in keys]
        expected.append(len(rows))
        cells = [int(td.text_content()) for td in table.xpath(f'.//tr[@id="summary-area-{number}"]/td')[1:]]
        assert cells == expected, number
        totals = [a + b for a, b in zip(totals, expected)]
    assert [int(td.text_content()) for td in table.xpath('.//tr[@id="summary-total"]/td')[1:]] == totals
    document = docx.Document(str(real / f"report-{AS_AT}.docx"))
    summary = next(t for t in document.tables if t.rows[0].cells[0].text == "Business area")
    assert [c.text for c in summary.rows[-1].cells][1:] == [str(n) for n in totals]


# --- a draft and symbols ------------------------------------------------------------------------------


def test_a_draft_is_marked_on_every_printed_page_and_symbols_print(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    repo = GitRepo(tmp_path)
    repo.commit_all("plan", "2018-04-01T10:00:00+01:00")
    action = content / "business_areas" / "02-partnerships" / "2.1.md"
    action.write_text(action.read_text(encoding="utf-8") + "- Arrows ← ↑ → ↓ ↔, ticks ✓ ✔, stars ★ and 😀 emoji\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("--content", str(content), "--out", str(out), "--format", "docx,pdf")
    assert result.returncode == 0, result.stderr
    pdf = next(out.glob("*.pdf"))
    pages = pdftext(pdf).split("\f")[: len(page_sizes(pdf))]
    assert len(pages) > 2 and all("DRAFT" in page for page in pages)
    text = "\n".join(pages)
    for symbol in "←↑→↓↔✓✔★😀":
        assert symbol in text, symbol
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # A font that has the emoji and symbols is embedded, so they print as themselves, not as empty boxes.
    assert re.search(r"Emoji|DejaVu|Symbol", fonts), fonts


# --- the HTML in Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(real: Path) -> Iterator[str]:
    """The built pages served over HTTP on the loopback address (a shared link carries its query)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(real)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/report-{AS_AT}.html"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _open(browser: Browser, url: str, width: int = 1440, javascript: bool = True) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, errors


def _visible_refs(page: Page) -> list[str]:
    return page.eval_on_selector_all("tr[data-ref]:not([hidden])", "rows => rows.map(r => r.dataset.ref)")


def test_filters_filter_and_the_url_keeps_them(browser: Browser, server: str) -> None:
    page, errors = _open(browser, server)
    everything = _visible_refs(page)
    assert len(everything) == 67
    page.select_option("select[name=rag]", "complete")
    green = _visible_refs(page)
    assert green and all(page.get_attribute(f'tr[data-ref="{ref}"]', "data-rag") == "complete" for ref in green)
    assert "rag=complete" in page.url
    assert page.inner_text("#filter-status") == f"Showing {len(green)} of 67 actions"
    page.select_option("select[name=area]", "7")
    both = _visible_refs(page)
    assert both and all(ref.startswith("7.") for ref in both) and set(both) <= set(green)
    assert page.locator("#business-area-1").is_hidden()  # an area with no matching row is hidden
    page.select_option("select[name=rag]", "")
    page.select_option("select[name=area]", "")
    page.fill("input[name=q]", "victims first portal")
    found = _visible_refs(page)
    assert found and "1.3" in found and len(found) < 67
    shared = page.url
    assert "q=victims+first+portal" in shared
    again, more_errors = _open(browser, shared)
    assert _visible_refs(again) == found
    assert again.input_value("input[name=q]") == "victims first portal"
    lead = again.eval_on_selector("tr[data-ref='7.3']", "row => row.dataset.lead.split(' ')[0]")
    again.fill("input[name=q]", "")
    again.select_option("select[name=lead]", lead)
    assert all(lead in again.get_attribute(f'tr[data-ref="{ref}"]', "data-lead").split() for ref in _visible_refs(again))
    again.select_option("select[name=lead]", "")
    again.select_option("select[name=priority]", "1")
    with_one = _visible_refs(again)
    assert with_one and all("1" in again.get_attribute(f'tr[data-ref="{ref}"]', "data-priorities").split()
                            for ref in with_one)
    again.click("button[type=reset]")
    again.wait_for_function("() => document.querySelectorAll('tr[data-ref][hidden]').length === 0")
    assert errors == [] and more_errors == []
    again.context.close()
    page.context.close()


def test_without_javascript_every_row_shows(browser: Browser, server: str) -> None:
    page, _ = _open(browser, server + "?rag=red", javascript=False)
    assert len(_visible_refs(page)) == 67
    assert page.locator("#filters").is_hidden()
    page.context.close()


@pytest.mark.parametrize("width", [390, 1440])
def test_axe_finds_no_wcag_22_aa_violations(browser: Browser, server: str, width: int) -> None:
    page, errors = _open(browser, server + "?rag=amber", width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, "resultTypes": ["violations"]})
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == []
    assert errors == []
    page.context.close()


def test_the_restricted_copy_is_marked_in_every_page_header(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    repo = GitRepo(tmp_path)
    repo.commit_all("plan", "2018-04-01T10:00:00+01:00")
    out = tmp_path / "out"
    result = run_build("--content", str(content), "--out", str(out), "--as-at", "2018-04-11", "--restricted",
                       "--format", "docx,html,pdf")
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out / "report-2018-04-11-restricted.docx"))
    assert all("RESTRICTED – NOT FOR PUBLICATION" in s.header.paragraphs[0].text for s in document.sections)
    pdf = out / "report-2018-04-11-restricted.pdf"
    pages = pdftext(pdf).split("\f")[: len(page_sizes(pdf))]
    assert pages and all("RESTRICTED – NOT FOR PUBLICATION" in page for page in pages)
    page = lxml.html.fromstring((out / "report-2018-04-11-restricted.html").read_text(encoding="utf-8"))
    assert "RESTRICTED – NOT FOR PUBLICATION" in page.xpath("//header")[0].text_content()
