#!/usr/bin/env python3
"""Write templates/reference.docx afresh (the Word styles of the report); staff may then restyle it in Word."""

import sys
from pathlib import Path

from delivery_report.issues import BuildError
from delivery_report.render.docx.reference import REFERENCE_NAME, build_reference
from delivery_report.writing import write_files

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    try:
        (written,) = write_files(ROOT, {f"templates/{REFERENCE_NAME}": build_reference()}, REFERENCE_NAME)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {written}")
    sys.exit(0)
