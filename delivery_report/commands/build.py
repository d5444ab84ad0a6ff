"""`delivery-report build` (the default command) and `delivery-report check`: the report pack, or the check alone.

`python scripts/build.py` is `delivery-report build`; `delivery-report check` is `build --check`. Exit codes:
0 built (or the content checks clean), 1 content problems (every one listed), 2 cannot run as asked.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from ..arguments import date_argument
from ..codeowners import CODEOWNERS_PATH, stale_codeowners
from ..issues import BuildError, ContentErrors, Issue, problems_report, shown
from ..model import Plan
from ..pipeline import DEFAULT_FORMATS, FORMATS, BuildRequest, build, parse_formats
from ..sources import Repository

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub requires (% first, then the line breaks)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ':' and ',' too (they end a property)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(shown_path: str, content_dir: Path, display_root: str, repo_root: Path | None) -> str:
    """The path of a problem's file relative to the repository root, for GitHub to find the line.

    Messages name files from the content folder as given (`display_root`, e.g. 'content' or
    '../plan/content'); GitHub needs them from the root of the repository whatever --content was.
    """
    prefix = f"{display_root}/" if display_root else ""
    if repo_root is None or (prefix and not shown_path.startswith(prefix)):
        return shown_path
    inside = shown_path[len(prefix):]
    try:
        content_from_root = Path(os.path.relpath(content_dir.resolve(), repo_root.resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return shown_path
    if content_from_root == ".":
        return inside
    if content_from_root.startswith("../"):
        return shown_path
    return f"{content_from_root}/{inside}" if inside else content_from_root


def annotation(issue: Issue, file: str) -> str:
    """The GitHub Actions workflow command that shows an issue on its line of the pull request."""
    command = "warning" if issue.is_warning else "error"
    return f"::{command} file={_escape_property(file)},line={issue.line}::{_escape_data(issue.message)}"


def _print_annotations(issues: list[Issue], content_dir: Path, display_root: str) -> None:
    """On GitHub Actions (GITHUB_ACTIONS=true), print every issue again as a workflow command on stdout."""
    if os.environ.get("GITHUB_ACTIONS") != "true" or not issues:
        return
    try:
        repo_root: Path | None = Repository.find(content_dir).root
    except BuildError:
        workspace = os.environ.get("GITHUB_WORKSPACE")
        repo_root = Path(workspace) if workspace else None
    for issue in issues:
        print(annotation(issue, repository_path(issue.path, content_dir, display_root, repo_root)))


def codeowners_problem(plan: Plan, content_dir: Path) -> Issue | None:
    """With --check on the working tree: the problem when .github/CODEOWNERS no longer matches the content."""
    try:
        repo = Repository.find(content_dir)
    except BuildError:
        return None  # not a repository: nothing on GitHub to own
    path = repo.root / CODEOWNERS_PATH
    if path.is_symlink() or path.parent.is_symlink():
        # Never read (or later write) through a link: it could point anywhere outside the repository.
        return Issue(CODEOWNERS_PATH, 1, "is a symbolic link; replace it with an ordinary file: delete it and run "
                                         "'delivery-report codeowners'")
    try:
        current: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    except (OSError, UnicodeDecodeError):
        return Issue(CODEOWNERS_PATH, 1, "cannot be read; regenerate it with 'delivery-report codeowners'")
    return stale_codeowners(current, plan, repo.prefix, CODEOWNERS_PATH)


def parse_args(argv: list[str], prog: str = "delivery-report build", check: bool = False) -> argparse.Namespace:
    """Read the command line: the build's options, or with `check`, those of `delivery-report check`.

    The check takes the build's options as `build --check` does (a pre-commit hook may pass any of them);
    those that only shape the written report are left out of its --help."""
    if check:
        description = ("Check the plan's content as the build reads it and list every problem as path:line; "
                       "write nothing (the same as 'build --check').")
    else:
        description = "Build the report pack (report-<date>.docx and .html) from the plan's content in git."
    parser = argparse.ArgumentParser(prog=prog, description=description)
    only_build = argparse.SUPPRESS if check else None
    parser.add_argument("--as-at", type=date_argument, metavar="YYYY-MM-DD",
                        help=f"{'check' if check else 'build from'} the content as committed on main at the end of "
                             "this day (UK time); without it, the working tree, dated today (DRAFT if it has "
                             "uncommitted changes)")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--out", default="build", metavar="DIR",
                        help=only_build or "where to write the report (default: build)")
    if check:
        parser.set_defaults(check=True)
    else:
        parser.add_argument("--check", action="store_true",
                            help="check the content and report every problem; write nothing")
    parser.add_argument("--branch", default="main", metavar="NAME",
                        help="with --as-at, read the history of this branch (default: main), whatever is checked out")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (possible mistakes such as a misspelt field) as errors")
    parser.add_argument("--restricted", action="store_true",
                        help=("check as the internal copy is built: with restricted (Part 2) content included" if check
                              else "build only the internal copy with restricted (Part 2) content included: "
                                   "report-<date>-restricted.docx and .html, marked RESTRICTED - NOT FOR PUBLICATION"))
    parser.add_argument("--since", type=date_argument, metavar="YYYY-MM-DD",
                        help="show what changed since this date (default: the latest report record in content/reports "
                             "dated before the report)")
    parser.add_argument("--format", default=",".join(DEFAULT_FORMATS), metavar="LIST",
                        help=only_build or f"comma list of outputs to write, from {','.join(FORMATS)} (default: "
                                           f"{','.join(DEFAULT_FORMATS)}); pdf needs LibreOffice")
    parser.add_argument("--audit", action="store_true",
                        help=only_build or "also write audit-<date>.csv and audit-<date>.html: who changed what, "
                                           "commit by commit")
    parser.add_argument("--no-page-numbers", dest="page_numbers", action="store_false",
                        help=only_build or "leave the DOCX's Contents page numbers for Word to fill in (F9) instead of "
                                           "taking them from LibreOffice's layout when it is installed: no LibreOffice "
                                           "run for a DOCX alone, but the DOCX is not the one a build with LibreOffice "
                                           "gives (nor a signed-off one)")
    return parser.parse_args(argv)


def tune_garbage_collector() -> None:
    """Collect cycles less often: a build makes millions of small objects that hold no cycles, and at the
    default thresholds the collector rescans the whole plan again and again (a third of the render time
    at 5,000 actions). Memory is unaffected: reference counting frees them."""
    gc.set_threshold(100_000, 50, 100)


def check_main(argv: list[str] | None = None, prog: str = "delivery-report check") -> int:
    """`delivery-report check`: `build --check`, with its own --help."""
    return main(argv, prog, check=True)


def main(argv: list[str] | None = None, prog: str = "delivery-report build", check: bool = False) -> int:
    """Run the build (with `check`, the check alone) and return the exit code: 0 built, 1 content errors,
    2 usage errors."""
    tune_garbage_collector()
    args = parse_args(sys.argv[1:] if argv is None else argv, prog, check)
    content = Path(args.content)
    try:
        formats = parse_formats(args.format)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    request = BuildRequest(content_dir=content, out_dir=Path(args.out), as_at=args.as_at, branch=args.branch, strict=args.strict,
                           restricted=args.restricted, since=args.since, audit=args.audit, formats=formats,
                           page_numbers=args.page_numbers, display_root=Path(args.content).as_posix().rstrip("/"))
    try:
        plan, written = build(request, check_only=args.check)
    except ContentErrors as errors:
        print(problems_report(errors.issues, "nothing was written", "build again"), file=sys.stderr)
        _print_annotations(errors.issues, content, request.display_root)
        return EXIT_CONTENT
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for issue in request.warnings:
        print(shown(issue), file=sys.stderr)
    _print_annotations(request.warnings, content, request.display_root)
    stale = codeowners_problem(plan, content) if args.check and args.as_at is None else None
    if stale is not None:
        print(shown(stale), file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print(annotation(stale, stale.path))
        print("1 problem found. Fix it and check again.", file=sys.stderr)
        return EXIT_CONTENT
    if request.warnings:
        count = len(request.warnings)
        print(f"{count} warning{'s' if count != 1 else ''}: check {'them' if count != 1 else 'it'} "
              "(--strict makes warnings stop the build).", file=sys.stderr)
    source = f"commit {plan.snapshot.commit[:12]}" if plan.snapshot.commit else "the working tree"
    if plan.snapshot.draft:
        source += " with uncommitted changes (DRAFT)"
    if plan.snapshot.unfinished:
        source += ", with text still to be filled in (DRAFT)"
    actions = len(plan.actions)
    if args.check:
        print(f"OK: {len(plan.areas)} {plan.info.words.areas.lower()}, {actions} actions as at {plan.snapshot.label} ({source}).")
    else:
        for path in written:
            print(f"wrote {path}")
        print(f"{len(plan.areas)} {plan.info.words.areas.lower()}, {actions} actions as at {plan.snapshot.label} ({source}).")
    return EXIT_OK

