"""The report's wording, checked against fixture files (as markdown-it-py's tests/test_port/fixtures are).

tests/fixtures/layout/report-<date>.txt hold a text dump (delivery_report/layout/dump.py) of the layout
tree of the real plan in content/, as the build lays it out at each date, changes since the last report
included. A test compares the dump with its fixture line by line and fails at the first lines that
differ, with the fixture line's number:

    tests/fixtures/layout/report-2018-04-11.txt:412: expected '...' got '...'

tests/fixtures/layout/wording.txt holds cases of the wording functions (layout/wording.py), one
`input → expected` line each; each is a test of its own, named by its line.

After a change of wording that is meant, regenerate the report fixtures and review their diff, which
shows each sentence that changed (the wording cases are written by hand):

    python tests/test_layout_fixtures.py            # rewrites tests/fixtures/layout/report-*.txt
    git diff tests/fixtures/layout/

No LibreOffice, Chromium or git repository of its own: these tests take about a second.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYOUT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "layout"
# The dates the real plan is reported at: the first report (no earlier one to compare with) and the latest.
DATES = (dt.date(2017, 11, 7), dt.date(2018, 4, 11))
# How many differing lines a failure lists: enough to see a changed sentence and what moved with it.
SHOWN_DIFFERENCES = 5


def report_dump(as_at: dt.date, out_dir: Path) -> str:
    """The dump of the public report the build lays out for the real plan as at `as_at`."""
    from delivery_report.layout import build_layout
    from delivery_report.layout.dump import dump_report
    from delivery_report.pipeline import BuildRequest, read_changes, read_plan

    request = BuildRequest(content_dir=ROOT / "content", out_dir=out_dir, as_at=as_at)
    plan = read_plan(request)
    _, changes = read_changes(request, plan)
    return dump_report(build_layout(plan.public(), changes))


def fixture_path(as_at: dt.date) -> Path:
    return LAYOUT_FIXTURES / f"report-{as_at.isoformat()}.txt"


def shown_path(path: Path) -> str:
    """The fixture's path as a reader types it: relative to the repository (a path elsewhere as it is)."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def differences(path: Path, expected: list[str], got: list[str], limit: int = SHOWN_DIFFERENCES) -> list[str]:
    """'path:LINE: expected ... got ...' for the first lines that differ, numbered as in the fixture.

    Lines are matched as difflib matches them, so an added or removed line is reported once, not as a
    difference at every line after it."""
    shown = shown_path(path)
    found: list[str] = []
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = expected[old_start:old_end], got[new_start:new_end]
        for offset in range(max(len(olds), len(news))):
            line = old_start + min(offset, max(len(olds) - 1, 0)) + 1
            if offset < len(olds) and offset < len(news):
                found.append(f"{shown}:{line}: expected {olds[offset]!r} got {news[offset]!r}")
            elif offset < len(olds):
                found.append(f"{shown}:{line}: expected {olds[offset]!r} got nothing (the line is gone)")
            else:
                # A line added after the fixture's line `old_start` (its last line when appended at the end).
                found.append(f"{shown}:{old_start if olds == [] else line}: got an added line {news[offset]!r}")
            if len(found) == limit:
                return found
    return found


def check_against_fixture(path: Path, got_text: str) -> None:
    """Fail with the fixture lines that differ from `got_text`, pointing at each by its number."""
    if not path.exists():
        pytest.fail(f"{shown_path(path)}: missing; write it with `python tests/test_layout_fixtures.py`",
                    pytrace=False)
    expected, got = path.read_text(encoding="utf-8").splitlines(), got_text.splitlines()
    found = differences(path, expected, got)
    if found:
        more = "" if len(found) < SHOWN_DIFFERENCES else "\n(the first differences only)"
        pytest.fail("\n".join(found) + more + "\nIf the new wording is meant, regenerate the fixtures with "
                    "`python tests/test_layout_fixtures.py` and review `git diff tests/fixtures/layout/`.",
                    pytrace=False)


@pytest.mark.parametrize("as_at", DATES, ids=[d.isoformat() for d in DATES])
def test_report_layout_matches_its_fixture(as_at: dt.date, tmp_path: Path) -> None:
    check_against_fixture(fixture_path(as_at), report_dump(as_at, tmp_path))


def test_the_dump_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    # A set's order changes with the interpreter's hash seed: a process with another seed than this one
    # (random, unless PYTHONHASHSEED fixes it) must write the same text, or the fixtures would fail on
    # some runs and not others.
    as_at = DATES[-1]
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    script = ("import datetime as dt, sys; from pathlib import Path; import test_layout_fixtures as t; "
              f"sys.stdout.write(t.report_dump(dt.date.fromisoformat('{as_at.isoformat()}'), Path(sys.argv[1])))")
    environment = {**os.environ, "PYTHONHASHSEED": seed,
                   "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent),
                                                  os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "other")], env=environment,
                            capture_output=True, text=True, encoding="utf-8", check=True)
    assert result.stdout == report_dump(as_at, tmp_path / "here")


def test_a_changed_sentence_is_reported_at_its_fixture_line(tmp_path: Path) -> None:
    # The failure message itself: the changed line by its number, an added and a removed line once each.
    path = tmp_path / "fixture.txt"
    path.write_text("a\nb\nc\nd\n", encoding="utf-8")
    message = differences(path, ["a", "b", "c", "d"], ["a", "B", "c", "d", "e"])
    where = path.as_posix()
    assert message == [f"{where}:2: expected 'b' got 'B'", f"{where}:4: got an added line 'e'"]
    assert differences(path, ["a", "b", "c"], ["a", "c"]) == [f"{where}:2: expected 'b' got nothing (the line is gone)"]


# --- the wording functions, one case a line --------------------------------------------------------------

WORDING_FIXTURE = LAYOUT_FIXTURES / "wording.txt"


def _wording_functions() -> dict[str, Callable[[str], str]]:
    """The wording functions the cases name, each taking the case's input as typed."""
    from delivery_report.changes import Direction, RagMovement
    from delivery_report.layout import wording
    from delivery_report.model import DEFAULT_SCALE, Action, Due

    def movement(text: str) -> str:
        # 'amber red worsened' -> the movement from amber to red, worsened.
        previous, current, direction = text.split()
        return wording.movement_words(RagMovement(previous, current, Direction(direction)), DEFAULT_SCALE)

    def movement_spoken(text: str) -> str:
        # 'worsened 2017-11-07'
        direction, since = text.split()
        return wording.movement_spoken(RagMovement("amber", "red", Direction(direction)),
                                       dt.date.fromisoformat(since))

    def due(text: str) -> str:
        # '2018-03' -> the month typed; any other word is kept as typed.
        year, _, month = text.partition("-")
        if year.isdigit() and month.isdigit():
            return wording.due_words(Due(text, int(year), int(month)))
        return wording.due_words(Due(text))

    def count(text: str) -> str:
        # '2 due-moved' -> a count of one kind of change.
        from delivery_report.changes import ChangeKind

        number, kind = text.split()
        return wording.count_words(int(number), ChangeKind(kind))

    return {
        "date_in_words": lambda text: wording.date_in_words(dt.date.fromisoformat(text)),
        "short_date": lambda text: wording.short_date(dt.date.fromisoformat(text)),
        "dotted_date": lambda text: wording.dotted_date(dt.date.fromisoformat(text)),
        "timestamp_words": lambda text: wording.timestamp_words(dt.datetime.fromisoformat(text)),
        "due_words": due,
        "number_in_words": lambda text: wording.number_in_words(int(text)),
        "signed": lambda text: wording.signed(float(text)),
        "join_words": lambda text: wording.join_words(text.split()),
        "count_words": count,
        "rag_word": lambda text: wording.rag_word(text, DEFAULT_SCALE),
        "movement_words": movement,
        "movement_spoken": movement_spoken,
        # '2017/18 4.2' -> an action carried forward from that year's plan and ref (as its field holds them).
        "carried_forward_from_wording": lambda text: wording.carried_forward_from_wording(
            Action("1.1", 1, (), carried_forward_from=text or None)),
    }


def read_wording_cases(path: Path) -> list[tuple[int, str, str, str]]:
    """(line number, function, input, expected) for each `function: input → expected` line; '#' starts a
    comment and blank lines are skipped."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, rest = line.partition(": ")
        given, arrow, expected = rest.partition(" → ")
        if not arrow:
            raise ValueError(f"{shown_path(path)}:{number}: write 'function: input → expected'")
        cases.append((number, name.strip(), given.strip(), expected.strip()))
    return cases


WORDING_CASES = read_wording_cases(WORDING_FIXTURE)


def test_every_wording_function_has_cases() -> None:
    # A function listed here with no case would be a test that checks nothing.
    assert {name for _, name, _, _ in WORDING_CASES} == set(_wording_functions())


@pytest.mark.parametrize(("line", "name", "given", "expected"), WORDING_CASES,
                         ids=[f"wording.txt:{case[0]}" for case in WORDING_CASES])
def test_wording(line: int, name: str, given: str, expected: str) -> None:
    functions = _wording_functions()
    assert name in functions, f"{shown_path(WORDING_FIXTURE)}:{line}: no wording function {name!r}"
    got = functions[name](given)
    if got != expected:
        pytest.fail(f"{shown_path(WORDING_FIXTURE)}:{line}: {name}({given}) expected {expected!r} got {got!r}",
                    pytrace=False)


def write_fixtures(out_dir: Path) -> None:
    """Rewrite the report fixtures from the current layout, and say which changed and by how many lines."""
    for as_at in DATES:
        path = fixture_path(as_at)
        text = report_dump(as_at, out_dir)
        old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        changed = sum(1 for line in difflib.ndiff(old, text.splitlines()) if line[:1] in "+-")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{shown_path(path)}: {len(text.splitlines())} lines, {changed} added or removed")


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(ROOT))  # the package of this checkout, before any installed one
    with tempfile.TemporaryDirectory() as scratch:
        write_fixtures(Path(scratch))
