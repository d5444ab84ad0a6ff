"""Write a new action's file from a template, in the business area its number names.

    delivery-report new-action 3            # the next free ref in business area 3, e.g. 3.13
    delivery-report new-action 3.13 [--action TEXT] [--due 2018-09] [--sponsor PCC] [--lead SM] [--content DIR]

(`python scripts/new_action.py` is the same command.) The file is checked as the build checks it before it
is written; an existing ref is refused. Exit codes: 0 written; 1 refused (the ref exists, or what was given would not pass the check); 2 bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..assemble import read_ratings
from ..issues import BuildError, ContentErrors
from ..model import Snapshot
from ..newaction import plan_new_action
from ..reading import plan_from_files
from ..sources import LONDON, WorkingTree
from ..writing import refuse_unsafe_path


def main(argv: list[str] | None = None, prog: str = "delivery-report new-action") -> int:
    """Write the new action and return the exit code."""
    parser = argparse.ArgumentParser(prog=prog, description=(__doc__ or "").split("\n")[0])
    parser.add_argument("ref", metavar="REF", help="a business area number (e.g. 3: its next free ref) or a new ref (e.g. 3.13)")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--action", default="", help="the action's text (default: a line to replace)")
    parser.add_argument("--due", default="", help="YYYY-MM or a word such as Ongoing")
    parser.add_argument("--sponsor", default="", help="the sponsor's initials, as in people.yaml")
    parser.add_argument("--lead", default="", help="the lead officer's initials, as in people.yaml")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    content = Path(args.content)
    display_root = content.as_posix().rstrip("/")
    try:
        files = WorkingTree(content, display_root).read_all()
        new = plan_new_action(list(files), args.ref, args.action, args.due, args.sponsor, args.lead,
                              read_ratings(files, display_root))
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if "already exists" not in str(error) else 1
    shown = f"{display_root}/{new.path}"
    # Check the content with the new file exactly as the build would; only the new file's own problems refuse it
    # (not the template's placeholders, which the officer is to replace: until then the check fails on them).
    try:
        plan_from_files({**files, new.path: new.text.encode()}, display_root,
                        Snapshot(as_at=dt.datetime.now(LONDON).date(), draft=True), unfinished_allowed=True)
    except ContentErrors as errors:
        own = [issue for issue in errors.issues if issue.path == shown and not issue.is_warning]
        if own:
            for issue in own:
                print(f"{issue.path}:{issue.line}: {issue.message}", file=sys.stderr)
            print(f"{shown} was not written; correct what you gave and run this again.", file=sys.stderr)
            return 1
    try:
        # No folder on the way may be a link (it could lead outside the content folder); 'x': never
        # overwrite a file (nor follow a link) that appeared since the folder was read.
        refuse_unsafe_path(content, new.path)
        with open(content / new.path, "x", encoding="utf-8") as handle:
            handle.write(new.text)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except FileExistsError:
        print(f"error: {shown} already exists; nothing was written", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot write {shown}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {shown} (action {new.ref}): fill in the action, due date, sponsor and lead (the check fails "
          f"until they are), then check it with: delivery-report check{'' if display_root == 'content' else ' --content ' + display_root}")
    return 0

