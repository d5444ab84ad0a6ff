"""The audit page in a real browser: readable on a phone (390 px) with no sideways scrolling, and accessible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_audit import outputs
from test_history import A21, known_history, set_body
from test_html import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def audit_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The audit page of a known history with a long unbroken status, written to a file:// URL."""
    tmp = tmp_path_factory.mktemp("audit")
    repo, _ = known_history(tmp)
    set_body(repo, A21, "- " + "averyveryverylongwordwithoutanyspace" * 8 + " and more words after it\n")
    repo.commit_all("A status with a very long word", "2018-06-01T09:00:00+01:00")
    html = outputs(repo, dt.date(2018, 7, 1))["audit-2018-07-01.html"]
    path = tmp / "audit.html"
    path.write_bytes(html)
    return path.as_uri()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_audit_page_fits_the_viewport(audit_page: str, width: int):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium'", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(audit_page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        rows = page.eval_on_selector_all("table.changes tbody tr", "rows => rows.length")
        labels = page.eval_on_selector_all(
            "table.changes td", "cells => cells.slice(0, 5).map(c => getComputedStyle(c, '::before').content)")
        browser.close()
    assert rows > 0
    assert scroll_width <= width, f"the page scrolls sideways at {width} px ({scroll_width} px wide)"
    if width == 390:
        # Each change is a block of labelled lines on a phone.
        assert labels == ['"When: "', '"Who: "', '"Field: "', '"Change: "', '"Why: "']
