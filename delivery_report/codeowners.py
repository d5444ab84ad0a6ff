""".github/CODEOWNERS from the content: each business area's folder is owned by its actions' sponsors and leads.

GitHub asks a file's code owners to review every pull request that changes it, so an officer's change
to an action goes to the people responsible for that area. Handles come from the optional `github`
field of people.yaml; the file is generated (`delivery-report codeowners`) and `--check` says when it is stale.
"""

from __future__ import annotations

from .issues import Issue
from .model import Plan

CODEOWNERS_PATH = ".github/CODEOWNERS"
HEADER = (
    "# Generated from the content by `delivery-report codeowners`: do not edit by hand.\n"
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


def _base(content_prefix: str) -> str:
    """The CODEOWNERS pattern of the content folder, e.g. '/content/' ('/' when the repository is the folder)."""
    inner = content_prefix.strip("/")
    return f"/{inner}/" if inner else "/"


def _belongs(line: str, base: str) -> bool:
    """True for a rule (or commented-out rule) of this content folder's business areas."""
    return line.removeprefix("# ").startswith(f"{base}business_areas/")


def codeowners_rules(plan: Plan, content_prefix: str) -> list[str]:
    """One line per business area: its folder and owners, or a comment when nobody has a GitHub name."""
    base = _base(content_prefix)
    rules = []
    for folder, handles in area_owners(plan):
        pattern = f"{base}business_areas/{folder}/"
        if handles:
            rules.append(f"{pattern} {' '.join('@' + h for h in handles)}")
        else:
            rules.append(f"# {pattern} (no sponsor or lead of this area has a github name in people.yaml)")
    return rules


def codeowners_text(plan: Plan, content_prefix: str, current: str | None = None) -> str:
    """The CODEOWNERS file with this content folder's rules; `current` keeps any other lines (other plans, other owners).

    `content_prefix` is the content folder's path from the repository root.
    """
    rules = codeowners_rules(plan, content_prefix)
    if current is None:
        return HEADER + "".join(f"{rule}\n" for rule in rules)
    base = _base(content_prefix)
    lines = current.splitlines()
    kept = [line for line in lines if not _belongs(line, base)]
    at = next((n for n, line in enumerate(lines) if _belongs(line, base)), None)
    position = len(kept) if at is None else sum(1 for line in lines[:at] if not _belongs(line, base))
    merged = kept[:position] + rules + kept[position:]
    return "".join(f"{line}\n" for line in merged)


def stale_codeowners(current: str | None, plan: Plan, content_prefix: str, shown_path: str) -> Issue | None:
    """The problem to report when CODEOWNERS' rules for this content differ from what it says (None when they agree).

    Only this content folder's lines are compared, so one repository may hold several plans. A
    repository with no CODEOWNERS file and no GitHub names in people.yaml needs none.
    """
    rules = codeowners_rules(plan, content_prefix)
    if current is None:
        if all(rule.startswith("#") for rule in rules):
            return None
        return Issue(shown_path, 1, "the file is missing but people.yaml names GitHub users; create it with "
                                    "'delivery-report codeowners' and commit it")
    base = _base(content_prefix)
    numbered = [(n, line) for n, line in enumerate(current.splitlines(), 1) if _belongs(line, base)]
    if [line for _, line in numbered] == rules:
        return None
    line = next((n for (n, have), want in zip(numbered, rules) if have != want),
                numbered[len(rules)][0] if len(numbered) > len(rules) else
                (numbered[-1][0] + 1 if numbered else len(current.splitlines()) + 1))
    return Issue(shown_path, line, "out of date with people.yaml and the actions' sponsors and leads; "
                                   "update it with 'delivery-report codeowners' and commit it")
