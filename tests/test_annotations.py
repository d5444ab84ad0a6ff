"""GitHub annotations: on GitHub Actions every problem --check prints is also a workflow command on its line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import BUILD_SCRIPT, FIXTURES, GitRepo

from delivery_report.commands.build import annotation, repository_path
from delivery_report.issues import Issue, warning


def _check(cwd: Path, content: str, github: bool) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run([sys.executable, str(BUILD_SCRIPT), "--check", "--content", content],
                          check=False, cwd=cwd, env=env, capture_output=True, text=True)


def _repo_with_plan_in_subfolder(tmp_path: Path) -> GitRepo:
    """A repository whose content folder is plan/content, with a bad rag on line 7 of 2.1.md."""
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "plan" / "content")
    repo.commit_all("Plan", "2017-03-24T12:00:00+00:00")
    action = repo.root / "plan" / "content" / "business_areas" / "02-partnerships" / "2.1.md"
    action.write_text(action.read_text(encoding="utf-8").replace("rag: red", "rag: scarlet"), encoding="utf-8")
    (repo.root / "elsewhere").mkdir()
    return repo


def test_error_is_annotated_with_the_path_from_the_repository_root(tmp_path: Path) -> None:
    repo = _repo_with_plan_in_subfolder(tmp_path)
    result = _check(repo.root / "elsewhere", "../plan/content", github=True)
    assert result.returncode == 1
    shown = "../plan/content/business_areas/02-partnerships/2.1.md:7: rag 'scarlet' is not one of"
    assert shown in result.stderr
    assert result.stdout.splitlines() == [
        ("::error file=plan/content/business_areas/02-partnerships/2.1.md,line=7::"
         "rag 'scarlet' is not one of this plan's ratings (red, amber, green, white, complete); write one of them, or leave 'rag' out when not assessed"),
    ]


def test_warning_is_annotated_as_a_warning_and_the_build_passes(tmp_path: Path) -> None:
    repo = _repo_with_plan_in_subfolder(tmp_path)
    action = repo.root / "plan" / "content" / "business_areas" / "02-partnerships" / "2.1.md"
    text = action.read_text(encoding="utf-8").replace("rag: scarlet", "rag: red")
    action.write_text(text + "- see Action 9.99\n", encoding="utf-8")
    result = _check(repo.root / "plan", "content", github=True)
    assert result.returncode == 0, result.stderr
    line = len(text.splitlines()) + 1
    assert any(out.startswith(f"::warning file=plan/content/business_areas/02-partnerships/2.1.md,line={line}::"
                              "the text names Action 9.99") for out in result.stdout.splitlines()), result.stdout


def test_ordinary_output_is_unchanged_off_github(tmp_path: Path) -> None:
    repo = _repo_with_plan_in_subfolder(tmp_path)
    on = _check(repo.root, "plan/content", github=True)
    off = _check(repo.root, "plan/content", github=False)
    assert on.stderr == off.stderr
    assert "::" not in off.stdout and off.stdout == ""
    assert on.stdout.startswith("::error file=plan/content/business_areas/02-partnerships/2.1.md,line=7::")


def test_message_and_file_are_escaped_as_github_requires() -> None:
    issue = Issue("content/a,b:c%.md", 3, "50% done\r\nnext: line")
    assert annotation(issue, issue.path) == (
        "::error file=content/a%2Cb%3Ac%25.md,line=3::50%25 done\\r\\nnext: line"
    )
    # Issue already turns line breaks into visible escapes; a raw one reaching annotation() is escaped too.
    raw = Issue.__new__(Issue)
    object.__setattr__(raw, "path", "p.md")
    object.__setattr__(raw, "line", 1)
    object.__setattr__(raw, "message", "a\nb\rc%")
    object.__setattr__(raw, "severity", "warning")
    assert annotation(raw, "p.md") == "::warning file=p.md,line=1::a%0Ab%0Dc%25"
    assert annotation(warning("x.md", 2, "w"), "x.md") == "::warning file=x.md,line=2::w"


def test_repository_path_for_each_way_of_naming_the_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    shown = "content/plan.md"
    assert repository_path(shown, root / "content", "content", root) == "content/plan.md"
    assert repository_path("plan.md", root, "", root) == "plan.md"
    assert repository_path("y/plan.md", root / "content", "x", root) == "y/plan.md"  # not under display root
    assert repository_path(shown, root / "content", "content", None) == "content/plan.md"
    outside = tmp_path / "other"
    outside.mkdir()
    assert repository_path("../other/plan.md", outside, "../other", root) == "../other/plan.md"
