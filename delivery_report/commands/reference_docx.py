"""`delivery-report reference-docx`: write templates/reference.docx afresh (the Word styles of the report);
staff may then restyle it in Word. `python scripts/make_reference_docx.py` writes the repository's copy,
which the package installs and every build uses. Exit codes: 0 written, 2 cannot write it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..issues import BuildError
from ..render.docx.reference import REFERENCE_NAME, build_reference
from ..writing import write_files


def main(argv: list[str] | None = None, prog: str = "delivery-report reference-docx") -> int:
    """Write reference.docx into --out; return the exit code."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"Write {REFERENCE_NAME}, the Word styles of the report, afresh from python-docx's default "
                    "template; staff may then restyle it in Word. The build uses the copy in the repository's "
                    "templates folder (installed with the package).",
    )
    parser.add_argument("--out", default="templates", metavar="DIR",
                        help=f"the folder to write {REFERENCE_NAME} into (default: templates, run from the "
                             "repository's top folder)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        (written,) = write_files(Path(args.out), {REFERENCE_NAME: build_reference()}, REFERENCE_NAME)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {written}")
    return 0
