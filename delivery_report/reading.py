"""One version of the content folder to a checked plan: the one path every version is read through.

The as-at build, the since-date plan, every version the audit compares, a pull request's base and
head, and sign-off all come here with the files of one version (from `sources`), so they read every
field, every Markdown text and every restricted marker the same way. Restricted content is then
removed by the one rule, `Plan.public()` (and `model.public_action` for one action), before anything
public is made.
"""

from __future__ import annotations

import dataclasses

from .assemble import assemble
from .issues import WARNING, ContentErrors, Issue
from .load import Value, load_file
from .model import Plan, Snapshot, following_year
from .records import load_records
from .validate import deleted_actions, validate


def plan_from_files(files: dict[str, bytes], display_root: str, snapshot: Snapshot, strict: bool = False,
                    warnings: list[Issue] | None = None, action_bodies: bool = True,
                    main_paths: set[str] | None = None, main_plan: bytes | None = None,
                    unfinished_allowed: bool = False) -> Plan:
    """Assemble and validate one version of the content folder; raise ContentErrors listing every problem.

    Without `action_bodies` the actions' status texts are not read: enough to compare an earlier
    version's fields with the report's, at half the cost. With `main_paths` (the content files on main,
    for a working tree or a pull request), an action file main has and this version lacks is a problem,
    except in the version that opens the year after main's (`main_plan`, main's plan.md, says which year
    main is in): the year end retires the old year's actions that way, and git history keeps them.

    A template's placeholder left in (unfinished.py) is an error, unless `unfinished_allowed` (a working-tree
    build): then it is a warning, and the plan's snapshot is marked unfinished, so the report says DRAFT."""
    plan, issues = assemble(files, display_root, snapshot, action_bodies)
    if main_paths is not None and not (plan is not None and opens_the_year_after(plan, main_plan)):
        issues += deleted_actions(main_paths, files, display_root)
    # Report records are checked in the version being read (a pull request's new record, say); the
    # build itself reads them from the tip of main (history.ContentHistory.records).
    issues += load_records(files, display_root)[1]
    if plan is not None:
        issues += validate(plan)
    if unfinished_allowed and any(issue.is_unfinished for issue in issues):
        issues = [dataclasses.replace(issue, severity=WARNING) if issue.is_unfinished else issue for issue in issues]
        if plan is not None:
            plan = dataclasses.replace(plan, snapshot=dataclasses.replace(plan.snapshot, unfinished=True))
    errors = [issue for issue in issues if not issue.is_warning or strict]
    if errors or plan is None:
        raise ContentErrors(errors if errors else issues)
    if warnings is not None:
        warnings.extend(issue for issue in issues if issue.is_warning)
    return plan


def opens_the_year_after(plan: Plan, main_plan: bytes | None) -> bool:
    """True when `plan` is the plan year after the one main's plan.md (its bytes) is in: the pull request
    that opens a new year (docs/governance-cycle.md, the year end)."""
    if main_plan is None:
        return False
    read = load_file("plan.md", main_plan, [])
    period = read.meta.get("period") if read is not None and read.meta is not None else None
    return isinstance(period, Value) and following_year(period.text().strip()) == plan.info.period
