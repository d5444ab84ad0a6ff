#!/usr/bin/env python3
"""Sign off a report (build it, record who signed and the DOCX's SHA-256) or verify a DOCX against the records."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path

from delivery_report.cli import date_argument
from delivery_report.issues import BuildError, ContentErrors
from delivery_report.pipeline import BuildRequest, build
from delivery_report.records import (
    REPORTS_FOLDER,
    SignOffRecord,
    date_in_words,
    load_records,
    record_yaml,
)
from delivery_report.sources import LONDON
from delivery_report.writing import refuse_unsafe_path, write_files

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="signoff.py",
        description="Sign off the report as at a date: build it and write content/reports/<date>.yaml with the "
                    "commit and the DOCX's SHA-256 (commit the record in a pull request). Or check a DOCX with --verify.",
    )
    parser.add_argument("--as-at", type=date_argument, metavar="YYYY-MM-DD", help="the report to sign off")
    parser.add_argument("--by", metavar='"Name, role"', help='who signs it off, e.g. "Paul Hammond, Chief Executive"')
    parser.add_argument("--on", type=date_argument, metavar="YYYY-MM-DD", help="the day it was signed off (default: today, UK time)")
    parser.add_argument("--meeting", metavar="TEXT", help="the meeting the report goes to (kept from the record if it has one)")
    parser.add_argument("--verify", metavar="FILE.docx", help="say whether this DOCX is a signed-off report")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--out", default="build", metavar="DIR", help="where to write the report (default: build)")
    args = parser.parse_args(argv)
    if args.verify is None and (args.as_at is None or not args.by):
        parser.error("give --as-at YYYY-MM-DD and --by \"Name, role\" to sign off, or --verify FILE.docx")
    if args.verify is not None and (args.as_at is not None or args.by):
        parser.error("--verify checks a DOCX; do not combine it with --as-at or --by")
    return args


def _records(content: Path) -> list[SignOffRecord]:
    folder = content / REPORTS_FOLDER
    files = {f"{REPORTS_FOLDER}/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}
    records, issues = load_records(files, content.as_posix().rstrip("/"))
    if issues:
        raise ContentErrors(issues)
    return records


def sign_off(args: argparse.Namespace) -> int:
    """Build the report for --as-at and write its record; 0 when written."""
    content = Path(args.content)
    by = " ".join(str(args.by).split())
    request = BuildRequest(content_dir=content, out_dir=Path(args.out), as_at=args.as_at,
                           display_root=content.as_posix().rstrip("/"))
    record_name = f"{REPORTS_FOLDER}/{args.as_at.isoformat()}.yaml"
    # Checked before the build writes the report: a linked record path refuses the whole sign-off.
    refuse_unsafe_path(content, record_name)
    plan, written = build(request)
    docx = next(p for p in written if p.suffix == ".docx")
    digest = hashlib.sha256(docx.read_bytes()).hexdigest()
    existing = {r.as_at: r for r in _records(content)}.get(args.as_at)
    path = content / record_name
    record = SignOffRecord(
        as_at=args.as_at,
        path=path.as_posix(),
        meeting=args.meeting or (existing.meeting if existing else ""),
        signed_by=by,
        signed_at=args.on or dt.datetime.now(LONDON).date(),
        commit=plan.snapshot.commit or "",
        docx_sha256=digest,
    )
    if existing is not None and existing.signed:
        print(f"note: {path} already recorded a sign-off by {existing.signed_by}; it is replaced", file=sys.stderr)
    write_files(content, {record_name: record_yaml(record).encode("utf-8")}, "the sign-off record")
    for built in written:
        print(f"wrote {built}")
    print(f"wrote {path}: signed off on {date_in_words(record.signed_at or args.as_at)} by {by}, "
          f"commit {record.commit[:12]}, DOCX SHA-256 {digest[:16]}...")
    print("Commit this record in a pull request (it is not committed for you).")
    return EXIT_OK


def verify(args: argparse.Namespace) -> int:
    """Say whether a DOCX is one a record signed off: 0 yes, 1 no."""
    docx = Path(args.verify)
    try:
        digest = hashlib.sha256(docx.read_bytes()).hexdigest()
    except OSError as exc:
        raise BuildError(f"{docx}: cannot read the file ({exc.strerror})") from None
    records = _records(Path(args.content))
    for record in records:
        if record.docx_sha256 == digest:
            who = f"signed off on {date_in_words(record.signed_at)} by {record.signed_by}" if record.signed_at else "recorded"
            print(f"OK: {docx} is the report as at {date_in_words(record.as_at)}, {who} "
                  f"(commit {record.commit[:12]}; {record.path}).")
            return EXIT_OK
    signed = [r for r in records if r.docx_sha256]
    print(f"NOT VERIFIED: {docx} (SHA-256 {digest[:16]}...) matches none of the {len(signed)} signed-off report(s) "
          f"recorded in {Path(args.content) / REPORTS_FOLDER}; it was changed after sign-off, or built from "
          "other content. Rebuild it with scripts/build.py --as-at <date> and compare.", file=sys.stderr)
    return EXIT_NO


def main(argv: list[str]) -> int:
    """Run sign-off or verification and return the exit code."""
    args = parse_args(argv)
    try:
        return verify(args) if args.verify is not None else sign_off(args)
    except ContentErrors as errors:
        for issue in errors.issues:
            print(issue, file=sys.stderr)
        print(f"{len(errors.issues)} problem(s) found; nothing was signed off. Fix them and try again.", file=sys.stderr)
        return EXIT_NO if args.verify is not None else 1
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
