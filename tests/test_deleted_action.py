"""Issue 18: deleting an action's file turns the check red, naming the ref and how to retire the action."""

from __future__ import annotations

from conftest import GitRepo, run_build

A23 = "content/business_areas/02-partnerships/2.1.md"


def test_a_deleted_action_file_is_an_error_naming_the_ref(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    (repo.root / A23).unlink()
    result = run_build("--check", "--content", str(repo.root / "content"), cwd=repo.root)
    assert result.returncode == 1, result.stderr
    # path:line with the content folder as given (--content), then what is wrong and how to fix it
    shown = f"{repo.root}/content/business_areas/02-partnerships/2.1.md"
    assert f"{shown}:1: action 2.1 has been deleted, but an action is never deleted" in result.stderr, result.stderr
    assert f"(git checkout main -- {shown})" in result.stderr
    assert "retire the action with 'status: deleted'" in result.stderr


def test_committed_on_a_branch_it_is_still_an_error_until_main_has_it(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    repo.git("checkout", "-q", "-b", "tidy-up")
    (repo.root / A23).unlink()
    repo.commit_all("Remove 2.1", "2017-04-01T10:00:00+01:00")
    result = run_build("--check", "--content", str(repo.root / "content"), cwd=repo.root)
    assert result.returncode == 1 and "action 2.1 has been deleted" in result.stderr, result.stderr


def test_retiring_an_action_passes(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    path = repo.root / A23
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nstatus: deleted\n", 1), encoding="utf-8")
    result = run_build("--check", "--content", str(repo.root / "content"), cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "has been deleted" not in result.stderr
