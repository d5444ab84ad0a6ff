"""One read of an action file serves the reading with its status text and the one without.

assemble.read_action_file keeps each reading by blob; reading a file with its status (as the as-at plan
does) also keeps what reading it without (as the since-date plan does) gives, taken from the same reading.
These tests check that what is kept is exactly what a reading without the status gives: on every version of
every action file in this repository's history, and on files whose status and fields have problems,
mentions and fences.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from delivery_report import assemble
from delivery_report.assemble import ActionFile, read_action_file

ROOT = Path(__file__).resolve().parents[1]


def _every_committed_action_file() -> list[tuple[str, bytes]]:
    """Every version of every action file in this repository's history: (its path, its bytes)."""
    listing = subprocess.run(["git", "rev-list", "--all", "--objects", "--", "content/business_areas"], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout.split("\n")
    wanted = [line.split(" ", 1) for line in listing if line.endswith(".md") and not line.endswith("_area.md")]
    batch = subprocess.run(["git", "cat-file", "--batch"], cwd=ROOT, check=True, capture_output=True,
                           input=("\n".join(sha for sha, _ in wanted) + "\n").encode()).stdout
    files, pos = [], 0
    for _, path in wanted:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        files.append((path, batch[header_end + 1 : header_end + 1 + size]))
        pos = header_end + 1 + size + 1
    return files


HANDMADE = {
    "fences, mentions and problems in the status": (
        '---\nref: "1.4"\naction: Work with Action 1.1 partners\npriorities: [1]\ndue: 2018-03\nsponsor: SM\n'
        "lead: CH\nrag: purple\nkey_aims: [\"1.4\"]\n---\n- Links to Action 1.2 and actions 6.1 & 6.2\n"
        "::: restricted\nAction 2.1 <b>raw</b> [x](file:///etc)\n:::\n:::: Restricted\n{rag_key}\nR/A/G: red\n"),
    "a fence in the action text as well": (
        '---\nref: "1.3"\naction: "::: restricted"\nrag: purple\nsponser: SM\n---\nA status naming Action 9.9\n'),
    "no status": '---\nref: "1.3"\naction: Deliver\nrag: amber\n---\n',
    "fields that cannot be read": '---\nref: "1.3\naction: x\n---\n- a status\n',
    "a status and broken fields": '---\nref: [1.3]\ndue: March\nsuperseded_by: ["2.1"]\n---\n- **a** status\n',
}


def _fresh(path: str, raw: bytes, bodies: bool) -> ActionFile:
    assemble.forget_readings()
    try:
        return read_action_file(path, raw, "1.3" if path.endswith("x.md") else Path(path).stem, 1, bodies)
    finally:
        assemble.forget_readings()


def _without_body_from_the_reading_with_it(path: str, raw: bytes) -> ActionFile:
    assemble.forget_readings()
    stem = "1.3" if path.endswith("x.md") else Path(path).stem
    try:
        read_action_file(path, raw, stem, 1, True)
        return read_action_file(path, raw, stem, 1, False)
    finally:
        assemble.forget_readings()


@pytest.mark.parametrize("name", sorted(HANDMADE))
def test_the_reading_without_the_status_is_the_reading_with_it_less_the_status(name: str) -> None:
    raw = HANDMADE[name].encode()
    with_body = _fresh("content/business_areas/01-a/x.md", raw, True)
    without = _fresh("content/business_areas/01-a/x.md", raw, False)
    assert _without_body_from_the_reading_with_it("content/business_areas/01-a/x.md", raw) == without
    if name == "fences, mentions and problems in the status":
        # The status's own findings are what the two readings differ by.
        assert with_body.fenced and not without.fenced
        assert len(with_body.mentions) > len(without.mentions) > 0
        assert len(with_body.issues) > len(without.issues) > 0
        assert without.action is not None and without.action.status == () and with_body.action is not None
        assert with_body.action.status != ()


def test_every_committed_action_file_reads_the_same_both_ways() -> None:
    files = _every_committed_action_file()
    assert len(files) > 100
    for path, raw in files:
        shown = f"content/{path.removeprefix('content/')}"
        area = int(Path(path).stem.split(".")[0])
        assemble.forget_readings()
        read_action_file(shown, raw, Path(path).stem, area, True)
        derived = read_action_file(shown, raw, Path(path).stem, area, False)
        assemble.forget_readings()
        assert derived == read_action_file(shown, raw, Path(path).stem, area, False), path
    assemble.forget_readings()


def test_the_reading_without_the_status_comes_from_the_one_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = HANDMADE["fences, mentions and problems in the status"].encode()
    assemble.forget_readings()
    read_action_file("content/business_areas/01-a/1.3.md", raw, "1.3", 1, True)

    def never(*_: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(assemble, "load_file", never)
    assert read_action_file("content/business_areas/01-a/1.3.md", raw, "1.3", 1, False).action is not None
    assemble.forget_readings()
