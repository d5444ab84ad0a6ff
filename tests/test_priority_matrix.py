"""The strategic priorities x R/A/G matrix and the key aims no action serves (issue 12).

The counts are checked against the content itself, read here independently of the build (YAML front
matter of every action file), and the matrix must never count a restricted action in a public output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import pytest
import yaml
from conftest import ROOT, run_build
from playwright.sync_api import Browser, sync_playwright
from test_html import CHROMIUM, CHROMIUM_ARGS, sample_plan

from delivery_report.layout import build_layout
from delivery_report.pipeline import BuildRequest, read_plan
from delivery_report.render.docx import render_docx
from delivery_report.render.html import render_html

RATINGS = ("red", "amber", "green", "white", "complete", "none")
CAPTION = "Active actions by strategic priority and R/A/G rating"


def front_matter(path: Path) -> dict:
    """An action file's fields, read with PyYAML directly (not through the build)."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1]) or {}


def expected_counts(content: Path, public: bool = True) -> dict[int, Counter]:
    """priority -> Counter of R/A/G keys of the active actions linked to it, from the content files."""
    counts: dict[int, Counter] = {}
    for area_dir in sorted((content / "business_areas").iterdir()):
        area_restricted = bool(front_matter(area_dir / "_area.md").get("restricted"))
        for path in sorted(area_dir.glob("*.md")):
            if path.name == "_area.md":
                continue
            fields = front_matter(path)
            if fields.get("status", "active") != "active":
                continue
            if public and (area_restricted or fields.get("restricted")):
                continue
            for number in fields.get("priorities") or []:
                counts.setdefault(number, Counter())[fields.get("rag") or "none"] += 1
    return counts


def matrix_rows(page: str) -> dict[int, tuple[int, dict[str, int], dict[str, str]]]:
    """priority -> (data-actions, count per rating, link per rating) of the HTML matrix."""
    root = lxml.html.fromstring(page)
    tables = root.xpath('//table[@id="priority-matrix"]')
    assert len(tables) == 1
    out = {}
    for tr in tables[0].xpath("./tbody/tr"):
        cells = tr.xpath("./td")
        counts = {rag: int(cell.text_content()) for rag, cell in zip(RATINGS, cells[1:])}
        links = {rag: cell.xpath(".//a/@href")[0] for rag, cell in zip(RATINGS, cells[1:]) if cell.xpath(".//a")}
        assert int(cells[-1].text_content()) == int(tr.get("data-actions"))
        out[int(tr.get("data-priority"))] = (int(tr.get("data-actions")), counts, links)
    return out


def docx_matrix(data: bytes) -> list[list[str]]:
    """The DOCX matrix's rows as cell texts (header first)."""
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        caption = table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblCaption"))
        if caption is not None and caption.get(docx.oxml.ns.qn("w:val")) == CAPTION:
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError("no priority matrix in the DOCX")


def test_real_plan_matrix_counts_the_content() -> None:
    plan = read_plan(BuildRequest(content_dir=ROOT / "content", out_dir=ROOT / "build", today=dt.date(2018, 4, 11)))
    report = build_layout(plan.public())
    page = render_html(report)
    rows = matrix_rows(page)
    expected = expected_counts(ROOT / "content")
    assert sorted(rows) == [p.number for p in plan.priorities] == [1, 2, 3, 4, 5]
    for number, (total, counts, links) in rows.items():
        want = expected.get(number, Counter())
        assert total == sum(want.values()), number
        assert counts == {rag: want.get(rag, 0) for rag in RATINGS}, number
        assert links == {rag: f"?priority={number}&rag={rag}&lifecycle=active#appendix-1" for rag in RATINGS if want.get(rag)}
    # In the progress appendix the cover report points to, not in the cover report; the real plan names no
    # key aims, so nothing is said of them (a sentence that no aim can be shown is not one to sign).
    root = lxml.html.fromstring(page)
    matrix = root.xpath('//table[@id="priority-matrix"]')[0]
    assert matrix.xpath('ancestor::*[@id="appendix-4"]') and not matrix.xpath('ancestor::*[@id="cover"]')
    assert not root.xpath('//*[@id="unserved-key-aims"]') and "key aims" not in page.split('id="appendix-4"')[1]


def _craft(content: Path) -> None:
    """Priorities on a public red action and on a restricted one; key aims on both."""
    area2 = content / "business_areas" / "02-partnerships"
    text = (area2 / "2.1.md").read_text(encoding="utf-8")
    (area2 / "2.1.md").write_text(text.replace("rag: red\n", "rag: red\npriorities: [1]\nkey_aims: [\"2.1\"]\n"),
                                  encoding="utf-8")
    text = (area2 / "2.2.md").read_text(encoding="utf-8")
    (area2 / "2.2.md").write_text(text.replace("restricted: true\n",
                                               "restricted: true\npriorities: [1, 2]\nkey_aims: [\"1.1\"]\n"),
                                  encoding="utf-8")


def test_matrix_counts_active_public_actions_and_links_to_the_filtered_list(content_copy: Path, tmp_path: Path) -> None:
    _craft(content_copy)
    out = tmp_path / "out"
    result = run_build("--content", str(content_copy), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    rows = matrix_rows(page)
    # 1: 2.1 (red); the restricted 2.2 is not counted. 2: 1.10 (amber) and 1.3 (complete); 1.4 is deleted.
    assert rows[1] == (1, {"red": 1, "amber": 0, "green": 0, "white": 0, "complete": 0, "none": 0},
                       {"red": "?priority=1&rag=red&lifecycle=active#appendix-1"})
    assert rows[2][0] == 2 and rows[2][1]["amber"] == 1 and rows[2][1]["complete"] == 1
    assert {n: r[0] for n, r in rows.items()} == {n: sum(c.values()) for n, c in expected_counts(content_copy).items()}
    # Key aims: 2.1 is served by 2.1; 1.1 only by the restricted 2.2, so the public report lists it as unserved.
    root = lxml.html.fromstring(page)
    section = root.get_element_by_id("priority-alignment")
    unserved = [" ".join(li.text_content().split()) for li in section.xpath(".//li")]
    assert unserved == ["1.1 Improved recognition of mental health distress."]
    assert "1 of the 2 key aims is served by no active action" in section.text_content()
    # The DOCX has the same numbers, and no link into the web page's filters.
    data = next(out.glob("*.docx")).read_bytes()
    table = docx_matrix(data)
    assert table[0] == ["Strategic priority", "Red", "Amber", "Green", "White", "Complete", "Not assessed", "Total"]
    assert table[1] == ["1. Vulnerability", "1", "0", "0", "0", "0", "0", "1"]
    assert table[2][-1] == "2"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert all(b"?priority=" not in package.read(name) for name in package.namelist())


def test_restricted_copy_counts_everything(content_copy: Path, tmp_path: Path) -> None:
    _craft(content_copy)
    out = tmp_path / "out"
    result = run_build("--content", str(content_copy), "--out", str(out), "--restricted")
    assert result.returncode == 0, result.stderr
    rows = matrix_rows(next(out.glob("*.html")).read_text(encoding="utf-8"))
    assert rows[1][0] == 2 and rows[1][1]["green"] == 1
    assert {n: r[0] for n, r in rows.items()} == {
        n: sum(c.values()) for n, c in expected_counts(content_copy, public=False).items()}


def test_without_a_cover_report_the_matrix_is_in_appendix_1() -> None:
    plan = dataclasses.replace(sample_plan(), cover=None)
    page = render_html(build_layout(plan.public()))
    matrix = lxml.html.fromstring(page).xpath('//table[@id="priority-matrix"]')[0]
    assert matrix.xpath('ancestor::*[@id="appendix-1"]')


def test_no_matrix_without_priorities() -> None:
    plan = dataclasses.replace(sample_plan(), priorities=())
    assert 'id="priority-matrix"' not in render_html(build_layout(plan.public()))


@pytest.mark.parametrize(("typed", "message"), [
    ('key_aims: ["9.9"]', "key aim 9.9 is not in priorities.yaml"),
    ('key_aims: ["1.11"]', "key aim 1.11 is not in priorities.yaml; write the aim's ref in quotes as listed there, "
                           "e.g. key_aims: [\"1.4\"]; did you mean 1.1?"),
])
def test_unknown_key_aim_is_an_error_at_its_line(content_copy: Path, typed: str, message: str) -> None:
    path = content_copy / "business_areas" / "02-partnerships" / "2.1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("rag: red\n", f"rag: red\n{typed}\n"), encoding="utf-8")
    result = run_build("--content", str(content_copy), "--check")
    assert result.returncode == 1
    assert f"content/business_areas/02-partnerships/2.1.md:8: {message}" in result.stderr


def test_matrix_agrees_in_both_outputs() -> None:
    from test_parity import assert_same

    plan = sample_plan()
    assert_same(plan)
    report = build_layout(plan.public())
    assert docx_matrix(render_docx(report, plan.snapshot))[1][0] == "1. Vulnerability"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, as tests/test_html.py launches it; fails (never skips) without it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium' (CI does)",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.slow  # Chromium
def test_each_count_links_to_exactly_those_actions_in_the_browser(chromium: Browser, tmp_path: Path) -> None:
    """Following a count's link filters the delivery plan (the page's own script) to the actions counted:
    as many active rows as the count, none of another priority or rating."""
    plan = read_plan(BuildRequest(content_dir=ROOT / "content", out_dir=ROOT / "build", as_at=dt.date(2018, 4, 11)))
    page_path = tmp_path / "report.html"
    page_path.write_text(render_html(build_layout(plan.public())), encoding="utf-8")
    context = chromium.new_context(java_script_enabled=True)
    context.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    page = context.new_page()
    page.goto(page_path.as_uri())
    links = page.eval_on_selector_all(
        "#priority-matrix a", "links => links.map(a => [a.getAttribute('href'), Number(a.textContent)])")
    assert links, "no links in the matrix"
    # The first by a click, as a reader would; the rest by their address.
    page.click(f'#priority-matrix a[href="{links[0][0]}"]')
    for index, (href, count) in enumerate(links):
        if index:
            page.goto(page_path.as_uri() + href)
        page.wait_for_function("document.getElementById('filter-status').textContent.startsWith('Showing ')")
        shown = page.eval_on_selector_all(
            "tr[data-ref]:not([hidden])", "rows => rows.map(r => [r.dataset.priorities, r.dataset.rag, r.dataset.lifecycle])")
        query = dict(part.split("=") for part in href.split("#")[0][1:].split("&"))
        active = [row for row in shown if row[2] == "active"]
        assert len(active) == count, href
        assert all(query["priority"] in row[0].split() for row in shown), href
        assert all(row[1] == query.get("rag", row[1]) for row in shown), href
    context.close()


def test_key_aim_of_a_priority_the_action_does_not_list_is_a_warning(content_copy: Path) -> None:
    _craft(content_copy)  # 2.1 lists priority 1 but names key aim 2.1, an aim of priority 2
    result = run_build("--content", str(content_copy), "--check")
    assert result.returncode == 0, result.stderr
    warning = ("content/business_areas/02-partnerships/2.1.md:9: warning: key aim 2.1 is an aim of strategic "
               "priority 2, which 'priorities' does not list; add 2 to priorities or correct the key aim")
    assert warning in result.stderr
