#!/usr/bin/env python3
"""Print, as Markdown, what a pull request changes in the public report.

The same as `delivery-report pr-summary` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("pr-summary", sys.argv[1:], prog="pr_summary.py"))
