""".github/CODEOWNERS generated from the content, and --check saying when it is stale."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import FIXTURES, ROOT, GitRepo, run_build, run_script

SCRIPT = ROOT / "scripts" / "codeowners.py"
PEOPLE = "content/people.yaml"


def _codeowners(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return run_script(SCRIPT, *args, cwd=repo.root)


def _with_handles(repo: GitRepo) -> None:
    people = repo.root / PEOPLE
    text = people.read_text(encoding="utf-8")
    text = text.replace("  - initials: SM\n", "  - initials: SM\n    github: sarah-m\n")
    text = text.replace("  - initials: CH\n", "  - initials: CH\n    github: '@ChrisH'\n")
    people.write_text(text, encoding="utf-8")


def test_generated_file_names_each_areas_sponsors_and_leads(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    _with_handles(repo)
    result = _codeowners(repo)
    assert result.returncode == 0, result.stderr
    lines = (repo.root / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Generated from the content by `delivery-report codeowners`")
    # Area 1: 1.3 sponsor SM, lead CH; 1.4 lead "CH, SM". Area 2: sponsor PCC (no handle), lead SM.
    assert "/content/business_areas/01-communications/ @ChrisH @sarah-m" in lines
    assert "/content/business_areas/02-partnerships/ @sarah-m" in lines
    assert _codeowners(repo, "--check").returncode == 0
    assert "already up to date" in _codeowners(repo).stdout


def test_check_reports_a_stale_file_at_its_line(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    _with_handles(repo)
    assert _codeowners(repo).returncode == 0
    assert run_build("--check", cwd=repo.root).returncode == 0
    # SM hands 2.1 over to CH: the review request for area 2 must follow.
    action = repo.root / "content/business_areas/02-partnerships/2.1.md"
    action.write_text(action.read_text(encoding="utf-8").replace("lead: SM", "lead: CH"), encoding="utf-8")
    check = run_build("--check", cwd=repo.root)
    assert check.returncode == 1
    assert (".github/CODEOWNERS:5: out of date with people.yaml and the actions' sponsors and leads; "
            "update it with 'delivery-report codeowners' and commit it") in check.stderr
    stale = _codeowners(repo, "--check")
    assert stale.returncode == 1 and ".github/CODEOWNERS:5: out of date" in stale.stderr
    assert _codeowners(repo).returncode == 0
    assert run_build("--check", cwd=repo.root).returncode == 0
    assert "/content/business_areas/02-partnerships/ @ChrisH" in (repo.root / ".github/CODEOWNERS").read_text(
        encoding="utf-8")


def test_no_handles_and_no_file_needs_nothing_but_a_handle_needs_the_file(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    assert run_build("--check", cwd=repo.root).returncode == 0
    _with_handles(repo)
    check = run_build("--check", cwd=repo.root)
    assert check.returncode == 1
    assert ".github/CODEOWNERS:1: the file is missing but people.yaml names GitHub users" in check.stderr


def test_content_in_a_subfolder_gets_paths_from_the_repository_root(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "plan" / "content")
    people = repo.root / "plan" / PEOPLE
    people.write_text(people.read_text(encoding="utf-8").replace("  - initials: PCC\n", "  - initials: PCC\n    github: pcc\n"),
                      encoding="utf-8")
    repo.commit_all("Plan", "2017-03-24T12:00:00+00:00")
    result = run_script(SCRIPT, "--content", "plan/content", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "/plan/content/business_areas/02-partnerships/ @pcc" in (repo.root / ".github/CODEOWNERS").read_text(
        encoding="utf-8")


def test_shipped_codeowners_is_up_to_date() -> None:
    result = run_script(SCRIPT, "--check", cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_other_lines_and_other_plans_are_kept(repo_with_content: GitRepo) -> None:
    """A repository holding two plans (or owners of other files) keeps every line that is not this plan's."""
    repo = repo_with_content
    _with_handles(repo)
    shutil.copytree(repo.root / "content", repo.root / "second" / "content")
    people = repo.root / "second" / PEOPLE
    people.write_text(people.read_text(encoding="utf-8").replace("sarah-m", "other-sm"), encoding="utf-8")
    codeowners = repo.root / ".github" / "CODEOWNERS"
    codeowners.parent.mkdir()
    codeowners.write_text("# Developers own the tooling.\n/scripts/ @dev-team\n", encoding="utf-8")
    assert _codeowners(repo).returncode == 0
    assert _codeowners(repo, "--content", "second/content").returncode == 0
    lines = codeowners.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# Developers own the tooling.", "/scripts/ @dev-team"]
    assert "/content/business_areas/02-partnerships/ @sarah-m" in lines
    assert "/second/content/business_areas/02-partnerships/ @other-sm" in lines
    # Each plan's check looks only at its own lines.
    assert run_build("--check", cwd=repo.root).returncode == 0
    assert run_build("--check", "--content", "second/content", cwd=repo.root).returncode == 0
    # Regenerating one plan leaves the other plan's lines where they were.
    assert _codeowners(repo).stdout.startswith(".github/CODEOWNERS is already up to date")
    assert codeowners.read_text(encoding="utf-8").splitlines() == lines
