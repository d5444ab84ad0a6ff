""".github/CODEOWNERS from the content: each business area's folder is owned by its actions' sponsors and leads.

GitHub asks a file's code owners to review every pull request that changes it, so an officer's change
to an action goes to the people responsible for that area. Handles come from the optional `github`
field of people.yaml; the file is generated (scripts/codeowners.py) and `--check` says when it is stale.
"""

from __future__ import annotations

from .issues import Issue
from .model import Plan

CODEOWNERS_PATH = ".github/CODEOWNERS"
HEADER = (
    "# Generated from the content by `python scripts/codeowners.py`: do not edit by hand.\n"
    "# Each business area's folder is owned by the GitHub users (people.yaml: github) of its actions'\n"
    "# sponsors and lead officers; GitHub asks them to review pull requests that change the area.\n"
)


def area_owners(plan: Plan) -> list[tuple[str, tuple[str, ...]]]:
    """(area folder, sorted GitHub handles) for every business area, in area order."""
    owners = []
    for area in plan.areas:
        handles = set()
        for action in area.actions:
            for initials in (*action.sponsor, *action.lead):
                person = plan.person(initials)
                if person is not None and person.github:
                    handles.add(person.github)
        owners.append((area.slug, tuple(sorted(handles, key=str.lower))))
    return owners


def codeowners_text(plan: Plan, content_prefix: str) -> str:
    """The CODEOWNERS file for the plan; `content_prefix` is the content folder's path from the repository root."""
    base = f"/{content_prefix.strip('/')}/" if content_prefix.strip("/") else "/"
    lines = [HEADER]
    for folder, handles in area_owners(plan):
        pattern = f"{base}business_areas/{folder}/"
        if handles:
            lines.append(f"{pattern} {' '.join('@' + h for h in handles)}\n")
        else:
            lines.append(f"# {pattern} (no sponsor or lead of this area has a github name in people.yaml)\n")
    return "".join(lines)


def stale_codeowners(current: str | None, expected: str, shown_path: str) -> Issue | None:
    """The problem to report when CODEOWNERS differs from what the content says (None when it agrees).

    A repository with no CODEOWNERS file and no GitHub handles in people.yaml needs none.
    """
    if current == expected:
        return None
    if current is None:
        if "@" not in expected:
            return None
        return Issue(shown_path, 1, "the file is missing but people.yaml names GitHub users; create it with "
                                    "'python scripts/codeowners.py' and commit it")
    current_lines, expected_lines = current.splitlines(), expected.splitlines()
    line = next((n for n, (a, b) in enumerate(zip(current_lines, expected_lines), 1) if a != b),
                min(len(current_lines), len(expected_lines)) + 1)
    return Issue(shown_path, line, "out of date with people.yaml and the actions' sponsors and leads; "
                                   "update it with 'python scripts/codeowners.py' and commit it")
