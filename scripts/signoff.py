#!/usr/bin/env python3
"""Sign off a report (build it, record who signed and the DOCX's SHA-256) or verify a DOCX against the records.

The command is delivery_report/signoff.py's `main`.
"""

import sys

from delivery_report.signoff import main

if __name__ == "__main__":
    sys.exit(main())
