"""The HTML page is joined from pieces kept as UTF-8 (its tables), and checked as UTF-8 piece by piece."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from delivery_report import pipeline
from delivery_report.layout import build_layout
from delivery_report.model import Plan
from delivery_report.render.html import _Spliced, render_html, render_html_bytes

MARKER_TEXT = "<!--delivery-report piece 0-->"


def _plan(content: Path, tmp_path: Path) -> Plan:
    action = content / "business_areas" / "01-communications" / "1.3.md"
    text = action.read_text(encoding="utf-8")
    head, _, _ = text.rpartition("---\n")
    # A status that types what the page's markers look like, with characters beyond Latin-1 (as code: an HTML
    # comment in text is itself an error, issue 18, but in a code span it is printed as typed).
    action.write_text(f"{head}---\n- Types `{MARKER_TEXT}` and an arrow \u2192, a dash \u2013 and caf\u00e9\n",
                      encoding="utf-8")
    request = pipeline.BuildRequest(content_dir=content, out_dir=tmp_path / "out", today=dt.date(2018, 4, 11))
    return pipeline.read_plan(request)


def test_the_page_in_bytes_is_the_page_as_text_encoded(content_copy: Path, tmp_path: Path) -> None:
    report = build_layout(_plan(content_copy, tmp_path).public())
    page = render_html_bytes(report)
    assert page == render_html(report).encode("utf-8")
    text = page.decode("utf-8")
    assert "<table" in text and "<!--delivery-report piece" not in text
    # The marker a status types is content: escaped, and never taken for a piece.
    assert "&lt;!--delivery-report piece 0--&gt; and an arrow \u2192, a dash \u2013 and caf\u00e9" in text


def test_pieces_go_back_where_their_markers_are_and_nowhere_else() -> None:
    spliced = _Spliced()
    arrow_table = spliced("<table>\u2192</table>")
    page = f"<p>a</p>{arrow_table}<p>b</p>{spliced('<table>2</table>')}"
    assert spliced.join(page) == "<p>a</p><table>\u2192</table><p>b</p><table>2</table>".encode()
    with pytest.raises(RuntimeError, match="went missing"):
        spliced.join("<p>no markers</p>")
    swapped = page.replace("piece 0", "piece X").replace("piece 1", "piece 0").replace("piece X", "piece 1")
    with pytest.raises(RuntimeError, match="out of place"):
        spliced.join(swapped)


def test_a_page_that_is_not_utf8_is_refused_wherever_the_fault_is() -> None:
    good = "caf\u00e9 \u2192 ".encode() * 30_000
    pipeline._check_utf8(good)
    for fault in (b"\xff", "\u2192".encode()[:2]):  # a byte UTF-8 never has; a character cut short
        for at in (0, 65_535, len(good)):
            with pytest.raises(UnicodeDecodeError):
                pipeline._check_utf8(good[:at] + fault + good[at:] if fault == b"\xff" else good[:at] + fault)
