"""Many versions of the content folder from git, cheaply: one `git log` stream and `git cat-file --batch` reads.

The change summary ('Changes since' and RAG arrows) and the audit trail are built from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from .changes import ChangeSummary, compare
from .issues import BuildError, ContentErrors
from .model import Plan, Snapshot
from .reading import plan_from_files
from .records import REPORTS_FOLDER, SignOffRecord, latest_before, load_records
from .sources import (
    LONDON,
    CommitLog,
    LoggedCommit,
    Repository,
    end_of_uk_day,
    log_content_history,
    read_blobs_once,
)

__all__ = ["ContentHistory", "NoEarlierVersion", "end_of_uk_day", "plan_from_history", "summary_since"]


def _visible(path: str) -> bool:
    """Hidden files and folders (.git*, .DS_Store) are not content, as for a build."""
    return not any(part.startswith(".") for part in path.split("/"))


class ContentHistory:
    """The history of main for the content folder (one `git log` stream), with blobs read on demand and kept."""

    def __init__(self, repo: Repository, log: CommitLog, display_root: str = "content"):
        self.repo = repo
        self.log = log
        self.commits = log.first_parent
        self.display_root = display_root
        self._blobs: dict[str, bytes] = {}
        self._index = {c.sha: n for n, c in enumerate(self.commits)}

    @classmethod
    def read(cls, content_dir: Path, display_root: str = "content", tip: str = "main") -> ContentHistory:
        """Read the history of the repository holding content_dir: one git log (plus finding the repository)."""
        repo = Repository.find(content_dir)
        return cls(repo, log_content_history(repo, tip), display_root)

    def index_of(self, sha: str) -> int | None:
        """Position of a commit in main's line (0 = oldest), or None when it is not on it."""
        return self._index.get(sha)

    def commit_as_at(self, day: dt.date) -> LoggedCommit | None:
        """The commit main stood at when `day` ended in London (sources.CommitLog.commit_as_at: the one rule)."""
        return self.log.commit_as_at(day)

    def trees(self, until: str | None = None) -> Iterator[tuple[LoggedCommit, dict[str, str]]]:
        """Each commit (oldest first, up to `until`) with the content tree after it: path -> blob.

        The same dict is updated and yielded each time; copy it to keep one.
        """
        tree: dict[str, str] = {}
        for commit in self.commits:
            for change in commit.changes:
                if change.new_blob is None:
                    tree.pop(change.path, None)
                elif _visible(change.path):
                    tree[change.path] = change.new_blob
            yield commit, tree
            if commit.sha == until:
                return

    def tree_at(self, sha: str) -> dict[str, str]:
        """The content tree (path -> blob) as committed in `sha`."""
        for commit, tree in self.trees(until=sha):
            if commit.sha == sha:
                return dict(tree)
        raise BuildError(f"commit {sha[:12]} is not on the first-parent history of main")

    def fetch(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Blob contents for `shas`; those not read before come from ONE `git cat-file --batch`."""
        wanted = set(shas)
        missing = [s for s in wanted if s not in self._blobs]
        self._blobs.update(read_blobs_once(self.repo, missing))
        return {s: self._blobs[s] for s in wanted}

    def files_at(self, sha: str, only: str | None = None) -> dict[str, bytes]:
        """Every content file as committed in `sha` (optionally only under folder `only`), path -> bytes."""
        tree = self.tree_at(sha)
        if only is not None:
            tree = {p: b for p, b in tree.items() if p.startswith(only.rstrip("/") + "/")}
        blobs = self.fetch(tree.values())
        return {path: blobs[blob] for path, blob in tree.items()}

    def records(self) -> list[SignOffRecord]:
        """The report records at the tip of main (not at the as-at commit: a record is often committed later)."""
        if not self.commits:
            return []
        files = self.files_at(self.commits[-1].sha, only=REPORTS_FOLDER)
        records, issues = load_records(files, self.display_root)
        if issues:
            raise ContentErrors(issues)
        return records


class NoEarlierVersion(BuildError):
    """There is no version of the content to compare with at the since-date (not committed yet, or unreadable)."""


def plan_from_history(history: ContentHistory, commit: LoggedCommit, day: dt.date) -> Plan:
    """The plan as committed in `commit`, read through the same path as a build (reading.plan_from_files)."""
    files = history.files_at(commit.sha)
    if not any(not p.startswith(f"{REPORTS_FOLDER}/") for p in files):
        raise NoEarlierVersion(f"{history.display_root}: the content folder did not exist yet on {day.isoformat()}; "
                               "choose a later date")
    snapshot = Snapshot(as_at=day, commit=commit.sha, committed_at=commit.committed_at)
    try:
        # Only the fields the comparison reads: the status texts of an earlier version are not shown. Nor is
        # anything else of it, so a template's placeholder it still held (an imported plan's first commit)
        # does not stop the comparison.
        return plan_from_files(files, history.display_root, snapshot, action_bodies=False, unfinished_allowed=True)
    except ContentErrors as errors:
        first = errors.issues[0] if errors.issues else ""
        raise NoEarlierVersion(
            f"the content as committed on {day.isoformat()} (commit {commit.sha[:12]}) has "
            f"{len(errors.issues)} problem(s), so there is nothing to compare with (first: {first}); "
            "choose another --since date"
        ) from None


def summary_since(
    history: ContentHistory, after: Plan, since: dt.date | None, public: bool = True
) -> ChangeSummary | None:
    """What changed between `since` (default: the latest report record before the as-at date) and `after`.

    None when there is no since-date: no --since and no earlier report record. With `public`, both
    plans are reduced to their public parts first, so nothing restricted is named.
    """
    as_at = after.snapshot.as_at
    records = history.records()
    # With --since, the record of a report issued on that day (if any) names it; without, the latest one.
    since_record = latest_before(records, as_at) if since is None else next((r for r in records if r.as_at == since), None)
    if since is None:
        if since_record is None:
            return None
        since = since_record.as_at
    if since >= as_at:
        raise BuildError(f"--since {since.isoformat()} is not before the report's date {as_at.isoformat()}; give an earlier date")
    commit = history.commit_as_at(since)
    if commit is None and history.repo.is_shallow():
        raise BuildError(
            f"{history.repo.root}: this is a shallow clone, so the history before its cut-off is missing and the "
            f"report cannot be compared with {since.isoformat()}; run `git fetch --unshallow` and build again"
        )
    if commit is None:
        first = history.commits[0].committed_at.astimezone(LONDON).date().isoformat() if history.commits else "none"
        raise NoEarlierVersion(f"nothing was committed by the end of {since.isoformat()} (the first commit is dated "
                               f"{first}); give a later --since date")
    before = plan_from_history(history, commit, since)
    last_signoff = latest_before(records, as_at, signed_only=True)
    if public:
        before, after = before.public(), after.public()
    return compare(before, after, since, as_at, commit.sha, last_signoff, since_record)
