#!/usr/bin/env python3
"""Write a new action's file from a template, in the business area its number names.

The same as `delivery-report new-action` (installed by `pip install`; its code is in the package).
"""

import sys

from delivery_report.cli import run

if __name__ == "__main__":
    sys.exit(run("new-action", sys.argv[1:], prog="new_action.py"))
