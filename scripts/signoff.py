#!/usr/bin/env python3
"""Sign off a report (build it, record who signed and the DOCX's SHA-256) or verify a DOCX.

The same as `delivery-report signoff` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("signoff", sys.argv[1:], prog="signoff.py"))
