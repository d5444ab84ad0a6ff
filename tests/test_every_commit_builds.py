"""Old content still builds: every commit of the shipped content's history is read, checked and rendered."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT

from delivery_report.history import ContentHistory
from delivery_report.model import Snapshot
from delivery_report.pipeline import render_outputs
from delivery_report.reading import plan_from_files
from delivery_report.sources import LONDON

CONTENT_COMMITS = subprocess.run(
    ["git", "rev-list", "--first-parent", "HEAD", "--", "content"],
    cwd=ROOT, capture_output=True, text=True, check=True,
).stdout.split()


@pytest.fixture(scope="module")
def history() -> ContentHistory:
    """The shipped content's history, read once for every commit."""
    return ContentHistory.read(ROOT / "content", tip="HEAD")


def test_the_history_is_there():
    # The real plan has at least its three dated snapshots; a shallow clone would hide them.
    assert len(CONTENT_COMMITS) >= 3


@pytest.mark.parametrize("sha", CONTENT_COMMITS, ids=[sha[:12] for sha in CONTENT_COMMITS])
def test_every_commit_of_the_content_builds(history: ContentHistory, sha: str):
    commit = next(c for c in history.commits if c.sha == sha)
    day = commit.committed_at.astimezone(LONDON).date()
    files = history.files_at(sha)
    plan = plan_from_files(files, "content", Snapshot(as_at=day, commit=sha, committed_at=commit.committed_at))
    outputs = render_outputs(plan)
    assert set(outputs) == {f"report-{day.isoformat()}.docx", f"report-{day.isoformat()}.html"}
    assert all(outputs.values())
    assert plan.actions
