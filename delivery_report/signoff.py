"""Sign-off: build the report, record who signed it and the DOCX's SHA-256; verify a DOCX against the records.

`delivery-report signoff` (and `python scripts/signoff.py`) runs `main`. Everything that can be checked is checked before anything is
written: the arguments (one printable line each, of a bounded length), the record's path (no link, no
folder in the way), every existing record (a folder or a link named like one is refused), and that
the record PyYAML writes reads back exactly as meant. Only then is the report built and the record
written. `--verify` reads the DOCX without following it into a folder or a pipe, and never ends in a
traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import os
import stat
import sys
from pathlib import Path

from .arguments import date_argument, one_line, one_line_problem
from .issues import BuildError, ContentErrors, Issue, printable, problems_report
from .layout.wording import date_in_words
from .pipeline import BuildRequest, build
from .records import REPORTS_FOLDER, SignOffRecord, load_records, record_reads_back, record_yaml
from .sources import LONDON, WorkingTree
from .writing import refuse_unsafe_path, write_files

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2
# Longest name-and-role and meeting a record keeps: the longest real ones are about 60 characters.
MAX_SIGNED_BY = 200
MAX_MEETING = 300
# A DOCX starts with a zip file's local header.
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20


def parse_args(argv: list[str], prog: str = "delivery-report signoff") -> argparse.Namespace:
    """Read the command line; a value a record could not hold is refused here (exit 2), before any work."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Sign off the report as at a date: build it and write content/reports/<date>.yaml with the "
                    "commit and the DOCX's SHA-256 (commit the record in a pull request). Or check a DOCX with --verify.",
    )
    parser.add_argument("--as-at", type=date_argument, metavar="YYYY-MM-DD", help="the report to sign off")
    parser.add_argument("--by", metavar='"Name, role"',
                        help=f'who signs it off, e.g. "Paul Hammond, Chief Executive" (one line, at most '
                             f"{MAX_SIGNED_BY} characters)")
    parser.add_argument("--on", type=date_argument, metavar="YYYY-MM-DD", help="the day it was signed off (default: today, UK time)")
    parser.add_argument("--meeting", metavar="TEXT",
                        help=f"the meeting the report goes to (kept from the record if it has one; one line, at most "
                             f"{MAX_MEETING} characters)")
    parser.add_argument("--verify", metavar="FILE.docx", help="say whether this DOCX is a signed-off report")
    parser.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--out", default="build", metavar="DIR", help="where to write the report (default: build)")
    args = parser.parse_args(argv)
    if args.verify is None and (args.as_at is None or args.by is None):
        parser.error("give --as-at YYYY-MM-DD and --by \"Name, role\" to sign off, or --verify FILE.docx")
    if args.verify is not None and (args.as_at is not None or args.by is not None):
        parser.error("--verify checks a DOCX; do not combine it with --as-at or --by")
    if args.by is not None:
        problem = one_line_problem("--by", args.by, MAX_SIGNED_BY)
        if problem is not None:
            parser.error(f'{problem}; e.g. --by "Paul Hammond, Chief Executive"')
        args.by = one_line(args.by)
    if args.meeting is not None:
        # An empty --meeting keeps the record's meeting (as before); anything typed must fit on its line.
        problem = one_line_problem("--meeting", args.meeting, MAX_MEETING) if args.meeting.strip() else None
        if problem is not None:
            parser.error(problem)
        args.meeting = one_line(args.meeting)
    return args


def _display_root(content: Path) -> str:
    return content.as_posix().rstrip("/")


def working_tree_records(content: Path) -> list[SignOffRecord]:
    """The report records in the content folder on disk, read as a build reads them: a record that is a
    link, a folder or not an ordinary file is a content error (ContentErrors), never followed or a traceback."""
    display_root = _display_root(content)
    folder = content / REPORTS_FOLDER
    shown = f"{display_root}/{REPORTS_FOLDER}"
    try:
        info = os.lstat(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise BuildError(f"{printable(str(folder))}: cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise ContentErrors([Issue(shown, 1, "this is a symbolic link; the report records are read only from a "
                                             "real folder inside the content folder: replace the link with the folder")])
    if not stat.S_ISDIR(info.st_mode):
        raise ContentErrors([Issue(shown, 1, "this is not a folder; the report records go in the folder "
                                             "reports/: move this file away")])
    # The source that reads a build's working tree: links and special files come back refused, with the reason.
    found = WorkingTree(folder, shown).read_all()
    records, issues = load_records({f"{REPORTS_FOLDER}/{rel}": data for rel, data in found.items()}, display_root)
    if issues:
        raise ContentErrors(issues)
    return records


def _checked_record(record: SignOffRecord) -> bytes:
    """The record's YAML, once it is known to read back exactly as `record` (else a BuildError)."""
    problems = record_reads_back(record)
    if problems:
        raise BuildError(f"{record.path}: the sign-off record could not be written so that it reads back as given "
                         f"({problems[0].message}); nothing was written")
    return record_yaml(record).encode("utf-8")


def sign_off(args: argparse.Namespace) -> int:
    """Build the report for --as-at and write its record; 0 when written."""
    content = Path(args.content)
    display_root = _display_root(content)
    by = str(args.by)
    request = BuildRequest(content_dir=content, out_dir=Path(args.out), as_at=args.as_at, display_root=display_root)
    record_name = f"{REPORTS_FOLDER}/{args.as_at.isoformat()}.yaml"
    path = content / record_name
    # Everything the record needs is checked before the build writes the report: a linked or blocked record
    # path, a broken or hostile existing record, and a record that would not read back, refuse the whole sign-off.
    refuse_unsafe_path(content, record_name)
    existing = {r.as_at: r for r in working_tree_records(content)}.get(args.as_at)
    unsigned = SignOffRecord(
        as_at=args.as_at,
        path=path.as_posix(),
        meeting=args.meeting or (existing.meeting if existing else ""),
        signed_by=by,
        signed_at=args.on or dt.datetime.now(LONDON).date(),
    )
    # The commit and the DOCX's SHA-256 are hexadecimal, fixed-length and known only after the build.
    _checked_record(dataclasses.replace(unsigned, commit="0" * 40, docx_sha256="0" * 64))
    plan, written = build(request)
    docx = next(p for p in written if p.suffix == ".docx")
    digest = hashlib.sha256(docx.read_bytes()).hexdigest()
    record = dataclasses.replace(unsigned, commit=plan.snapshot.commit or "", docx_sha256=digest)
    data = _checked_record(record)
    if existing is not None and existing.signed:
        print(f"note: {printable(str(path))} already recorded a sign-off by {existing.signed_by}; it is replaced",
              file=sys.stderr)
    write_files(content, {record_name: data}, "the sign-off record")
    for built in written:
        print(f"wrote {printable(str(built))}")
    print(f"wrote {printable(str(path))}: signed off on {date_in_words(record.signed_at or args.as_at)} by {by}, "
          f"commit {record.commit[:12]}, DOCX SHA-256 {digest[:16]}...")
    print("Commit this record in a pull request (it is not committed for you).")
    return EXIT_OK


def _docx_digest(docx: Path) -> tuple[str, bool]:
    """The SHA-256 of the file, and whether it starts as a DOCX (a zip file) does; a BuildError when it is
    missing, a folder, a pipe or a device, or cannot be read (opened without waiting on a pipe's writer)."""
    shown = printable(str(docx))
    try:
        handle = os.open(docx, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise BuildError(f"{shown}: cannot read the file ({exc.strerror}); give the report's .docx file") from None
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise BuildError(f"{shown} is a folder, not a DOCX file; give the report's .docx file")
        if not stat.S_ISREG(mode):
            raise BuildError(f"{shown} is not an ordinary file (a pipe or a device); give the report's .docx file")
        hasher = hashlib.sha256()
        start = os.read(handle, len(_ZIP_MAGIC))
        chunk = start
        while chunk:
            hasher.update(chunk)
            chunk = os.read(handle, _CHUNK)
    except OSError as exc:
        raise BuildError(f"{shown}: cannot read the file ({exc.strerror}); give the report's .docx file") from None
    finally:
        os.close(handle)
    return hasher.hexdigest(), start == _ZIP_MAGIC


def verify(args: argparse.Namespace) -> int:
    """Say whether a DOCX is one a record signed off: 0 yes, 1 no."""
    docx = Path(args.verify)
    shown = printable(str(docx))
    digest, is_docx = _docx_digest(docx)
    content = Path(args.content)
    records = working_tree_records(content)
    for record in records:
        if record.docx_sha256 == digest:
            who = f"signed off on {date_in_words(record.signed_at)} by {record.signed_by}" if record.signed_at else "recorded"
            print(f"OK: {shown} is the report as at {date_in_words(record.as_at)}, {who} "
                  f"(commit {record.commit[:12]}; {record.path}).")
            return EXIT_OK
    signed = [r for r in records if r.docx_sha256]
    what = "" if is_docx else " is not a DOCX (Word) file at all, and"
    print(f"NOT VERIFIED: {shown} (SHA-256 {digest[:16]}...){what} matches none of the {len(signed)} signed-off "
          f"report(s) recorded in {printable(str(content / REPORTS_FOLDER))}; it was changed after sign-off, or built "
          "from other content. Rebuild it with delivery-report build --as-at <date> and compare.", file=sys.stderr)
    return EXIT_NO


def main(argv: list[str] | None = None, prog: str = "delivery-report signoff") -> int:
    """Run sign-off or verification and return the exit code: 0 done, 1 refused (content problems, or not
    verified), 2 cannot run as asked (arguments, paths)."""
    args = parse_args(sys.argv[1:] if argv is None else argv, prog)
    try:
        return verify(args) if args.verify is not None else sign_off(args)
    except ContentErrors as errors:
        print(problems_report(errors.issues, "nothing was signed off"), file=sys.stderr)
        return EXIT_NO
    except BuildError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
