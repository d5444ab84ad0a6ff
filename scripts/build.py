#!/usr/bin/env python3
"""Build the Level 1 report pack (DOCX and HTML) from the plan's content, as at a date.

The same command as `delivery-report` (installed with the package: `pip install -e .`).
"""

import sys

from delivery_report.cli import main

if __name__ == "__main__":
    sys.exit(main())
