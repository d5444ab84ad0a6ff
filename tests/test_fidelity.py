"""The real plan, built from this repository's own history, reproduces the seed tables row for row.

tests/fidelity/expected-<date>.tsv were checked by hand against the published documents (seed 002
for 7.11.2017, seed 000 for 11.4.2018): ref, due, sponsor, lead, R/A/G, lifecycle wording and
the number of status bullets of every action. They are compared with what the built DOCX holds.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import ROOT, run_build

FIDELITY = Path(__file__).resolve().parent / "fidelity"
DATES = ("2017-11-07", "2018-04-11")
_NUMBERED = re.compile(r"^\d+\.\t")
RAG_WORDS = ("Red", "Amber", "Green", "White", "Complete")


def _expected(date: str) -> list[dict]:
    with open(FIDELITY / f"expected-{date}.tsv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


@pytest.fixture(scope="module", params=DATES)
def built(request, tmp_path_factory):
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    assert shallow.stdout.strip() == "false", "the fidelity tests read this repository's history: run `git fetch --unshallow`"
    out = tmp_path_factory.mktemp(f"real-{request.param}")
    result = run_build("--content", str(ROOT / "content"), "--out", str(out), "--as-at", request.param)
    assert result.returncode == 0, result.stderr
    return request.param, docx.Document(str(out / f"report-{request.param}.docx"))


def _actual_rows(document) -> list[dict]:
    rows = []
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[0] != "Ref.":
            continue
        for row in table.rows[1:]:
            cells = dict(zip(header, row.cells))
            status = cells["Current Status"].paragraphs
            texts = [p.text for p in status]
            bullets = sum(1 for p in status if p.style.name.startswith("List Bullet") or _NUMBERED.match(p.text))
            lifecycle = ""
            if texts and re.match(r"^Actions? [0-9.,& ]+ now (merged|superseded|deleted)", texts[0]):
                lifecycle = texts[0]
            elif texts and texts[-1].startswith("(Ongoing - links to Action"):
                lifecycle = texts[-1]
            # The seeds' cells hold the word alone; the build adds the direction of travel and an
            # 'Overdue' flag on later lines (compared with the last report, not in the seeds).
            rows.append({
                "ref": cells["Ref."].text,
                "due": cells["Due Date"].paragraphs[0].text,
                # Initials keep their inner space unbroken (a no-break space); a reader sees a space.
                "sponsor": cells["Sponsor"].text.replace("\u00a0", " "),
                "lead": cells["Lead Officer"].text.replace("\u00a0", " "),
                "rag": next((p.text for p in cells["R/A/G"].paragraphs[:1] if p.text in RAG_WORDS), ""),
                "lifecycle": lifecycle,
                "bullets": str(bullets),
            })
    return rows


def test_every_action_row_matches_the_hand_checked_table(built):
    date, document = built
    expected = _expected(date)
    actual = _actual_rows(document)
    assert [r["ref"] for r in actual] == [r["ref"] for r in expected], f"{date}: rows differ in number or order"
    mismatches = []
    for want, got in zip(expected, actual):
        for column in ("due", "sponsor", "lead", "rag", "lifecycle", "bullets"):
            if want[column] != got[column]:
                mismatches.append(f"{date} action {want['ref']} {column}: expected {want[column]!r}, built {got[column]!r}")
    assert not mismatches, "\n".join(mismatches)


def test_plan_has_nine_areas_and_67_actions(built):
    _date, document = built
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Ref."]
    assert len(tables) == 9
    assert sum(len(t.rows) - 1 for t in tables) == 67


def test_history_has_the_three_dated_source_commits():
    log = subprocess.run(
        ["git", "log", "--reverse", "--format=%ad|%cd|%s", "--date=short", "--", "content/"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    dated = [line for line in log if line.split("|")[0] in ("2017-03-24", "2017-11-07", "2018-04-11")]
    assert [line.split("|")[0] for line in dated[:3]] == ["2017-03-24", "2017-11-07", "2018-04-11"]
    for line in dated[:3]:
        author_date, committer_date, _subject = line.split("|", 2)
        assert author_date == committer_date
