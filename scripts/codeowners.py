#!/usr/bin/env python3
"""Write .github/CODEOWNERS from the content (--check only compares).

The same as `delivery-report codeowners` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("codeowners", sys.argv[1:], prog="codeowners.py"))
