#!/usr/bin/env python3
"""Write templates/reference.docx afresh (the Word styles of the report); staff may then restyle it in Word.

The same as `delivery-report reference-docx --out templates`, whatever folder it is run from.
"""

import sys
from pathlib import Path

from delivery_report.cli import run

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

if __name__ == "__main__":
    sys.exit(run("reference-docx", ["--out", str(TEMPLATES), *sys.argv[1:]], prog="make_reference_docx.py"))
