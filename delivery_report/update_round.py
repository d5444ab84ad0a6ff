"""The update round: before a report, which actions each officer has updated since the last one, from git.

For each person in people.yaml who sponsors or leads an active action: those actions, with their R/A/G,
due date, whether they are overdue (`Action.is_overdue`, the report's own rule), whether a commit on
main changed the action's file after the latest report record dated before the as-at date (the end of
that day in London, as every as-at date is read), and the UK day main last changed the file (a merged
pull request counts on the day it was merged).

Pure functions over the as-at Plan and main's ContentHistory (nothing here runs git): `update_round`
works the round out (as rounds.UpdateRound), `round_json` writes it for machines
(schemas/export/update-round.schema.json), `round_markdown` for people, a section per person to paste into
an email or a GitHub issue, and `round_summary_markdown` only its counts, naming no one, for a public place
such as the job summary of the workflow on main (who has not yet updated is in the restricted copy of the
report pack: layout/update_round.py). Restricted (Part 2) actions are left out unless the round is asked for
with `restricted`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import quote

from .history import ContentHistory
from .issues import BuildError
from .layout.wording import date_in_words, due_words, rag_word
from .load import display_name
from .model import Action, Lifecycle, Plan, plain_text
from .records import latest_before
from .rounds import RoundAction, RoundPerson, UpdateRound
from .sources import LONDON, LoggedCommit

# Characters that Markdown (or GitHub: @mentions, #issue links) would read as more than text; '&' only where it
# would start an entity such as '&copy;' ('Partnerships & Commissioning' stays as typed).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~@#]|&(?=#?[A-Za-z0-9]+;))")


def _uk_day(commit: LoggedCommit) -> dt.date:
    return commit.committed_at.astimezone(LONDON).date()


def update_round(plan: Plan, history: ContentHistory, restricted: bool = False) -> UpdateRound:
    """Work out the round for the plan as at its date (a version of main read from `history`)."""
    as_at, sha = plan.snapshot.as_at, plan.snapshot.commit
    end = history.index_of(sha) if sha else None
    if end is None:
        raise BuildError("the update round reads the content as committed on main: give --as-at a date")
    last = latest_before(history.records(), as_at)
    # With no earlier report, every commit on main counts: each action was at least written since the plan began.
    since = -1
    if last is not None:
        at_report = history.commit_as_at(last.as_at)
        found = history.index_of(at_report.sha) if at_report is not None else None
        if found is not None:
            since = found
    # Keyed by the file's name as the plan's actions carry it (origin.path), so they are matched exactly.
    last_commit: dict[str, LoggedCommit] = {}
    relative: dict[str, str] = {}
    updated: set[str] = set()
    root = history.display_root
    for index, commit in enumerate(history.commits[: end + 1]):
        for change in commit.changes:
            name = f"{root}/{display_name(change.path)}" if root else display_name(change.path)
            last_commit[name] = commit
            relative[name] = change.path
            if index > since:
                updated.add(name)
    prefix = history.repo.prefix

    def round_action(action: Action, initials: str) -> RoundAction:
        name = action.origin.path
        commit = last_commit.get(name)
        if commit is None:
            raise BuildError(f"{name}: no commit on main up to {as_at.isoformat()} changed this file, so when it "
                             "last changed cannot be told; check that the history is complete (not a shallow clone)")
        path = relative[name]
        roles = tuple(role for role, held in (("sponsor", action.sponsor), ("lead", action.lead)) if initials in held)
        return RoundAction(
            ref=action.ref,
            title=" ".join(plain_text(action.text).split()),
            due=action.due.raw if action.due else None,
            due_display=due_words(action.due) if action.due else "",
            rag=action.rag,
            rag_word=rag_word(action.rag, plan.ratings) if action.rag else "",
            overdue=action.is_overdue(as_at, plan.ratings),
            updated_since_last_report=name in updated,
            last_changed=_uk_day(commit),
            repository_path=f"{prefix}/{path}" if prefix else path,
            roles=roles,
        )

    view = plan if restricted else plan.public()
    active = [a for a in view.actions if a.lifecycle == Lifecycle.ACTIVE]
    people: list[RoundPerson] = []
    seen: set[str] = set()
    for person in view.people:
        if person.initials in seen:
            continue
        seen.add(person.initials)
        theirs = tuple(round_action(a, person.initials) for a in active
                       if person.initials in a.sponsor or person.initials in a.lead)
        if theirs:
            people.append(RoundPerson(person.initials, person.name, theirs))
    return UpdateRound(as_at, sha or "", last.as_at if last else None, tuple(people), restricted, history.log.branch,
                       plan.ratings)


# --- the round written out ----------------------------------------------------------------------------------


def round_document(round_: UpdateRound) -> dict[str, object]:
    """The round as JSON values, shaped as schemas/export/update-round.schema.json."""
    return {
        "as_at": round_.as_at.isoformat(),
        "last_report": round_.last_report.isoformat() if round_.last_report else None,
        "people": [
            {
                "initials": person.initials,
                "name": person.name or None,
                "actions": [
                    {
                        "ref": action.ref,
                        "title": action.title,
                        "due": action.due,
                        "rag": action.rag,
                        "overdue": action.overdue,
                        "updated_since_last_report": action.updated_since_last_report,
                        "last_changed": action.last_changed.isoformat(),
                    }
                    for action in person.actions
                ],
            }
            for person in round_.people
        ],
    }


def round_json(round_: UpdateRound) -> bytes:
    """update-round-<as-at>.json: the same round every time for the same commit and records."""
    return (json.dumps(round_document(round_), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def markdown_text(text: str) -> str:
    """Text to show as itself in Markdown: formatting marks, links, HTML, @mentions and #references escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def edit_link(repo_url: str, branch: str, path: str) -> str:
    """The GitHub page that edits a file on the branch (it offers a pull request to whoever cannot push)."""
    return f"{repo_url}/edit/{quote(branch, safe='')}/{quote(path, safe='/')}"


def _action_line(action: RoundAction, repo_url: str | None, branch: str) -> str:
    facts = [
        f"due {markdown_text(action.due_display)}" if action.due_display else "no due date",
        markdown_text(action.rag_word) if action.rag_word else "not assessed",
    ]
    if action.overdue:
        facts.append("**overdue**")
    facts.append(" and ".join(action.roles))
    facts.append(f"last changed {date_in_words(action.last_changed)}")
    line = f"- **{markdown_text(action.ref)}** {markdown_text(action.title)} ({'; '.join(facts)})"
    if repo_url:
        line += f" [Edit {markdown_text(action.ref)} on GitHub]({edit_link(repo_url, branch, action.repository_path)})"
    return line


def round_markdown(round_: UpdateRound, repo_url: str | None = None) -> str:
    """update-round-<as-at>.md: a heading and a section per person, each ready to paste into an email or an issue."""
    as_at = date_in_words(round_.as_at)
    since = f"the report as at {date_in_words(round_.last_report)}" if round_.last_report else "the plan began"
    lines = [f"# Update round for the report as at {as_at}", ""]
    if round_.restricted:
        lines += ["**RESTRICTED - NOT FOR PUBLICATION.** This round includes restricted (Part 2) actions.", ""]
    actions, updated, waiting = round_.actions, len(round_.updated), round_.waiting
    if round_.last_report:
        rule = (f"An action counts as updated when a commit on {round_.branch} changed its file after the end of "
                f"{date_in_words(round_.last_report)}, the date of the last report.")
    else:
        rule = "There is no earlier report record, so every change since the plan began counts as an update."
    lines += [
        f"The plan as committed on {round_.branch} by the end of {as_at} (commit {round_.commit[:12]}). {rule}",
        "",
        f"{len(actions)} active actions, {updated} updated since {since}; {len(round_.people)} people sponsor or "
        f"lead them, {len(waiting)} with actions still to update. An action shared by two people is listed under each.",
        "",
    ]
    for person in round_.people:
        heading = f"{markdown_text(person.name)} ({markdown_text(person.initials)})" if person.name else markdown_text(person.initials)
        still = person.still_to_update
        done = tuple(a for a in person.actions if a.updated_since_last_report)
        lines += [f"## {heading}", ""]
        if still:
            lines += [f"Please update these actions in the plan before the report as at {as_at}: the status text, "
                      "the R/A/G and, if it has moved, the due date.", ""]
        else:
            lines += [f"Every action has been updated since {since}: thank you.", ""]
        for title, group in ((f"Not yet updated since {since}", still), (f"Updated since {since}", done)):
            if group:
                lines += [f"**{title} ({len(group)}):**", ""]
                lines += [_action_line(action, repo_url, round_.branch) for action in group]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def round_summary_markdown(round_: UpdateRound) -> str:
    """The round's counts as Markdown, naming no one: for a public place such as the job summary of a public
    repository's workflow run. Who has not yet updated is in the restricted copy of the report pack only."""
    since = f"the report as at {date_in_words(round_.last_report)}" if round_.last_report else "the plan began"
    actions, updated, waiting = round_.actions, round_.updated, round_.waiting
    lines = [
        f"## Update round for the report as at {date_in_words(round_.as_at)}",
        "",
        f"{len(updated)} of {len(actions)} active actions updated since {since}; {len(waiting)} of "
        f"{len(round_.people)} people with actions still to update.",
        "",
        "| | Count |",
        "| --- | ---: |",
        f"| Active actions | {len(actions)} |",
        f"| Updated since {since} | {len(updated)} |",
        f"| Not yet updated | {len(actions) - len(updated)} |",
        f"| Sponsors and lead officers | {len(round_.people)} |",
        f"| People with actions still to update | {len(waiting)} |",
        "",
        f"The plan as committed on {round_.branch} by the end of {date_in_words(round_.as_at)} (commit "
        f"{round_.commit[:12]}); restricted actions are {'counted too' if round_.restricted else 'not counted'}. "
        "Who has not yet updated is listed in the "
        "restricted copy of the report pack (`delivery-report build --as-at DATE --restricted`) and in "
        "`delivery-report update-round`'s files, not here: this summary is public.",
    ]
    return "\n".join(lines) + "\n"
