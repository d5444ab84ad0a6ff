#!/usr/bin/env python3
"""Build the Level 1 report pack (DOCX and HTML) from the plan's content, as at a date.

The same as `delivery-report build` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("build", sys.argv[1:], prog="build.py"))
