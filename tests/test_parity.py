"""Parity: the DOCX and the HTML say the same thing — same blocks in the same order, same tables.

Both outputs are read back as a reader gets them (python-docx for the DOCX, lxml for the HTML) and
reduced to one flow: headings, paragraphs and tables (caption, header row, every cell's text). The
flows must be equal. Anything one renderer decides on its own (a column, a heading, an order, a
filled-in placeholder) shows up as a difference here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import pytest
from conftest import FIXTURES, ROOT
from docx.oxml.ns import qn
from test_html import sample_plan

from delivery_report.layout import build_layout
from delivery_report.model import Kpi, Measurement, Plan, Snapshot
from delivery_report.pipeline import BuildRequest, read_plan
from delivery_report.render.docx import render_docx
from delivery_report.render.html import render_html
from delivery_report.richtext import parse

Flow = list[tuple[str, ...]]
_SPACE = re.compile(r"\s+")
# DOCX draws a numbered list's numbers as text ('1.<tab>'); the HTML's <ol> draws them itself.
_DOCX_LIST_NUMBER = re.compile(r"^\d+\.\t")


def squash(text: str) -> str:
    """Text with runs of white space as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


# --- the DOCX as a flow ------------------------------------------------------------------------


def docx_flow(data: bytes) -> Flow:
    """Headings, paragraphs and tables of a DOCX body, in order."""
    document = docx.Document(io.BytesIO(data))
    flow: Flow = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(element, document)
            text = squash(_DOCX_LIST_NUMBER.sub("", paragraph.text))
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            flow.append(("heading" if style.startswith(("Heading", "Title")) else "p", text))
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            caption = element.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
            rows = [tuple(squash(_cell_text(cell)) for cell in row.cells) for row in table.rows]
            flow.append(("table", caption.get(qn("w:val")) if caption is not None else "", repr(rows)))
    return flow


def _cell_text(cell: docx.table._Cell) -> str:
    return " ".join(_DOCX_LIST_NUMBER.sub("", p.text) for p in cell.paragraphs)


# --- the HTML as a flow ------------------------------------------------------------------------


def html_flow(page: str) -> Flow:
    """Headings, paragraphs, list items and tables of the page's banner and main content, in order."""
    root = lxml.html.fromstring(page)
    for hidden in root.xpath('//*[contains(concat(" ", @class, " "), " visually-hidden ")]'):
        hidden.drop_tree()
    flow: Flow = []
    for banner in root.xpath('//div[contains(@class, "draft-banner")]'):
        flow.append(("p", squash(banner.text_content())))
    for element in _walk(root.xpath("//main")[0]):
        tag = element.tag
        if tag == "table":
            caption = element.find("caption")
            rows = [tuple(squash(_own_text(cell)) for cell in tr.xpath("./th|./td")) for tr in element.xpath(".//tr")]
            flow.append(("table", squash(caption.text_content()) if caption is not None else "", repr(rows)))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flow.append(("heading", squash(element.text_content())))
        elif tag in ("p", "li"):
            text = squash(_own_text(element, skip_blocks=tag == "li"))
            if text:
                flow.append(("p", text))
    return flow


def _walk(element: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Elements in document order, not descending into tables, paragraphs or headings; the filter form
    is the page's own control, not part of the report, and is left out."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag == "form":
            continue
        yield child
        if child.tag not in ("table", "p", "h1", "h2", "h3", "h4", "h5", "h6"):
            yield from _walk(child)


def _own_text(element: lxml.html.HtmlElement, skip_blocks: bool = False) -> str:
    """Text of an element, block children separated by spaces; with skip_blocks (a list item), only its
    inline text: its paragraphs and nested lists are blocks of their own."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if skip_blocks and child.tag in ("ul", "ol", "p", "div", "table"):
            parts.append(child.tail or "")
            continue
        block = child.tag in ("p", "li", "div", "ul", "ol", "br")
        parts.append((" " if block else "") + _own_text(child) + (" " if block else "") + (child.tail or ""))
    return "".join(parts)


# --- the plans compared -------------------------------------------------------------------------


def both_flows(plan: Plan) -> tuple[Flow, Flow]:
    """The DOCX and HTML flows of a plan's public report."""
    public = plan.public()
    report = build_layout(public)
    return docx_flow(render_docx(report, public.snapshot)), html_flow(render_html(report))


def assert_same(plan: Plan) -> None:
    """The two outputs of the plan agree block by block."""
    docx_side, html_side = both_flows(plan)
    for index, (left, right) in enumerate(zip(docx_side, html_side)):
        assert left == right, f"block {index} differs:\nDOCX: {left}\nHTML: {right}"
    assert len(docx_side) == len(html_side), (docx_side[len(html_side):], html_side[len(docx_side):])


@pytest.mark.parametrize("as_at", ["2017-11-07", "2018-04-11"])
def test_real_plan_outputs_agree(tmp_path: Path, as_at: str) -> None:
    """The real plan from this repository's own history (read only: nothing is written)."""
    plan = read_plan(BuildRequest(content_dir=ROOT / "content", out_dir=tmp_path / "out",
                                  as_at=dt.date.fromisoformat(as_at)))
    assert_same(plan)


def test_fixture_plan_outputs_agree(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    plan = read_plan(BuildRequest(content_dir=content, out_dir=tmp_path / "out", today=dt.date(2018, 4, 11)))
    assert_same(plan)


def test_sample_plan_outputs_agree() -> None:
    assert_same(sample_plan())


def test_sample_plan_without_recommendations_or_cover_agrees() -> None:
    plan = dataclasses.replace(sample_plan(), recommendations=(), cover=None)
    assert_same(plan)
    docx_side, _html_side = both_flows(plan)
    assert ("p", "There are no Panel recommendations to report.") in docx_side


def test_area_introduction_comes_first_in_both() -> None:
    plan = sample_plan()
    area = dataclasses.replace(plan.areas[1], intro=parse("This area's introduction."))
    plan = dataclasses.replace(plan, areas=(plan.areas[0], area, plan.areas[2]))
    assert_same(plan)
    docx_side, _ = both_flows(plan)
    intro = docx_side.index(("p", "This area's introduction."))
    assert docx_side[intro + 1] == ("heading", "OPCC activity & progress update")


def test_kpi_columns_agree_with_a_target_and_an_owner() -> None:
    plan = sample_plan()
    kpi = Kpi(slug="k", title="Measure", period="2017/18", unit="count", better="lower",
              current=Measurement("now", 5), baseline=Measurement("then", 6), target=4.0, owner="TVP")
    plan = dataclasses.replace(plan, kpis=(kpi,))
    assert_same(plan)
    _, html_side = both_flows(plan)
    table = next(block for block in html_side if block[0] == "table" and block[1] == "Performance measures")
    assert "'Comparison'" in table[2] and "'Target'" in table[2] and "Measure TVP" in table[2]


def test_the_check_fails_when_a_renderer_decides_on_its_own() -> None:
    """The comparison itself can fail: a heading only the HTML has is caught."""
    plan = sample_plan()
    report = build_layout(plan.public())
    page = render_html(report).replace("<main id=\"main\" tabindex=\"-1\">", "<main id=\"main\" tabindex=\"-1\"><h2>Extra</h2>")
    docx_side = docx_flow(render_docx(report, plan.snapshot))
    assert docx_side != html_flow(page)


def test_snapshot_with_draft_banner_agrees() -> None:
    plan = sample_plan(snapshot=Snapshot(as_at=dt.date(2018, 4, 11), draft=True))
    assert_same(plan)


def _mutation_plan() -> Plan:
    """The sample plan with everything the mutations below touch: a KPI owner, an area introduction,
    a meeting line with a superscript, a placeholder typed in a status."""
    plan = sample_plan()
    kpi = Kpi(slug="k", title="Measure", period="2017/18", unit="count", better="lower",
              current=Measurement("now", 5), baseline=Measurement("then", 6), owner="TVP")
    area = dataclasses.replace(plan.areas[1], intro=parse("This area's introduction."))
    first = plan.areas[0]
    action = dataclasses.replace(first.actions[0], status=parse("Typed {rag_key} here"))
    first = dataclasses.replace(first, actions=(action, *first.actions[1:]))
    assert plan.cover is not None
    cover = dataclasses.replace(plan.cover, meeting="Level 1 public meeting on 31^st^ March 2017")
    return dataclasses.replace(plan, kpis=(kpi,), areas=(first, area, plan.areas[2]), cover=cover)


# Each reproduces one way the renderers disagreed before there was one layout (issue 7).
RENDERER_DECISIONS = {
    "KPI header says Baseline": lambda page: page.replace(">Comparison</th>", ">Baseline</th>"),
    "KPI owner only in one output": lambda page: page.replace("<p>TVP</p>", ""),
    "introduction after the activity heading": lambda page: re.sub(
        r"(<p>This area&#39;s introduction.</p>)(\s*)(<h4>OPCC activity &amp; progress update</h4>)", r"\3\2\1", page),
    "Appendix 2 dropped": lambda page: re.sub(r'<section class="appendix" id="appendix-2".*?</section>', "", page,
                                              flags=re.S),
    "placeholder filled in a status": lambda page: page.replace("Typed {rag_key} here", "Typed Green here"),
    "meeting line Markdown printed as typed": lambda page: page.replace("31<sup>st</sup>", "31^st^"),
}


@pytest.mark.parametrize("decision", sorted(RENDERER_DECISIONS))
def test_each_former_difference_is_caught(decision: str) -> None:
    plan = _mutation_plan()
    report = build_layout(plan.public())
    page = render_html(report)
    changed = RENDERER_DECISIONS[decision](page)
    assert changed != page, "the mutation did not apply: the page no longer has what it changes"
    docx_side = docx_flow(render_docx(report, plan.snapshot))
    assert docx_side == html_flow(page)
    assert docx_side != html_flow(changed)
