"""The import writes the rating scale a Word plan shows (its words, or its shading) into plan.md's `ratings`
(issue 20): the ratings found, worst to best, in the office's own shades, and the complete rating; the
folder then builds with those fills. A plan that shows no rating gets no `ratings` (the default scale)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from conftest import run_build
from docx.oxml.ns import qn
from import_helpers import (
    AMBER,
    GREEN,
    RED,
    C,
    Grid,
    P,
    Text,
    another_office_plan,
    check_imported,
    front_matter,
    run_import,
    thames_valley_2015_plan,
    write_plan,
)

from delivery_report.model import DEFAULT_SCALE

MEANINGS = {r.id: r.meaning for r in DEFAULT_SCALE.ratings}
HEADER = ["Ref.", "Actions", "Due Date", "Lead Officer", "Current Status", "R/A/G"]
PALE_RED, PALE_GREEN = "FFC7CE", "C6EFCE"  # a spreadsheet's pale shades


def rating(rating_id: str, label: str, colour: str, **flags: bool) -> dict[str, Any]:
    return {"id": rating_id, "label": label, "colour": colour, "meaning": MEANINGS[rating_id], **flags}


def import_and_build(source: Path, work: Path) -> tuple[dict[str, Any], Any]:
    """Import into a new folder, check it and build it; plan.md's fields and the DOCX built."""
    content = work / "content"
    imported = run_import(source, "--content", content)
    assert imported.returncode == 0, imported.stderr
    said = [line for line in imported.stdout.splitlines() if "'ratings' lists the scale found" in line]
    plan, _body = front_matter(content / "plan.md")
    assert len(said) == (1 if "ratings" in plan else 0), imported.stdout
    if said:  # the summary names each rating written, in order
        assert said[0].index(plan["ratings"][0]["label"]) < said[0].index(plan["ratings"][-1]["label"])
    check_imported(content)  # fails only on the import's placeholders, until they are filled in (issue 18)
    built = run_build("--content", str(content), "--out", str(work / "out"))
    assert built.returncode == 0, built.stderr
    plan, _body = front_matter(content / "plan.md")
    return plan, docx.Document(str(next((work / "out").glob("report-*.docx"))))


def _fill(cell: Any) -> str:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else ""


def rag_cells(document: Any) -> dict[str, Any]:
    """ref -> the R/A/G cell of its row in the delivery plan's tables."""
    return {row.cells[0].text: row.cells[-1] for table in document.tables if table.rows[0].cells[0].text == "Ref."
            for row in table.rows[1:]}


def key_rows(document: Any) -> list[tuple[str, str]]:
    key = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["R/A/G", "Meaning"])
    return [(row.cells[0].text, _fill(row.cells[0])) for row in key.rows[1:]]


def test_shading_alone_gives_the_scale_in_the_offices_own_shades(tmp_path: Path) -> None:
    plan, document = import_and_build(thames_valley_2015_plan(tmp_path / "tv.docx"), tmp_path)
    # Red, amber and green by shading (the white cell is no rating); complete added, as a scale needs one.
    assert plan["ratings"] == [rating("red", "Red", RED), rating("amber", "Amber", AMBER),
                               rating("green", "Green", GREEN), rating("complete", "Complete", "00B050", complete=True)]
    cells = rag_cells(document)
    assert (cells["1.3"].text, _fill(cells["1.3"])) == ("Red", RED)  # the office's red, FF0000, not C00000
    assert (cells["2.2"].text, _fill(cells["2.2"])) == ("Amber", AMBER)


def test_words_and_shading_give_the_ratings_found(tmp_path: Path) -> None:
    plan, document = import_and_build(another_office_plan(tmp_path / "office.docx"), tmp_path)
    # 'Amber/Green' (the national five-point scale's, shaded amber here) is a rating of the scale found, in its place.
    assert plan["ratings"] == [rating("red", "Red", RED), rating("amber", "Amber", AMBER),
                               {"id": "amber-green", "label": "Amber/Green", "colour": AMBER,
                                "meaning": "Delivery likely: minor issues being managed"},
                               rating("green", "Green", GREEN), rating("complete", "Complete", "00B050", complete=True)]
    assert key_rows(document) == [("Green", GREEN), ("Amber/Green", AMBER), ("Amber", AMBER), ("Red", RED),
                                  ("Complete", "00B050")]


def _plan_with_ratings(path: Path, ratings: list[C | str]) -> Path:
    header: list[Any] = [C([P([Text(name, bold=True)])]) for name in HEADER]
    rows: list[list[Any]] = [[f"1.{n}", f"Action number {n}.", "Mar 2018", "SM", "Under way.", value]
                             for n, value in enumerate(ratings, start=1)]
    return write_plan(path, [P([Text("Example OPCC Strategic Delivery Plan 2017/18", bold=True)]),
                             P([Text("Business Area 1: Communications", bold=True)]), Grid([header, *rows])])


def test_words_with_pale_shading_give_the_pale_shades_and_white_as_not_started(tmp_path: Path) -> None:
    source = _plan_with_ratings(tmp_path / "pale.docx", [
        C("Red", PALE_RED), C("Red", PALE_RED), "Amber", "White", C("Green", PALE_GREEN), "(C)"])
    plan, document = import_and_build(source, tmp_path)
    assert plan["ratings"] == [
        rating("red", "Red", PALE_RED), rating("amber", "Amber", "FFC000"), rating("green", "Green", PALE_GREEN),
        rating("white", "White", "FFFFFF", not_started=True), rating("complete", "Complete", "00B050", complete=True)]
    cells = rag_cells(document)
    assert [(cells[f"1.{n}"].text, _fill(cells[f"1.{n}"])) for n in range(1, 7)] == [
        ("Red", PALE_RED), ("Red", PALE_RED), ("Amber", "FFC000"), ("White", "FFFFFF"), ("Green", PALE_GREEN),
        ("Complete", "00B050")]
    # Black text on a pale red: the contrast rule, not the default's white on red.
    colours = {run._r.rPr.find(qn("w:color")).get(qn("w:val")) for run in cells["1.1"].paragraphs[0].runs}
    assert colours == {"000000"}


def test_a_plan_that_shows_no_rating_gets_the_default_scale(tmp_path: Path) -> None:
    plan, document = import_and_build(_plan_with_ratings(tmp_path / "none.docx", ["", ""]), tmp_path)
    assert "ratings" not in plan
    assert [word for word, _ in key_rows(document)] == ["Green", "Amber", "Red", "White", "Complete"]


def test_the_five_point_scale_is_imported_as_the_plan_shows_it(tmp_path: Path) -> None:
    """Words of the national five-point scale, in any order down the table: the scale found is theirs, worst to
    best, with a complete rating added (the five-point scale has none); every row keeps its rating."""
    source = _plan_with_ratings(tmp_path / "five.docx", [
        "Green", "Amber/Green", C("Amber", AMBER), "Amber / Red", "Red", "Green/Amber"])
    plan, document = import_and_build(source, tmp_path)
    assert [r["id"] for r in plan["ratings"]] == ["red", "amber-red", "amber", "amber-green", "green", "complete"]
    assert [r["label"] for r in plan["ratings"]] == ["Red", "Amber/Red", "Amber", "Amber/Green", "Green", "Complete"]
    cells = rag_cells(document)
    assert [cells[f"1.{n}"].text for n in range(1, 7)] == ["Green", "Amber/Green", "Amber", "Amber/Red", "Red",
                                                           "Amber/Green"]
    assert _fill(cells["1.2"]) == "92D050" and _fill(cells["1.4"]) == "FF6600"
    assert [word for word, _ in key_rows(document)] == ["Green", "Amber/Green", "Amber", "Amber/Red", "Red", "Complete"]


def test_dorsets_scale_is_imported_with_blue_as_complete(tmp_path: Path) -> None:
    """Dorset's Panel words: Blue (complete, no further monitoring), Green, Yellow, Red. Blue is the complete
    rating, so none is added; an action rated Blue is complete (not overdue, counted complete)."""
    source = _plan_with_ratings(tmp_path / "dorset.docx", ["Red", "Yellow", "Green", "Blue"])
    plan, document = import_and_build(source, tmp_path)
    assert [(r["id"], r.get("complete", False)) for r in plan["ratings"]] == [
        ("red", False), ("yellow", False), ("green", False), ("blue", True)]
    cells = rag_cells(document)
    assert [(cells[f"1.{n}"].text, _fill(cells[f"1.{n}"])) for n in range(1, 5)] == [
        ("Red", "C00000"), ("Yellow", "FFFF00"), ("Green", "00B050"), ("Blue", "0070C0")]
    # The due date (March 2018) has passed by the build's date: every action but the complete one is overdue.
    overdue = [row.cells[0].text for table in document.tables if table.rows[0].cells[0].text == "Ref."
               for row in table.rows[1:] if "Overdue" in row.cells[2].text]
    assert overdue == ["1.1", "1.2", "1.3"]
