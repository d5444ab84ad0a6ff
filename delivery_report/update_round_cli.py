"""The update round's command: `delivery-report update-round --as-at DATE` (or `python scripts/update_round.py`).

Writes update-round-<as-at>.md and update-round-<as-at>.json (with --restricted, update-round-<as-at>-
restricted.*) into --out, all at once through writing.write_files; with --summary, writes nothing and prints
the round's counts as Markdown, naming no one (the workflow on main appends them to its job summary). Exit
codes as the build's: 0 written, 1 content problems (every one listed), 2 cannot run as asked.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .arguments import date_argument
from .issues import BuildError, ContentErrors, printable, problems_report
from .layout.wording import date_in_words
from .pipeline import BuildRequest, read_plan_and_history
from .update_round import round_json, round_markdown, round_summary_markdown, update_round
from .writing import temporary_pattern, write_files

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
# A repository's web address as --repo-url takes it: GitHub's, or a GitHub Enterprise server's.
_REPOSITORY_URL = re.compile(
    r"(?P<base>https://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
    r"/[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?P<name>[A-Za-z0-9._-]{1,100}?))(?:\.git)?/?"
)
# Only the update round's own temporaries, whatever else shares the output folder.
_OWN_TEMPORARIES = temporary_pattern(r"update-round-[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-restricted)?\.(?:md|json)")


def repository_url(text: str) -> str:
    """An argparse type: https://HOST/OWNER/NAME (a trailing '.git' or '/' dropped), or a message saying how."""
    match = _REPOSITORY_URL.fullmatch(text)
    if match is None or match.group("name") in (".", ".."):
        raise argparse.ArgumentTypeError(
            f"'{printable(text)}' is not a repository's web address; give it as https://github.com/OWNER/NAME")
    return match.group("base")


def parse_args(argv: list[str], prog: str = "delivery-report update-round") -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Before a report: each sponsor's and lead officer's active actions, and whether a commit on main "
                    "changed each one since the last report. Writes update-round-<date>.md (a section per person to "
                    "paste into an email or a GitHub issue) and update-round-<date>.json.",
    )
    parser.add_argument("--as-at", type=date_argument, required=True, metavar="YYYY-MM-DD",
                        help="the date of the coming report: the content as committed on main by the end of this day "
                             "(UK time); the last report is the latest record in content/reports dated before it")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--out", default="build", metavar="DIR", help="where to write the round (default: build)")
    parser.add_argument("--restricted", action="store_true",
                        help="include restricted (Part 2) actions: writes update-round-<date>-restricted.md and .json, "
                             "marked RESTRICTED - NOT FOR PUBLICATION")
    parser.add_argument("--repo-url", type=repository_url, metavar="https://github.com/OWNER/NAME",
                        help="the repository on GitHub, for each action's edit link (default: from the 'origin' "
                             "remote when it is on github.com; without either, no links)")
    parser.add_argument("--summary", action="store_true",
                        help="write no files: print the round's counts as Markdown (how many actions are updated, how "
                             "many people have yet to update), naming no one, for a public place such as a workflow's "
                             "job summary")
    args = parser.parse_args(argv)
    if args.summary and args.restricted:
        parser.error("--summary counts the public actions for a public place: leave out --restricted (the restricted "
                     "round names people and restricted actions; write its files instead)")
    return args


def main(argv: list[str] | None = None, prog: str = "delivery-report update-round") -> int:
    """Work out and write the update round; return the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv, prog)
    content = Path(args.content)
    request = BuildRequest(content_dir=content, out_dir=Path(args.out), as_at=args.as_at,
                           display_root=content.as_posix().rstrip("/"), restricted=args.restricted)
    try:
        plan, history = read_plan_and_history(request)
        round_ = update_round(plan, history, restricted=args.restricted)
        if args.summary:
            print(round_summary_markdown(round_), end="")
            return EXIT_OK
        repo_url = args.repo_url or history.repo.origin_url()
        stem = f"update-round-{round_.as_at.isoformat()}" + ("-restricted" if args.restricted else "")
        outputs = {f"{stem}.md": round_markdown(round_, repo_url).encode("utf-8"), f"{stem}.json": round_json(round_)}
        written = write_files(request.out_dir, outputs, "the update round", stale=_OWN_TEMPORARIES)
    except ContentErrors as errors:
        print(problems_report(errors.issues, "nothing was written"), file=sys.stderr)
        return EXIT_CONTENT
    except BuildError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"wrote {printable(str(path))}")
    actions, updated = round_.actions, len(round_.updated)
    waiting = [person.initials for person in round_.people if person.still_to_update]
    since = f"the report as at {date_in_words(round_.last_report)}" if round_.last_report else "the plan began"
    print(f"{updated} of {len(actions)} active actions updated since {since}; "
          f"{len(waiting)} of {len(round_.people)} people still to update" + (f": {', '.join(waiting)}." if waiting else "."))
    if repo_url is None:
        print("No edit links: the repository's 'origin' is not on github.com; give --repo-url to add them.")
    return EXIT_OK
