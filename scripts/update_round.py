#!/usr/bin/env python3
"""Before a report: each officer's active actions and whether they have been updated since the last report.

    python scripts/update_round.py --as-at 2018-04-11 [--content DIR] [--out DIR] [--restricted] [--repo-url URL]

The command is delivery_report/update_round_cli.py's `main` (docs/governance-cycle.md).
"""

import sys

from delivery_report.update_round_cli import main

if __name__ == "__main__":
    sys.exit(main())
