#!/usr/bin/env python3
"""The year end: prepare the pull request that closes the plan year, then the one that opens the next.

The same as `delivery-report new-year` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("new-year", sys.argv[1:], prog="new_year.py"))
