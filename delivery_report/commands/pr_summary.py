"""Print, as Markdown, what a pull request changes in the public report (the workflow's job summary).

    delivery-report pr-summary --base origin/main [--head HEAD] [--content content] >> "$GITHUB_STEP_SUMMARY"

Without --head, the working tree is the head. Exit 0 when the summary was written (even if the head has
content problems: the summary then lists them, and the check step fails the run); 2 when a ref cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..issues import BuildError, ContentErrors, Issue
from ..model import Plan, Snapshot
from ..prsummary import problems_markdown, summary_markdown
from ..reading import plan_from_files
from ..sources import LONDON, WorkingTree, read_content_at


def _plan(files: dict[str, bytes], display_root: str, snapshot: Snapshot) -> tuple[Plan | None, list[Issue]]:
    """The plan of one version, or the problems that stop it being built."""
    try:
        return plan_from_files(files, display_root, snapshot), []
    except ContentErrors as errors:
        return None, errors.issues


def _version(content: Path, display_root: str, ref: str | None) -> tuple[dict[str, bytes], Snapshot, str]:
    """The files, snapshot and a label of one side: a commit named by `ref`, or the working tree."""
    if ref is None:
        today = dt.datetime.now(LONDON).date()
        return WorkingTree(content, display_root).read_all(), Snapshot(as_at=today, draft=True), "the working tree"
    files, commit = read_content_at(content, display_root, ref)
    snapshot = Snapshot(as_at=commit.committed_at.astimezone(LONDON).date(), commit=commit.sha,
                        committed_at=commit.committed_at)
    # A commit id names itself; a branch or HEAD is shown with the commit it stood at.
    label = commit.sha[:12] if commit.sha.startswith(ref.lower()) else f"{ref} ({commit.sha[:12]})"
    return files, snapshot, label


def main(argv: list[str] | None = None, prog: str = "delivery-report pr-summary") -> int:
    """Print the job summary for the change from --base to --head; return the exit code."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--base", required=True, metavar="REF", help="the pull request's base, e.g. origin/main")
    parser.add_argument("--head", metavar="REF", help="the pull request's head (default: the working tree)")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--push", action="store_true", help="word it for a push to main rather than a pull request")
    parser.add_argument("--artifact", default="report-preview", metavar="NAME",
                        help="the name of the run's artifact holding the report (default: report-preview)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    content = Path(args.content)
    display_root = content.as_posix().rstrip("/")
    try:
        base_files, base_snapshot, base_label = _version(content, display_root, args.base)
        head_files, head_snapshot, head_label = _version(content, display_root, args.head)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    head, head_problems = _plan(head_files, display_root, head_snapshot)
    if head is None:
        print(problems_markdown(head_problems, "pull request's content"), end="")
        return 0
    base, base_problems = _plan(base_files, display_root, base_snapshot)
    if base is None:
        print(problems_markdown(base_problems, f"base ({base_label}), so the changes cannot be listed"), end="")
        return 0
    subject = "This push" if args.push else "This pull request"
    print(summary_markdown(base, head, base_label, head_label, subject, args.artifact), end="")
    return 0

