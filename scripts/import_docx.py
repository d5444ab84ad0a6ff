#!/usr/bin/env python3
"""Import a Word delivery plan (.docx) into a content folder that builds.

The same as `delivery-report import` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("import", sys.argv[1:], prog="import_docx.py"))
