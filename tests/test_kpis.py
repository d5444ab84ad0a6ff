"""Appendix 3 (issue 12): values per period, change, direction by polarity, target status and trend charts.

The charts are checked by their numbers: the SVG's bars and labels in the HTML, the picture's alt text
(docPr descr) and the PNG's bar heights in the DOCX — not merely that a chart is there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, GitRepo, run_build
from lxml import etree
from test_html import sample_plan

from delivery_report.layout import build_layout
from delivery_report.layout.wording import change_words
from delivery_report.model import Kpi, Measurement, Plan
from delivery_report.pipeline import BuildRequest, read_plan
from delivery_report.render import charts
from delivery_report.render.docx import render_docx
from delivery_report.render.html import render_html

MINUS = "\u2212"
# The three TVP measures as the Panel saw them (seed 002): comparison, current, change, direction.
SHIPPED = {
    "domestic-violence": ("5,041", "5,009", f"{MINUS}32 ({MINUS}0.6%)", "↓ Down – improving"),
    "rape-investigations-prosecution": ("61", "68", "+7 (+11.5%)", "↑ Up – improving"),
    "repeat-victimisation-domestic-abuse": ("26.5%", "23.5%", f"{MINUS}3.0 points ({MINUS}11.3%)", "↓ Down – improving"),
}
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def outputs(plan: Plan) -> tuple[str, bytes]:
    """The public HTML page and DOCX of a plan."""
    public = plan.public()
    report = build_layout(public)
    return render_html(report), render_docx(report, public.snapshot)


def svg_bars(page: str, slug: str) -> list[tuple[str, str, float, float]]:
    """(period, value shown, bar height, bar top) of each bar of a measure's chart, in order."""
    root = lxml.html.fromstring(page)
    svg = root.xpath(f'//figure[@id="kpi-chart-{slug}"]/svg')
    assert len(svg) == 1, f"no chart for {slug}"
    return [(r.get("data-label"), r.get("data-value"), float(r.get("height")), float(r.get("y")))
            for r in svg[0].xpath("./rect")]


def docx_alt_texts(data: bytes) -> dict[str, str]:
    """Picture name -> alt text (docPr descr) of every picture in the DOCX body."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    return {p.get("name"): p.get("descr") for p in document.iter(WP_DOCPR)}


def docx_pictures(data: bytes) -> list[bytes]:
    """The PNG pictures in the DOCX package, in part-name order."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [package.read(n) for n in sorted(package.namelist()) if n.startswith("word/media/") and n.endswith(".png")]


def png_bar_heights(data: bytes) -> list[int]:
    """Read a chart PNG back and measure the height of each bar (runs of bar-coloured pixels in a column)."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    idat = b""
    offset = 8
    while offset < len(data):
        length = struct.unpack(">I", data[offset:offset + 4])[0]
        kind = data[offset + 4:offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    colours = {bytes.fromhex(charts.BAR_COLOUR), bytes.fromhex(charts.EARLIER_COLOUR)}
    heights: list[int] = []
    previous_bar = False
    for x in range(width):
        column = [raw[y * stride + 1 + x * 3: y * stride + 4 + x * 3] for y in range(height)]
        count = sum(1 for pixel in column if pixel in colours)
        if count and not previous_bar:
            heights.append(count)
        previous_bar = count > 0
    return heights


@pytest.fixture(scope="module")
def real() -> tuple[Plan, str, bytes]:
    """The real plan as at 11 April 2018 (read from this repository's history) and its outputs."""
    plan = read_plan(BuildRequest(content_dir=ROOT / "content", out_dir=ROOT / "build", as_at=dt.date(2018, 4, 11)))
    page, docx_bytes = outputs(plan)
    return plan, page, docx_bytes


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_shipped_measures_table_shows_change_and_direction(real: tuple[Plan, str, bytes], slug: str) -> None:
    _, page, _ = real
    root = lxml.html.fromstring(page)
    headers = [th.text_content() for th in root.xpath('//table[@class="kpi-table"]/thead//th')]
    row = root.xpath(f'//tr[@id="kpi-{slug}"]')[0]
    cells = dict(zip(headers, (" ".join(td.text_content().split()) for td in row.xpath("./td"))))
    comparison, current, change, direction = SHIPPED[slug]
    assert cells["Comparison"].startswith(comparison) and cells["Current"].startswith(current)
    assert cells["Change"] == change
    assert cells["Direction of travel"] == direction
    assert row.get("data-direction") == "improving"


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_shipped_charts_state_their_numbers(real: tuple[Plan, str, bytes], slug: str) -> None:
    _, page, docx_bytes = real
    comparison, current, change, direction = SHIPPED[slug]
    bars = svg_bars(page, slug)
    assert [(label, shown) for label, shown, _, _ in bars] == [
        ("2016/17 Comparison", comparison), ("2017/18 (April – Sept)", current)]
    # Bars start at zero, so their heights are in the ratio of the values.
    values = [float(shown.replace(",", "").rstrip("%")) for _, shown, _, _ in bars]
    assert bars[1][2] / bars[0][2] == pytest.approx(values[1] / values[0], rel=0.01)
    root = lxml.html.fromstring(page)
    svg = root.xpath(f'//figure[@id="kpi-chart-{slug}"]/svg')[0]
    assert svg.get("role") == "img"
    label = svg.get("aria-label")
    assert f"2016/17 Comparison: {comparison}" in label and f"2017/18 (April – Sept): {current}" in label
    assert direction.split(" ", 1)[1] in label and change in label
    texts = [t.text for t in svg.xpath("./text")]
    assert comparison in texts and current in texts
    # The same numbers in a table beside the chart.
    table = root.xpath(f'//table[@id="kpi-values-{slug}"]')[0]
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")]
    assert rows == [["2016/17 Comparison", comparison], ["2017/18 (April – Sept)", current]]
    # The DOCX picture's alt text states the same figures.
    alt = docx_alt_texts(docx_bytes)[f"kpi-chart-{slug}"]
    assert alt == label


def test_docx_chart_pictures_have_bars_in_the_ratio_of_the_values(real: tuple[Plan, str, bytes]) -> None:
    plan, _, docx_bytes = real
    pictures = docx_pictures(docx_bytes)
    assert len(pictures) == len(plan.public().kpis) == 3
    by_ratio = sorted(heights[1] / heights[0] for heights in map(png_bar_heights, pictures))
    expected = sorted(k.current.value / k.baseline.value for k in plan.kpis if k.baseline is not None)
    assert by_ratio == pytest.approx(expected, rel=0.02)


def test_charts_say_the_same_in_both_outputs_and_rebuild_byte_for_byte(real: tuple[Plan, str, bytes]) -> None:
    plan, page, docx_bytes = real
    again_page, again_docx = outputs(plan)
    assert again_page == page and again_docx == docx_bytes
    captions = [" ".join(p.text_content().split()) for p in lxml.html.fromstring(page).xpath("//figcaption/p")]
    assert len(captions) == 3 and all(c.startswith("Chart: ") for c in captions)


def _with_kpi(**fields: object) -> Plan:
    kpi = Kpi(slug="k", title="Calls answered", period="2017/18", unit="count", better="lower",
              current=Measurement("Q3", 90), baseline=Measurement("Q2", 120))
    return dataclasses.replace(sample_plan(), kpis=(dataclasses.replace(kpi, **fields),))


@pytest.mark.parametrize(("better", "target", "status", "met"), [
    ("lower", 100.0, "Target met", "yes"),
    ("lower", 80.0, "Target not met", "no"),
    ("higher", 80.0, "Target met", "yes"),
    ("higher", 100.0, "Target not met", "no"),
])
def test_status_against_target_by_polarity(better: str, target: float, status: str, met: str) -> None:
    page, docx_bytes = outputs(_with_kpi(better=better, target=target))
    root = lxml.html.fromstring(page)
    row = root.xpath('//tr[@id="kpi-k"]')[0]
    assert row.get("data-target-met") == met
    headers = [th.text_content() for th in root.xpath('//table[@class="kpi-table"]/thead//th')]
    cells = dict(zip(headers, (" ".join(td.text_content().split()) for td in row.xpath("./td"))))
    assert cells["Target"] == f"{int(target)} {status}"
    assert cells["Direction of travel"] == ("↓ Down – improving" if better == "lower" else "↓ Down – worsening")
    line = root.xpath('//figure[@id="kpi-chart-k"]/svg/line[@data-target]')
    assert line and line[0].get("data-target") == str(int(target))
    alt = docx_alt_texts(docx_bytes)["kpi-chart-k"]
    assert f"Target {int(target)}: {status.removeprefix('Target ')}." in alt


def test_values_per_period_are_the_chart() -> None:
    values = (Measurement("2015/16", 150), Measurement("Q2", 120), Measurement("Q3", 90))
    page, docx_bytes = outputs(_with_kpi(values=values))
    bars = svg_bars(page, "k")
    assert [(label, shown) for label, shown, _, _ in bars] == [("2015/16", "150"), ("Q2", "120"), ("Q3", "90")]
    assert [b[2] for b in bars] == sorted((b[2] for b in bars), reverse=True)
    assert "2015/16: 150; Q2: 120; Q3: 90." in docx_alt_texts(docx_bytes)["kpi-chart-k"]
    heights = png_bar_heights(docx_pictures(docx_bytes)[0])
    assert heights[1] / heights[0] == pytest.approx(120 / 150, rel=0.02)
    assert heights[2] / heights[0] == pytest.approx(90 / 150, rel=0.02)


def test_no_chart_without_a_comparison() -> None:
    page, docx_bytes = outputs(_with_kpi(baseline=None))
    assert 'id="kpi-chart-k"' not in page and docx_alt_texts(docx_bytes) == {}
    assert "No comparison" in page


def test_change_words() -> None:
    base = Kpi(slug="k", title="t", period="p", unit="count", better="higher", current=Measurement("b", 1200),
               baseline=Measurement("a", 1000))
    assert change_words(base) == "+200 (+20.0%)"
    assert change_words(dataclasses.replace(base, current=Measurement("b", 1000))) == "0 (0.0%)"
    assert change_words(dataclasses.replace(base, baseline=Measurement("a", 0))) == "+1,200"
    assert change_words(dataclasses.replace(base, baseline=None)) == ""
    percent = dataclasses.replace(base, unit="percent", current=Measurement("b", 7.4), baseline=Measurement("a", 7.9))
    assert change_words(percent) == f"{MINUS}0.5 points ({MINUS}6.3%)"


# --- values in the content: as at a date, and the checks ----------------------------------------------

KPI_FILE = """---
title: Reduce the level of violence – Domestic Violence
owner: TVP
priority: 1
period: {period}
unit: count
better: lower
baseline: {{label: {base_label}, value: {base}}}
current: {{label: {current_label}, value: {current}}}
values:
{values}
---
Commentary.
"""


def _kpi_text(period: str, values: list[tuple[str, int]]) -> str:
    (base_label, base), (current_label, current) = values[-2], values[-1]
    lines = "\n".join(f"  - {{label: {label}, value: {value}}}" for label, value in values)
    return KPI_FILE.format(period=period, base_label=base_label, base=base, current_label=current_label,
                           current=current, values=lines)


def test_a_kpi_shows_the_values_committed_by_the_as_at_date(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    first = [("2015/16 Q1-2", 4900), ("2016/17 Q1-2", 5041), ("2017/18 Q1-2", 5009)]
    repo.write("content/kpis/domestic-violence.md", _kpi_text("2017/18", first))
    repo.commit_all("DV values to Sept 2017", "2017-10-20T12:00:00+01:00")
    repo.write("content/kpis/domestic-violence.md", _kpi_text("2018/19", [*first, ("2018/19 Q1-2", 4950)]))
    repo.commit_all("DV values to Sept 2018", "2018-10-20T12:00:00+01:00")

    def bars_as_at(day: str) -> list[tuple[str, str]]:
        plan = read_plan(BuildRequest(content_dir=repo.root / "content", out_dir=repo.root / "out",
                                      as_at=dt.date.fromisoformat(day)))
        return [(label, shown) for label, shown, _, _ in svg_bars(outputs(plan)[0], "domestic-violence")]

    assert bars_as_at("2017-11-07") == [("2015/16 Q1-2", "4,900"), ("2016/17 Q1-2", "5,041"), ("2017/18 Q1-2", "5,009")]
    assert bars_as_at("2018-11-07")[-1] == ("2018/19 Q1-2", "4,950") and len(bars_as_at("2018-11-07")) == 4
    assert bars_as_at("2017-04-01") == [("2016/17 Comparison", "5,041"), ("2017/18 (April – Sept)", "5,009")]


@pytest.mark.parametrize(("values", "message"), [
    ("  - {label: A, value: 5041}\n  - {label: B, value: 5000}",
     "kpis/domestic-violence.md:11: the last of 'values' is 5000 but 'current' is 5009; list the periods oldest first, ending with the current one"),
    ("  - {label: A, value: 4000}\n  - {label: B, value: 5009}",
     "kpis/domestic-violence.md:11: 'values' does not hold the comparison value 5041 ('baseline')"),
    ("  - {label: A, value: 5041}\n  - {label: A, value: 5009}",
     "kpis/domestic-violence.md:11: 'values' names the period 'A' twice; give each period once"),
    ("  - {label: A, value: 5041 offences}\n  - {label: B, value: 5009}",
     "kpis/domestic-violence.md:11: each 'values' value must be a number"),
    ("  - 5041\n  - {label: B, value: 5009}",
     "kpis/domestic-violence.md:11: each entry of 'values' needs a label and a value"),
])
def test_values_mistakes_are_reported_at_their_line(content_copy: Path, values: str, message: str) -> None:
    path = content_copy / "kpis" / "domestic-violence.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("current: {label: 2017/18 (April – Sept), value: 5009}\n",
                                 "current: {label: 2017/18 (April – Sept), value: 5009}\nvalues:\n" + values + "\n"),
                    encoding="utf-8")
    result = run_build("--content", str(content_copy), "--check")
    assert result.returncode == 1, result.stdout
    assert message in result.stderr


def test_too_many_values_are_refused(content_copy: Path) -> None:
    path = content_copy / "kpis" / "domestic-violence.md"
    many = "\n".join(f"  - {{label: P{i}, value: {i}}}" for i in range(41))
    path.write_text(path.read_text(encoding="utf-8").replace("---\nThere", f"values:\n{many}\n---\nThere"),
                    encoding="utf-8")
    result = run_build("--content", str(content_copy), "--check")
    assert result.returncode == 1
    assert re.search(r"'values' lists 41 periods; a chart shows at most 40", result.stderr)


def test_forty_periods_keep_every_value_in_the_bars_and_the_alt_text() -> None:
    values = tuple(Measurement(f"Q{i}", 1000 + 10 * i) for i in range(40))
    page, docx_bytes = outputs(_with_kpi(values=values, current=values[-1], baseline=values[-2]))
    bars = svg_bars(page, "k")
    assert [shown for _, shown, _, _ in bars] == [f"{1000 + 10 * i:,}" for i in range(40)]
    svg = lxml.html.fromstring(page).xpath('//figure[@id="kpi-chart-k"]/svg')[0]
    # Too many to print over each bar: the first and last values are printed, every one is in the alt text.
    printed = [t.text for t in svg.xpath("./text") if t.text and t.text[0].isdigit()]
    assert printed == ["1,000", "1,390"]
    alt = docx_alt_texts(docx_bytes)["kpi-chart-k"]
    assert all(f"Q{i}: {1000 + 10 * i:,}" in alt for i in range(40))
    assert len(png_bar_heights(docx_pictures(docx_bytes)[0])) == 40


def test_charts_are_vector_in_both_outputs_with_period_names_and_a_labelled_axis(real: tuple[Plan, str, bytes]) -> None:
    """Issue 19: the DOCX's chart is an SVG (Word 2016+ draws it; the PNG is the fallback LibreOffice prints),
    the same SVG as the HTML's, naming every period and its value axis, in the report's font."""
    _, page, docx_bytes = real
    svg_ns = "{http://www.w3.org/2000/svg}"
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        types = package.read("[Content_Types].xml").decode()
        targets = {r.get("Id"): r.get("Target") for r in rels}
        blips = document.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
        vectors = [b.find(".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip") for b in blips]
        assert len(vectors) == len(SHIPPED) and all(v is not None for v in vectors)
        pictures = []
        for vector in vectors:
            target = targets[vector.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")]
            assert target.endswith(".svg") and f'PartName="/word/{target}" ContentType="image/svg+xml"' in types
            pictures.append(etree.fromstring(package.read(f"word/{target}")))
    root = lxml.html.fromstring(page)
    for picture in pictures:
        slug = picture.get("data-chart").removeprefix("kpi-chart-")
        periods = [t.text for t in picture.iter(f"{svg_ns}text") if t.get("class") == "period"]
        assert periods and " ".join(periods) == " ".join(label for label, _, _, _ in svg_bars(page, slug))
        assert [t.text for t in picture.iter(f"{svg_ns}text") if t.get("class") == "axis"] in (["Number"], ["Per cent"])
        assert picture.get("font-family").startswith("Arial")
        inline = root.xpath(f'//figure[@id="kpi-chart-{slug}"]/svg')[0]
        assert [t.text for t in inline.xpath('./text[@class="period"]')] == periods


def test_the_png_fallback_prints_the_period_names_and_the_axis_label() -> None:
    """The fallback picture has ink below the bars (the period names) and left of them (the axis label)."""
    values = (Measurement("2016/17 Comparison", 5041), Measurement("2017/18 (April – Sept)", 5009))
    _, docx_bytes = outputs(_with_kpi(values=values, current=values[-1], baseline=values[0]))
    data = docx_pictures(docx_bytes)[0]
    width, height = struct.unpack(">II", data[16:24])
    idat = b"".join(data[o + 8:o + 8 + struct.unpack(">I", data[o:o + 4])[0]] for o in _chunks(data, b"IDAT"))
    raw = zlib.decompress(idat)
    stride = width * 3 + 1

    def dark(x0: int, x1: int, y0: int, y1: int) -> int:
        return sum(1 for y in range(y0, y1) for x in range(x0, x1) if max(raw[y * stride + 1 + x * 3:y * stride + 4 + x * 3]) < 90)

    scale = charts.PNG_SCALE
    below = dark(charts._LEFT * scale, width, (charts.HEIGHT - 50) * scale, height)
    left = dark(0, 30 * scale, 0, height)
    assert below > 200 and left > 50, (below, left)


def _chunks(data: bytes, kind: bytes) -> list[int]:
    offsets, offset = [], 8
    while offset < len(data):
        length = struct.unpack(">I", data[offset:offset + 4])[0]
        if data[offset + 4:offset + 8] == kind:
            offsets.append(offset)
        offset += 12 + length
    return offsets
