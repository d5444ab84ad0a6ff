#!/usr/bin/env python3
"""Before a report: each officer's active actions and whether they were updated since the last one.

The same as `delivery-report update-round` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("update-round", sys.argv[1:], prog="update_round.py"))
