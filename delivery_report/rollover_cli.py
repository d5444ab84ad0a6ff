"""The year end's command: `delivery-report new-year 2018/19` (scripts/new_year.py is a shim of it).

Prepares one pull request in the working tree and commits nothing: `--step close` (the first: each
unfinished action carried forward to its ref in the new plan), then, once that is merged, `--step open` (the
new plan). Without --step it takes the next one. The edits are worked out by rollover.py, read back by the
build's own reader and checked before anything is written; then every file is written at once through
writing.write_files and the files left behind are removed. docs/governance-cycle.md, "3. The year end".

Exit codes as the build's: 0 prepared (or nothing to do), 1 content problems (every one listed, nothing
written), 2 cannot run as asked (a wrong year, uncommitted changes, not a git repository, a link in the way).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .issues import BuildError, ContentErrors, Issue, printable, problems_report, shown
from .model import Plan, Snapshot
from .reading import plan_from_files
from .rollover import CLOSE, STEPS, YearEndEdits, applied, close_year, open_year, result_problems, year_problem
from .sources import LONDON, open_source
from .writing import refuse_unsafe_path, write_files

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _year_argument(text: str) -> str:
    problem = year_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def parse_args(argv: list[str], prog: str = "delivery-report new-year") -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="The year end: prepare, in the working tree, the pull request that closes the plan year "
                    "(--step close: every unfinished action carried forward to its ref in the new plan) or the "
                    "one that opens the next (--step open: the content becomes the new plan). Commits nothing.",
    )
    parser.add_argument("year", type=_year_argument, metavar="YYYY/YY",
                        help="the new plan year, the one after plan.md's period (e.g. 2018/19)")
    parser.add_argument("--step", choices=STEPS,
                        help="close (first) or open (once the closing pull request is merged); "
                             "default: the next one to do")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--dry-run", action="store_true", help="say what would change, and change nothing")
    return parser.parse_args(argv)


def _read(content: Path, display_root: str) -> tuple[Plan, dict[str, bytes], Snapshot]:
    """The working tree's plan and files; a BuildError unless the folder is committed as it is."""
    opened = open_source(content, display_root, None)
    if opened.commit is None:
        raise BuildError(f"{display_root}: not in a git repository with a commit; the year end keeps the old plan in "
                         "git history, so commit the content first")
    if opened.draft:
        raise BuildError(f"{display_root} has changes that are not committed; commit them (or set them aside with "
                         "'git stash') first: each step of the year end is a pull request of its own")
    files = opened.source.read_all()
    today = dt.datetime.now(LONDON).date()
    snapshot = Snapshot(as_at=today, commit=opened.commit.sha, committed_at=opened.commit.committed_at)
    return plan_from_files(files, display_root, snapshot), files, snapshot


def _edits(plan: Plan, files: dict[str, bytes], year: str, step: str | None, display_root: str) -> YearEndEdits:
    """The step asked for, or without one the closing step unless it has nothing left to do."""
    if step in (None, CLOSE):
        closing = close_year(plan, files, year, display_root)
        if step == CLOSE or not closing.empty:
            return closing
    return open_year(plan, files, year, display_root)


def _checked(edits: YearEndEdits, files: dict[str, bytes], display_root: str, snapshot: Snapshot,
             warnings: list[Issue]) -> None:
    """Read the edited content back with the build's reader: content problems or a broken promise stop it."""
    new_files = applied(files, edits)
    try:
        new_plan = plan_from_files(new_files, display_root, snapshot, warnings=warnings)
    except ContentErrors as errors:
        raise ContentErrors([Issue(issue.path, issue.line, f"after the year end's edits: {issue.message}",
                                   issue.severity) for issue in errors.issues]) from None
    problems = result_problems(new_plan, edits)
    if problems:
        raise BuildError("the year end's edits would not do what they should: " + "; ".join(problems)
                         + "; nothing was changed")


def _write(content: Path, edits: YearEndEdits) -> None:
    """Write the step's files all at once, then remove the ones left behind (checked first: never through a link)."""
    removals = [refuse_unsafe_path(content, rel) for rel in edits.removals]
    if edits.writes:
        write_files(content, dict(edits.writes), "the year end's edits")
    for path in removals:
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise BuildError(f"{path}: cannot be removed ({exc.strerror}); the other files are written: remove it "
                             "by hand before committing") from None


def _report(edits: YearEndEdits, display_root: str, dry_run: bool, warnings: list[Issue]) -> None:
    """Say what the step changed (or would change) and what the office does next."""
    will = "would be " if dry_run else ""
    if edits.step == CLOSE:
        print(f"Closing the plan year: {len(edits.carried)} unfinished action(s) {will}carried forward to "
              f"{edits.year}.")
        for item in edits.carried:
            print(f"  {item.old_ref} -> {item.new_ref} in {edits.year}")
    else:
        print(f"Opening {edits.year}: {len(edits.carried)} action(s) {will}carried forward from the old plan, "
              f"{len(edits.left_behind)} completed, superseded or deleted action file(s) {will}removed (they stay in "
              "git history).")
        for item in edits.carried:
            print(f"  {item.new_ref} (was {item.old_ref})")
    for path in sorted(edits.writes):
        print(f"would write {printable(f'{display_root}/{path}')}" if dry_run else
              f"wrote {printable(f'{display_root}/{path}')}")
    for rel in edits.removals:
        print(f"would remove {printable(f'{display_root}/{rel}')}" if dry_run else
              f"removed {printable(f'{display_root}/{rel}')}")
    for note in edits.notes:
        print(f"to do: {printable(note)}")
    for issue in warnings:  # as the build prints them
        print(shown(issue))
    if dry_run:
        return
    if edits.step == CLOSE:
        print(f"Next: commit these changes on a branch and open a pull request 'Close the plan year: carry forward "
              f"to {edits.year}'. Once it is merged, run 'delivery-report new-year {edits.year} --step open' on a "
              "new branch.")
    else:
        print(f"Next: check the to-do lines above, commit on a branch and open a pull request 'Open the {edits.year} "
              "plan'. Reports as at any day before it is merged still build the old plan from history.")


def main(argv: list[str] | None = None, prog: str = "delivery-report new-year") -> int:
    """Prepare one step of the year end in the working tree; return the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv, prog)
    content = Path(args.content)
    display_root = content.as_posix().rstrip("/") or "."
    warnings: list[Issue] = []
    try:
        plan, files, snapshot = _read(content, display_root)
        edits = _edits(plan, files, args.year, args.step, display_root)
        if edits.empty:
            print(f"Nothing to {edits.step}: " + (
                f"every unfinished action is carried forward already; run 'delivery-report new-year {args.year} "
                "--step open' next." if edits.step == CLOSE else "the content is already the new plan."))
            return EXIT_OK
        _checked(edits, files, display_root, snapshot, warnings)
        if not args.dry_run:
            _write(content, edits)
    except ContentErrors as errors:
        print(problems_report(errors.issues, "nothing was changed"), file=sys.stderr)
        return EXIT_CONTENT
    except BuildError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    _report(edits, display_root, args.dry_run, warnings)
    return EXIT_OK
