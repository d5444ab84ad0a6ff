"""Every content mistake is reported as path:line: what is wrong; how to fix, all at once, exit 1."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, run_build

CASES_FILE = FIXTURES / "content_errors.txt"


@dataclass
class Case:
    """One case of content_errors.txt, with the line it starts on."""

    name: str
    line: int
    files: dict
    deleted: list
    expected: list


def _cases() -> list[Case]:
    cases: list[Case] = []
    current = None
    block = None
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(">>> case: "):
            current = Case(line[10:].strip(), number, {}, [], [])
            cases.append(current)
            block = None
        elif current is None:
            continue
        elif line.startswith("=== "):
            block = line[4:].strip()
            if block.startswith("delete "):
                current.deleted.append(block[7:])
                block = None
            elif block != "expect":
                current.files[block] = []
        elif block == "expect":
            if line.strip():
                current.expected.append(line.strip())
        elif block is not None:
            current.files[block].append(line)
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[f"line{c.line}-{c.name}" for c in CASES])
def test_content_error_is_reported(case: Case, content_copy: Path, tmp_path: Path):
    for rel, lines in case.files.items():
        target = content_copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    for rel in case.deleted:
        (content_copy / rel).unlink()
    out = tmp_path / "out"
    where = f"{CASES_FILE.name}:{case.line} ({case.name})"
    # The check, as the pull-request workflow runs it; --strict: a case may expect a warning
    # ("path:line: warning: ..."), which then also fails the check.
    result = run_build("--check", "--strict", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1, f"{where}: expected exit 1, got {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr, where
    for expected in case.expected:
        assert any(line.startswith(expected) for line in result.stderr.splitlines()), (
            f"{where}: expected a line starting\n  {expected}\ngot:\n{result.stderr}"
        )
    # A build writes nothing either (a template's placeholder is a warning in a working-tree build, which
    # --strict makes stop it; without --strict it would be built, marked DRAFT: tests/test_officer_mistakes.py).
    built = run_build("--strict", "--content", "content", "--out", str(out), cwd=tmp_path)
    assert built.returncode == 1, f"{where}: the build exited {built.returncode}\n{built.stderr}"
    assert "Traceback" not in built.stderr, where
    assert not out.exists(), f"{where}: output was written despite errors"


def test_all_errors_reported_at_once(content_copy: Path, tmp_path: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text("---\nref: \"1.3\"\naction: x\nrag: blue\n---\n")
    (content_copy / "business_areas/02-partnerships/2.1.md").write_text("---\nref: \"2.1\"\naction: y\nlead: QQ\n---\n")
    result = run_build("--check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/") and ": warning: " not in line]
    assert len(lines) == 2, result.stderr
    assert "2 problems found; nothing was written" in result.stderr


def test_check_passes_and_writes_nothing(content_copy: Path, tmp_path: Path):
    result = run_build("--check", "--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 2 business areas, 7 actions")
    assert not (tmp_path / "out").exists()


def test_build_never_modifies_content(content_copy: Path, tmp_path: Path):
    before = {p: p.read_bytes() for p in content_copy.rglob("*") if p.is_file()}
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = {p: p.read_bytes() for p in content_copy.rglob("*") if p.is_file()}
    assert before == after


def test_failed_build_keeps_previous_outputs(content_copy: Path, tmp_path: Path):
    assert run_build("--content", "content", "--out", "out", cwd=tmp_path).returncode == 0
    previous = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    (content_copy / "business_areas/01-communications/1.3.md").write_text("---\nref: \"1.3\"\n---\n")
    assert run_build("--content", "content", "--out", "out", cwd=tmp_path).returncode == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == previous


def test_missing_content_folder_is_a_usage_error(tmp_path: Path):
    result = run_build("--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert "nowhere: no such folder" in result.stderr


def test_outputs_are_readable_like_any_new_file(content_copy: Path, tmp_path: Path):
    """Staging through mkstemp must not leave the report readable only by whoever built it."""
    assert run_build("--content", "content", "--out", "out", cwd=tmp_path).returncode == 0
    umask = os.umask(0o022)
    os.umask(umask)
    for output in (tmp_path / "out").iterdir():
        assert output.stat().st_mode & 0o777 == 0o666 & ~umask, output.name


def test_warnings_are_printed_and_the_report_is_built(content_copy: Path, tmp_path: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        "---\nref: \"1.3\"\naction: Promote the portal.\n---\n- see Action 9.99\n"
    )
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/business_areas/01-communications/1.3.md:5: warning: the text names Action 9.99") for line in lines)
    assert any(line.endswith("(--strict makes warnings stop the build).") for line in lines)
    assert len(list((tmp_path / "out").glob("report-*"))) == 2


def test_strict_turns_warnings_into_errors(content_copy: Path, tmp_path: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        "---\nref: \"1.3\"\naction: Promote the portal.\n---\n- see Action 9.99\n"
    )
    result = run_build("--strict", "--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/business_areas/01-communications/1.3.md:5: warning: the text names Action 9.99" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_real_plan_has_no_errors_and_only_overdue_warnings():
    from conftest import ROOT

    result = run_build("--check", "--as-at", "2018-04-11", "--content", str(ROOT / "content"))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings and all("has passed and the action is not complete" in line for line in warnings)
