"""The report on a phone (390 px wide) in Chromium: every action readable without scrolling sideways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT
from test_html import CHROMIUM, CHROMIUM_ARGS

from delivery_report.layout import build_layout
from delivery_report.pipeline import BuildRequest, read_changes, read_plan
from delivery_report.render.html import render_html

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real plan's public HTML as at 11 April 2018 (with its changes since November), as a file:// URL."""
    request = BuildRequest(content_dir=ROOT / "content", out_dir=ROOT / "build", as_at=dt.date(2018, 4, 11))
    plan = read_plan(request)
    _, changes = read_changes(request, plan)
    path = tmp_path_factory.mktemp("phone") / "report.html"
    path.write_text(render_html(build_layout(plan.public(), changes)), encoding="utf-8")
    return path.as_uri()


def _measure(url: str, width: int) -> dict[str, object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium'", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url)
        found: dict[str, object] = page.evaluate("""() => {
            const rows = [...document.querySelectorAll('table.plan-table tbody tr')];
            const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
            const caption = document.querySelector('table.plan-table caption');
            return {
              scrollWidth: document.documentElement.scrollWidth,
              rows: rows.length,
              cells: rows.flatMap(r => [...r.querySelectorAll('td.status, td.rag')].map(box)),
              display: getComputedStyle(rows[0]).display,
              labels: [...rows[0].querySelectorAll('td')].map(td => getComputedStyle(td, '::before').content),
              captionText: caption.textContent,
              captionWidth: caption.getBoundingClientRect().width,
            };
        }""")
        browser.close()
    return found


def test_on_a_phone_each_action_is_a_block_of_labelled_lines(report_page: str) -> None:
    phone = _measure(report_page, 390)
    assert phone["rows"] == 67
    assert phone["scrollWidth"] <= 390, "the page scrolls sideways on a phone"
    cells = phone["cells"]
    assert isinstance(cells, list) and len(cells) == 2 * 67
    assert all(0 <= left and right <= 390 for left, right in cells), "a status or R/A/G cell is off-screen"
    assert phone["display"] == "block"
    assert phone["labels"] == ['"Ref."', '"Actions"', '"Links to Strategic Priority"', '"Due Date"', '"Sponsor"',
                               '"Lead Officer"', '"Current Status"', '"R/A/G"']
    # The area's title is shown once (its heading); the caption stays whole for screen readers only.
    assert phone["captionText"] == "Business Area 1: Communications, PR & Engagement – OPCC activity & progress update"
    assert phone["captionWidth"] <= 1


def test_on_a_desktop_the_plan_stays_a_table(report_page: str) -> None:
    desktop = _measure(report_page, 1440)
    assert desktop["display"] == "table-row" and desktop["labels"][0] == "none"
    assert desktop["captionWidth"] > 100
