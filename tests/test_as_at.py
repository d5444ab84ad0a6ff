"""--as-at reads the content as committed on main at the end of the day, Europe/London time."""

from __future__ import annotations

import datetime as dt
import subprocess

import docx
import pytest
from conftest import GitRepo, run_build

from delivery_report.issues import BuildError
from delivery_report.sources import Repository, commit_as_at

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

    commit, _ = commit_as_at(Repository.find(repo_with_content.root / "content"), dt.date(2018, 4, 11))
    out = tmp_path / "out"
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(out), "--as-at", "2018-04-11")
    assert result.returncode == 0, result.stderr
    assert "Late evening update" in _status_cell(out / "report-2018-04-11.docx", "2.1")
    assert commit.committed_at == dt.datetime(2018, 4, 11, 22, 30, tzinfo=dt.UTC)


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
        commit_as_at(Repository.find(repo.root / "content"), dt.date(2018, 1, 1))


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


# --- issue 8: what "as at" means, made safe -----------------------------------------------------------

def _build_as_at(repo: GitRepo, out, day: str, *extra: str) -> subprocess.CompletedProcess:
    result = run_build("--content", str(repo.root / "content"), "--out", str(out), "--as-at", day, *extra)
    assert "Traceback" not in result.stderr
    return result


def test_as_at_reads_main_not_the_checked_out_branch(repo_with_content: GitRepo, tmp_path):
    repo = repo_with_content
    repo.git("checkout", "-q", "-b", "unmerged")
    _set_status(repo, "Unmerged branch text")
    repo.commit_all("not merged", "2018-02-01T10:00:00+00:00")
    out = tmp_path / "out"
    on_main = _build_as_at(repo, out, "2018-02-02")
    assert on_main.returncode == 0, on_main.stderr
    assert "Unmerged branch text" not in _status_cell(out / "report-2018-02-02.docx", "2.1")
    on_branch = _build_as_at(repo, out, "2018-02-02", "--branch", "unmerged")
    assert on_branch.returncode == 0, on_branch.stderr
    assert "Unmerged branch text" in _status_cell(out / "report-2018-02-02.docx", "2.1")


def test_as_at_falls_back_to_origin_main_and_names_a_missing_branch(repo_with_content: GitRepo, tmp_path):
    result = _build_as_at(repo_with_content, tmp_path / "out", "2018-02-02", "--branch", "nowhere")
    assert result.returncode == 2
    assert "there is no branch 'nowhere' (nor origin/nowhere)" in result.stderr
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo_with_content.root), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", "--detach"], check=True)
    subprocess.run(["git", "-C", str(clone), "branch", "-q", "-D", "main"], check=True)
    result = run_build("--content", str(clone / "content"), "--out", str(tmp_path / "out2"), "--as-at", "2018-02-02")
    assert result.returncode == 0, result.stderr


def test_a_backdated_content_commit_is_a_history_problem_naming_it(repo_with_content: GitRepo, tmp_path):
    repo = repo_with_content
    _set_status(repo, "January work")
    repo.commit_all("January", "2018-01-15T10:00:00+00:00")
    _set_status(repo, "Backdated text")
    backdated = repo.commit_all("wrong clock", "2017-12-01T10:00:00+00:00")
    result = _build_as_at(repo, tmp_path / "out", "2017-12-20")
    assert result.returncode == 2, result.stderr
    assert f"commit {backdated[:12]} is dated 01 December 2017 10:00, before its parent" in result.stderr
    assert not (tmp_path / "out").exists()
    # Its true time is unknown, so no day can be told: a day after every date involved (the backdated commit
    # is the tip, dated before its parent) and a day before them both are refused too, naming the commit.
    for day in ("2018-01-16", "2017-06-01"):
        later = _build_as_at(repo, tmp_path / "out", day)
        assert later.returncode == 2 and f"commit {backdated[:12]}" in later.stderr, later.stderr
    # The as-at date and the tip of main are read from one log: the pull-request summary and the audit too.
    repo.git("commit", "-q", "--amend", "-m", "right clock", date="2018-01-16T09:00:00+00:00")
    assert _build_as_at(repo, tmp_path / "out", "2018-01-16").returncode == 0


def test_a_backdated_commit_that_does_not_touch_the_content_is_let_be(repo_with_content: GitRepo, tmp_path):
    repo = repo_with_content
    (repo.root / "README.md").write_text("notes\n")
    repo.commit_all("docs", "2018-01-15T10:00:00+00:00")
    (repo.root / "README.md").write_text("more notes\n")
    repo.commit_all("docs, wrong clock", "2017-12-01T10:00:00+00:00")
    assert _build_as_at(repo, tmp_path / "out", "2017-12-20").returncode == 0


def test_as_at_after_today_is_a_usage_error(repo_with_content: GitRepo, tmp_path):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    result = _build_as_at(repo_with_content, tmp_path / "out", tomorrow)
    assert result.returncode == 2
    assert f"--as-at {tomorrow} is after today" in result.stderr


@pytest.mark.parametrize("kind", ["untracked", "ignored", "deleted"])
def test_working_tree_is_draft_when_anything_differs_from_the_commit(kind, repo_with_content: GitRepo, tmp_path):
    repo = repo_with_content
    content = repo.root / "content"
    if kind == "ignored":
        (repo.root / ".gitignore").write_text("content/recommendations/02-*.md\n")
        repo.commit_all("ignore", "2017-03-25T12:00:00+00:00")
    if kind == "deleted":
        # A deleted file other than an action's (deleting an action's file is an error: test_deleted_action.py)
        (content / "kpis/domestic-violence.md").unlink()
    else:
        (content / "recommendations/02-extra.md").write_text("---\nnumber: 2\ntopic: Extra\n---\nText.\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "(DRAFT)" in result.stdout


def test_working_tree_draft_ignores_nothing_but_dot_files(repo_with_content: GitRepo, tmp_path):
    (repo_with_content.root / "content" / ".editor-backup").write_text("scratch")
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "DRAFT" not in result.stdout
