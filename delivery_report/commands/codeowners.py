"""Write .github/CODEOWNERS from the content: each business area is reviewed by its actions' sponsors and leads.

    delivery-report codeowners [--content DIR] [--check]      (or python scripts/codeowners.py)

GitHub user names come from the optional `github` field of people.yaml. With --check, write nothing and
exit 1 when the file is out of date (the build's --check says so too). Exit 2 when the content cannot be read,
or .github/CODEOWNERS (or .github) is a symbolic link or not an ordinary file: nothing is written through a link.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..codeowners import (
    CODEOWNERS_PATH,
    codeowners_text,
    stale_codeowners,
)
from ..issues import BuildError, ContentErrors
from ..model import Snapshot
from ..reading import plan_from_files
from ..sources import LONDON, Repository, WorkingTree
from ..writing import refuse_unsafe_path, write_files


def main(argv: list[str] | None = None, prog: str = "delivery-report codeowners") -> int:
    """Write (or with --check, compare) .github/CODEOWNERS; return the exit code."""
    parser = argparse.ArgumentParser(prog=prog, description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is out of date")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    content = Path(args.content)
    display_root = content.as_posix().rstrip("/")
    try:
        repo = Repository.find(content)
        files = WorkingTree(content, display_root).read_all()
        plan = plan_from_files(files, display_root, Snapshot(as_at=dt.datetime.now(LONDON).date(), draft=True))
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ContentErrors as errors:
        for issue in errors.issues:
            print(issue, file=sys.stderr)
        print("the content has problems (see above); fix them first: delivery-report check", file=sys.stderr)
        return 2
    try:
        # Before reading too: a committed link would be read, then written, outside the repository.
        target = refuse_unsafe_path(repo.root, CODEOWNERS_PATH)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        print(f"error: {CODEOWNERS_PATH}: cannot be read ({reason}); remove it and run this again", file=sys.stderr)
        return 2
    expected = codeowners_text(plan, repo.prefix, current)
    if args.check:
        problem = stale_codeowners(current, plan, repo.prefix, CODEOWNERS_PATH)
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
        print(f"{CODEOWNERS_PATH} is up to date.")
        return 0
    if current == expected:
        print(f"{CODEOWNERS_PATH} is already up to date.")
        return 0
    try:
        write_files(repo.root, {CODEOWNERS_PATH: expected.encode("utf-8")}, CODEOWNERS_PATH)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {CODEOWNERS_PATH}; commit it with the content change.")
    return 0

