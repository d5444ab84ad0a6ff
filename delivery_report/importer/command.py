"""`delivery-report import`: a Word delivery plan (.docx) into a content folder: plan.md, people, priorities, areas,
actions. (`python scripts/import_docx.py` is the same command.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..issues import BuildError
from . import (
    FIELD_MEANINGS,
    FolderNotEmpty,
    ImportFailed,
    import_docx,
    parse_overrides,
    write_folder,
)

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def parse_args(argv: list[str], prog: str = "delivery-report import") -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Read a Word delivery plan into a content folder that builds (check it with "
                    "'delivery-report check --content DIR').",
        epilog="Fields for --columns: " + "; ".join(f"{key} ({meaning})" for key, meaning in FIELD_MEANINGS.items()),
    )
    parser.add_argument("docx", metavar="PLAN.docx", help="the Word delivery plan")
    parser.add_argument("--content", default="content", metavar="DIR",
                        help="the content folder to create (default: content); it must be empty or new")
    parser.add_argument("--force", action="store_true", help="write into a folder that already holds files, "
                        "overwriting the files the import writes")
    parser.add_argument("--columns", metavar="HEADING=FIELD,...",
                        help="say which field a column holds where the importer cannot tell, by its heading as the "
                             "plan writes it, e.g. \"Owner=lead,Status=rag\"")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the mapping found for each table (which column is which field) and import nothing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, prog: str = "delivery-report import") -> int:
    """Run the import and return the exit code: 0 imported, 1 the document cannot be read, 2 usage."""
    args = parse_args(sys.argv[1:] if argv is None else argv, prog)
    try:
        overrides = parse_overrides(args.columns) if args.columns is not None else None
    except ValueError as wrong:
        print(f"error: {wrong}", file=sys.stderr)
        return EXIT_USAGE
    target = Path(args.content)
    if not args.dry_run and target.is_dir() and any(target.iterdir()) and not args.force:
        print(f"error: {target} is not empty; give an empty or new folder with --content DIR, "
              "or add --force to overwrite the files the import writes", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = import_docx(Path(args.docx), overrides)
    except ImportFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return EXIT_INPUT
    plan = result.plan
    counts = (f"{len(plan.areas)} business areas, {result.action_count} actions "
              f"from {plan.rows_read} table rows ({plan.rows_joined} joined to the row above as broken across pages, "
              f"{plan.header_rows_repeated} repeated header rows skipped, {plan.empty_rows} empty rows skipped)")
    if args.dry_run:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        for line in result.mapping():
            print(line)
        print(f"dry run: nothing written; the import would make {counts}.")
        return EXIT_OK
    try:
        write_folder(result.files, target, args.force)
    except (FolderNotEmpty, BuildError) as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: {target}: cannot write the content folder ({exc.strerror}); choose another with --content DIR",
              file=sys.stderr)
        return EXIT_USAGE
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(f"wrote {target}: {counts}.")
    for line in result.summary():
        print(line)
    print(f"Next: delivery-report check --content {target}")
    return EXIT_OK

