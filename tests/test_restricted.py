"""Part 2 / exempt content (restricted: true) never reaches a public output, DOCX or HTML."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import run_build

SECRETS = ("SECRET-PART-2-TEXT", "Confidential review", "SECRET-AREA", "SECRET-TOPIC", "SECRET-KPI")


def _add_restricted_items(content: Path) -> None:
    area = content / "business_areas" / "03-exempt"
    area.mkdir()
    (area / "_area.md").write_text("---\nnumber: 3\ntitle: SECRET-AREA title\nrestricted: true\n---\n")
    (area / "3.1.md").write_text("---\nref: \"3.1\"\naction: SECRET-AREA action\n---\n- SECRET-AREA status\n")
    (content / "recommendations" / "02-exempt-topic.md").write_text(
        "---\nnumber: 2\ntopic: SECRET-TOPIC\nrestricted: true\n---\nSECRET-TOPIC recommendation\n"
    )
    (content / "kpis" / "exempt.md").write_text(
        "---\ntitle: SECRET-KPI\nperiod: 2017/18\nunit: count\nbetter: lower\ncurrent: {label: now, value: 1}\nrestricted: true\n---\n"
    )


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_restricted_items_are_in_neither_output(content_copy: Path, tmp_path: Path):
    _add_restricted_items(content_copy)
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    docx_xml = _docx_text(next((tmp_path / "out").glob("*.docx")))
    for secret in SECRETS:
        assert secret not in html, f"{secret} leaked into the HTML"
        assert secret not in docx_xml, f"{secret} leaked into the DOCX"
    assert 'id="action-2.2"' not in html and 'id="action-3.1"' not in html
    assert "Is there a Part 2 form? Yes" in html
    # Counts in the cover come from the public plan: two public areas, six public actions.
    assert "two separate business areas and 6 actions" in html


def test_public_counts_do_not_reveal_restricted_areas(content_copy: Path, tmp_path: Path):
    _add_restricted_items(content_copy)
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    docx_xml = _docx_text(next((tmp_path / "out").glob("*.docx")))
    assert "Business Area 3" not in docx_xml
