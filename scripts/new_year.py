#!/usr/bin/env python3
"""The year end: prepare the pull request that closes the plan year, then the one that opens the next.

    python scripts/new_year.py 2018/19 [--step close|open] [--content DIR] [--dry-run]

The command is delivery_report/rollover_cli.py's `main` (docs/governance-cycle.md, "3. The year end").
"""

import sys

from delivery_report.rollover_cli import main

if __name__ == "__main__":
    sys.exit(main())
