"""Many versions of the content from git: one log stream, few processes, UK days, records from the tip of main."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, GitRepo

from delivery_report import sources
from delivery_report.history import ContentHistory, plan_from_history, summary_since
from delivery_report.issues import BuildError
from delivery_report.layout.wording import change_values
from delivery_report.model import Plan

A21 = "content/business_areas/02-partnerships/2.1.md"
A110 = "content/business_areas/01-communications/1.10.md"
A22 = "content/business_areas/02-partnerships/2.2.md"


def set_field(repo: GitRepo, rel: str, key: str, value: str) -> None:
    """Set (or add) one front-matter field of a content file."""
    path = repo.root / rel
    _, head, body = path.read_text().split("---\n", 2)
    lines = [line for line in head.splitlines() if not line.startswith(f"{key}:")]
    lines.append(f"{key}: {value}")
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body)


def set_body(repo: GitRepo, rel: str, body: str) -> None:
    """Replace the Markdown body of a content file."""
    path = repo.root / rel
    _, head, _ = path.read_text().split("---\n", 2)
    path.write_text("---\n" + head + "---\n" + body)


def known_history(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    """A repository with a known history; returns it and the commits by name.

    approved  2017-03-24 12:00 GMT  the fixture content
    november  2017-11-07 23:30 GMT  2.1 red -> amber with a new status; restricted 2.2 changed too
    late      2017-11-08 00:30 GMT  1.10 due moved 2018-03 -> 2018-06 (belongs to 8 November)
    april     2018-04-10 09:00 BST  2.1 amber -> complete
    record    2018-05-01 10:00 BST  reports/2017-11-07.yaml, committed after the April report
    """
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    shas = {"approved": repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")}
    set_field(repo, A21, "rag", "amber")
    set_body(repo, A21, "- A new referral option has been agreed with TVP\n")
    set_body(repo, A22, "- SECRET-PART-2-TEXT changed in November\n")
    shas["november"] = repo.commit_all("November statuses", "2017-11-07T23:30:00+00:00")
    set_field(repo, A110, "due", "2018-06")
    shas["late"] = repo.commit_all("1.10 slips to June", "2017-11-08T00:30:00+00:00")
    set_field(repo, A21, "rag", "complete")
    shas["april"] = repo.commit_all("April statuses", "2018-04-10T09:00:00+01:00")
    repo.write("content/reports/2017-11-07.yaml", "as_at: 2017-11-07\nmeeting: Police and Crime Panel\n")
    shas["record"] = repo.commit_all("Record the November report", "2018-05-01T10:00:00+01:00")
    return repo, shas


def as_at_plan(history: ContentHistory, day: dt.date) -> Plan:
    """The plan as at a day, read through history (the same assemble path as a build)."""
    commit = history.commit_as_at(day)
    assert commit is not None
    return plan_from_history(history, commit, day)


def test_one_log_stream_lists_every_first_parent_commit_with_its_changes(tmp_path):
    repo, shas = known_history(tmp_path)
    history = ContentHistory.read(repo.root / "content")
    assert [c.sha for c in history.commits] == list(shas.values())
    november = history.commits[1]
    assert november.subject == "November statuses" and november.author == "Test Officer"
    assert sorted(ch.path for ch in november.changes) == [
        "business_areas/02-partnerships/2.1.md", "business_areas/02-partnerships/2.2.md"]
    assert all(ch.old_blob and ch.new_blob for ch in november.changes)
    first = history.commits[0]
    assert all(ch.old_blob is None for ch in first.changes)


def test_files_at_a_commit_equal_the_committed_tree(tmp_path):
    repo, shas = known_history(tmp_path)
    history = ContentHistory.read(repo.root / "content")
    files = history.files_at(shas["late"])
    repo.git("checkout", "-q", shas["late"])
    on_disk = {p.relative_to(repo.root / "content").as_posix(): p.read_bytes()
               for p in sorted((repo.root / "content").rglob("*")) if p.is_file()}
    assert files == on_disk


def test_a_commit_at_23_30_bst_belongs_to_its_own_day(tmp_path):
    repo, shas = known_history(tmp_path)
    history = ContentHistory.read(repo.root / "content")
    commit = history.commit_as_at(dt.date(2017, 11, 7))
    assert commit is not None and commit.sha == shas["november"]
    assert history.commit_as_at(dt.date(2017, 11, 8)).sha == shas["late"]  # type: ignore[union-attr]
    assert history.commit_as_at(dt.date(2017, 3, 23)) is None
    summary = summary_since(history, as_at_plan(history, dt.date(2018, 4, 11)), dt.date(2017, 11, 7))
    assert summary is not None and summary.since_commit == shas["november"]
    assert summary.since_record is not None and summary.since_record.as_at == dt.date(2017, 11, 7)
    assert summary.previous_rag["2.1"] == "amber"     # the 23:30 change counts as 7 November
    assert [(i.ref, *change_values(i, summary.ratings)) for i in summary.of_kind("due_moved")] == [("1.10", "Mar 2018", "Jun 2018")]


def test_summer_time_days_are_uk_days(tmp_path):
    repo, _ = known_history(tmp_path)
    set_body(repo, A21, "- late on the 14th\n")
    late = repo.commit_all("23:30 BST", "2018-06-14T23:30:00+01:00")
    set_body(repo, A21, "- just after midnight\n")
    after_midnight = repo.commit_all("00:30 BST", "2018-06-15T00:30:00+01:00")  # 23:30 on the 14th in UTC
    history = ContentHistory.read(repo.root / "content")
    assert history.commit_as_at(dt.date(2018, 6, 14)).sha == late  # type: ignore[union-attr]
    assert history.commit_as_at(dt.date(2018, 6, 15)).sha == after_midnight  # type: ignore[union-attr]
    assert history.commits[-1].committed_at == dt.datetime(2018, 6, 14, 23, 30, tzinfo=dt.timezone.utc)


def test_since_defaults_to_the_latest_record_read_from_the_tip_of_main(tmp_path):
    repo, _ = known_history(tmp_path)
    history = ContentHistory.read(repo.root / "content")
    # The record was committed on 1 May, after the April report's as-at commit: still found.
    summary = summary_since(history, as_at_plan(history, dt.date(2018, 4, 11)), None)
    assert summary is not None
    assert summary.since == dt.date(2017, 11, 7) and summary.since_record is not None
    assert summary.since_record.meeting == "Police and Crime Panel"
    assert [(i.kind, i.ref) for i in summary.items] == [("completed", "2.1"), ("due_moved", "1.10")]
    # No record before the as-at date and no --since: nothing to compare with.
    assert summary_since(history, as_at_plan(history, dt.date(2017, 11, 7)), None) is None


def test_since_must_be_before_the_report_and_after_the_first_commit(tmp_path):
    repo, _ = known_history(tmp_path)
    history = ContentHistory.read(repo.root / "content")
    april = as_at_plan(history, dt.date(2018, 4, 11))
    with pytest.raises(BuildError, match="not before the report's date"):
        summary_since(history, april, dt.date(2018, 4, 11))
    with pytest.raises(BuildError, match="nothing was committed by the end of 2016-01-01"):
        summary_since(history, april, dt.date(2016, 1, 1))


def test_a_merged_pull_request_counts_as_its_merge_commit(tmp_path):
    repo, _ = known_history(tmp_path)
    repo.git("checkout", "-q", "-b", "officer-edit")
    set_field(repo, A110, "rag", "red")
    repo.commit_all("Officer's edit on a branch", "2018-06-01T09:00:00+01:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7", "officer-edit", date="2018-06-02T09:00:00+01:00")
    history = ContentHistory.read(repo.root / "content")
    last = history.commits[-1]
    assert last.subject == "Merge pull request #7"
    assert [ch.path for ch in last.changes] == ["business_areas/01-communications/1.10.md"]
    assert "Officer's edit on a branch" not in [c.subject for c in history.commits]


def count_git(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Record every git process the package starts."""
    calls: list[tuple[str, ...]] = []
    real = sources._run_git

    def counting(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
        calls.append(args)
        return real(cwd, *args, input=input)

    monkeypatch.setattr(sources, "_run_git", counting)
    return calls


def test_a_constant_number_of_git_processes_whatever_the_history_length(tmp_path, monkeypatch):
    from delivery_report.pipeline import audit_outputs

    repo, _ = known_history(tmp_path)
    for n in range(30):
        set_body(repo, A21, f"- update number {n}\n")
        repo.commit_all(f"update {n}", f"2018-06-{n // 2 + 1:02d}T{9 + n % 2:02d}:00:00+01:00")
    calls = count_git(monkeypatch)
    history = ContentHistory.read(repo.root / "content")
    after = as_at_plan(history, dt.date(2018, 7, 1))
    summary = summary_since(history, after, None)
    audit_outputs(history, after, summary)
    # rev-parse (find), log, is-shallow (audit), and cat-file reads: records, as-at tree, since tree, audit blobs
    assert len(calls) <= 7, calls
    assert sum(1 for c in calls if c[0] == "log") == 1


def test_the_real_plan_as_at_april_2018_shows_what_changed_since_november():
    history = ContentHistory.read(ROOT / "content")
    april = as_at_plan(history, dt.date(2018, 4, 11))
    summary = summary_since(history, april, None)
    assert summary is not None and summary.since == dt.date(2017, 11, 7)
    november = as_at_plan(history, dt.date(2017, 11, 7)).public()
    completed_since = {a.ref for a in april.public().actions if a.rag == "complete"
                       and (november.action(a.ref) is None or november.action(a.ref).rag != "complete")}  # type: ignore[union-attr]
    assert completed_since and {i.ref for i in summary.of_kind("completed")} == completed_since
    assert ("4.1", "Dec 2017", "Mar 2018") in {(i.ref, *change_values(i, summary.ratings)) for i in summary.of_kind("due_moved")}
    assert summary.previous_rag["3.6"] == "amber" and april.action("3.6").rag == "complete"  # type: ignore[union-attr]


def test_a_shallow_clone_says_how_to_get_the_history(tmp_path):
    repo, _ = known_history(tmp_path)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    history = ContentHistory.read(clone / "content")
    after = as_at_plan(history, dt.date(2018, 6, 1))
    with pytest.raises(BuildError, match=r"shallow clone.*git fetch --unshallow"):
        summary_since(history, after, dt.date(2017, 11, 7))
