#!/usr/bin/env python3
"""Write templates/reference.docx afresh (the Word styles of the report); staff may then restyle it in Word."""

import sys
from pathlib import Path

from delivery_report.render.docx.reference import REFERENCE_NAME, build_reference

TARGET = Path(__file__).resolve().parents[1] / "templates" / REFERENCE_NAME

if __name__ == "__main__":
    TARGET.write_bytes(build_reference())
    print(f"wrote {TARGET}")
    sys.exit(0)
