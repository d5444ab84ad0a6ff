"""--as-at reads the content as committed on main at the end of the day, Europe/London time."""

from __future__ import annotations

import datetime as dt
import subprocess

import docx
import pytest

from conftest import GitRepo, run_build
from delivery_report.issues import BuildError
from delivery_report.sources import Repository

STATUS_FILE = "content/business_areas/02-partnerships/2.1.md"


def _status_cell(docx_path, ref: str) -> str:
    document = docx.Document(str(docx_path))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            if cells[0].text == ref:
                return cells[-2].text
    raise AssertionError(f"no row for {ref}")


def _set_status(repo: GitRepo, text: str) -> None:
    path = repo.root / STATUS_FILE
    head, _, _body = path.read_text().partition("\n---\n")
    path.write_text(f"{head}\n---\n- {text}\n")


def test_change_on_10_april_is_not_in_9_april(repo_with_content: GitRepo, tmp_path):
    _set_status(repo_with_content, "Status on ninth")
    repo_with_content.commit_all("9 April update", "2018-04-09T10:00:00+01:00")
    _set_status(repo_with_content, "Status on tenth")
    repo_with_content.commit_all("10 April update", "2018-04-10T09:00:00+01:00")

    out = tmp_path / "out"
    for day, expected in (("2018-04-09", "Status on ninth"), ("2018-04-10", "Status on tenth")):
        result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out), "--as-at", day)
        assert result.returncode == 0, result.stderr
        assert expected in _status_cell(out / f"report-{day}.docx", "2.1")


def test_commit_at_2330_bst_belongs_to_that_day(repo_with_content: GitRepo, tmp_path):
    _set_status(repo_with_content, "Late evening update")
    # 23:30 BST on 11 April is 22:30 UTC: still 11 April in London.
    repo_with_content.commit_all("late update", "2018-04-11T23:30:00+01:00")
    _set_status(repo_with_content, "Next morning update")
    # 00:30 BST on 12 April is 23:30 UTC on 11 April, but 12 April in London.
    repo_with_content.commit_all("next day", "2018-04-11T23:30:00+00:00")

    repo = Repository.find(repo_with_content.root / "content")
    commit = repo.commit_as_at(dt.date(2018, 4, 11))
    out = tmp_path / "out"
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out), "--as-at", "2018-04-11")
    assert result.returncode == 0, result.stderr
    assert "Late evening update" in _status_cell(out / "report-2018-04-11.docx", "2.1")
    assert commit.committed_at == dt.datetime(2018, 4, 11, 22, 30, tzinfo=dt.timezone.utc)


def test_working_tree_edits_do_not_leak_into_as_at_build(repo_with_content: GitRepo, tmp_path):
    _set_status(repo_with_content, "Uncommitted edit")
    out = tmp_path / "out"
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out), "--as-at", "2017-03-24")
    assert result.returncode == 0, result.stderr
    assert "Uncommitted edit" not in _status_cell(out / "report-2017-03-24.docx", "2.1")


def test_working_tree_build_is_marked_draft_when_uncommitted(repo_with_content: GitRepo, tmp_path):
    out = tmp_path / "out"
    clean = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out))
    assert clean.returncode == 0, clean.stderr
    assert "DRAFT" not in clean.stdout
    today_file = next(out.glob("report-*.html"))
    assert "DRAFT" not in today_file.read_text()

    _set_status(repo_with_content, "Uncommitted edit")
    dirty = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out))
    assert dirty.returncode == 0, dirty.stderr
    assert "DRAFT" in dirty.stdout
    assert "DRAFT" in today_file.read_text()
    assert "Uncommitted edit" in today_file.read_text()


def test_content_folder_deep_inside_a_repository(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    import shutil

    from conftest import FIXTURES

    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "offices" / "example" / "content")
    repo.commit_all("plan", "2017-05-01T12:00:00+01:00")
    out = tmp_path / "out"
    result = run_build("--content", str(repo.root / "offices" / "example" / "content"), "--out", str(out), "--as-at", "2017-05-02")
    assert result.returncode == 0, result.stderr
    assert (out / "report-2017-05-02.docx").exists()


def test_not_a_git_repository(content_copy, tmp_path):
    result = run_build("--content", str(content_copy), "--out", str(tmp_path / "out"), "--as-at", "2018-04-11")
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_nothing_committed_by_date_names_earliest(repo_with_content: GitRepo, tmp_path):
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(tmp_path / "out"), "--as-at", "2017-03-23")
    assert result.returncode == 2
    assert "nothing was committed by the end of 2017-03-23" in result.stderr
    assert "2017-03-24" in result.stderr
    assert "Traceback" not in result.stderr


def test_shallow_clone_says_how_to_fetch(repo_with_content: GitRepo, tmp_path):
    _set_status(repo_with_content, "second")
    repo_with_content.commit_all("second", "2018-01-01T12:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo_with_content.root}", str(clone)], check=True)
    result = run_build("--content", str(clone / "content"), "--out", str(tmp_path / "out"), "--as-at", "2018-01-02")
    assert result.returncode == 2
    assert "shallow clone" in result.stderr and "git fetch --unshallow" in result.stderr


@pytest.mark.parametrize("bad", ["2018-13-01", "11/04/2018", "yesterday"])
def test_invalid_date_is_a_usage_error(bad, tmp_path):
    result = run_build("--as-at", bad, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_repository_without_commits(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    (repo.root / "content").mkdir()
    with pytest.raises(BuildError, match="no commits yet"):
        Repository.find(repo.root / "content").commit_as_at(dt.date(2018, 1, 1))


def test_first_parent_history_ignores_merged_branch_dates(repo_with_content: GitRepo, tmp_path):
    """A branch commit dated earlier but merged later is not on main as at its own date."""
    root = repo_with_content
    root.git("checkout", "-q", "-b", "officer-edit")
    _set_status(root, "Edited on a branch")
    root.commit_all("branch edit", "2018-02-01T10:00:00+00:00")
    root.git("checkout", "-q", "main")
    root.git("merge", "-q", "--no-ff", "-m", "Merge pull request", "officer-edit", date="2018-02-05T10:00:00+00:00")
    out = tmp_path / "out"
    before = run_build("--content", str(root.root / "content"), "--out", str(out), "--as-at", "2018-02-03")
    assert before.returncode == 0, before.stderr
    assert "Edited on a branch" not in _status_cell(out / "report-2018-02-03.docx", "2.1")
    after = run_build("--content", str(root.root / "content"), "--out", str(out), "--as-at", "2018-02-05")
    assert after.returncode == 0, after.stderr
    assert "Edited on a branch" in _status_cell(out / "report-2018-02-05.docx", "2.1")
