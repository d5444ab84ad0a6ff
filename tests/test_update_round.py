"""The update round (issue 21, part 1): each officer's active actions and whether main changed them since the last
report, from a real git history with fixed dates; the JSON against its schema and the commits made, the Markdown."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, GitRepo
from test_history import A21, A22, A110, set_body, set_field

from delivery_report.pipeline import BuildRequest, read_plan
from delivery_report.sources import github_web_url
from delivery_report.update_round import markdown_text

SCRIPT = ROOT / "scripts" / "update_round.py"
SCHEMA = json.loads((ROOT / "schemas" / "export" / "update-round.schema.json").read_text(encoding="utf-8"))
A13 = "content/business_areas/01-communications/1.3.md"
EDIT = "https://github.com/thames/plan/edit/main/content/business_areas"


def update_round(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run scripts/update_round.py as a user would."""
    result = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def round_history(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    """A plan's year up to the April 2018 report, with the commits named:

    approved  2017-03-24 12:00 GMT  the fixture content (PCC/DPCC sponsor 1.10, PCC 2.1 and restricted 2.2, SM 1.3)
    november  2017-11-07 23:30 GMT  2.1's status and restricted 2.2's: the report's own day, so not since it
    late      2017-11-08 00:30 GMT  1.3 goes amber and due February 2018 (overdue in April): the next day, so since
    record    2017-11-20 10:00 GMT  reports/2017-11-07.yaml, the last report before April
    merge     2018-04-09 09:00 BST  a pull request changing 1.10, its commit made on a branch on 1 December 2017
    secret    2018-04-10 09:00 BST  restricted 2.2 goes amber
    after     2018-04-12 09:00 BST  2.1 goes amber: after the round's date, so not counted
    """
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    shas = {"approved": repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")}
    set_body(repo, A21, "- A new referral option has been agreed with TVP\n")
    set_body(repo, A22, "- SECRET-PART-2-TEXT changed in November\n")
    shas["november"] = repo.commit_all("November statuses", "2017-11-07T23:30:00+00:00")
    set_field(repo, A13, "rag", "amber")
    set_field(repo, A13, "due", "2018-02")
    shas["late"] = repo.commit_all("1.3 at risk", "2017-11-08T00:30:00+00:00")
    repo.write("content/reports/2017-11-07.yaml", "as_at: 2017-11-07\nmeeting: Police and Crime Panel\n")
    shas["record"] = repo.commit_all("Record the November report", "2017-11-20T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "officer-edit")
    set_body(repo, A110, "- The strategy is published\n")
    shas["branch"] = repo.commit_all("1.10 status", "2017-12-01T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #3 from officer-edit", "officer-edit",
             date="2018-04-09T09:00:00+01:00")
    shas["merge"] = repo.git("rev-parse", "HEAD").strip()
    set_field(repo, A22, "rag", "amber")
    shas["secret"] = repo.commit_all("2.2 at risk", "2018-04-10T09:00:00+01:00")
    set_field(repo, A21, "rag", "amber")
    shas["after"] = repo.commit_all("2.1 at risk", "2018-04-12T09:00:00+01:00")
    return repo, shas


# The actions as the commits above leave them on 11 April 2018.
A_1_3 = {"ref": "1.3", "title": "Promote the 'Victims First Portal'.", "due": "2018-02", "rag": "amber",
         "overdue": True, "updated_since_last_report": True, "last_changed": "2017-11-08"}
A_1_10 = {"ref": "1.10", "title": "Implement the 2017 Communication Strategy.", "due": "2018-03", "rag": "amber",
          "overdue": False, "updated_since_last_report": True, "last_changed": "2018-04-09"}  # carried forward: not overdue
A_2_1 = {"ref": "2.1", "title": "Ensure TVP implement new victim referral pathways.", "due": "Ongoing", "rag": "red",
         "overdue": False, "updated_since_last_report": False, "last_changed": "2017-11-07"}
A_2_2 = {"ref": "2.2", "title": "Confidential review of a commissioned provider.", "due": "2018-01", "rag": "amber",
         "overdue": True, "updated_since_last_report": True, "last_changed": "2018-04-10"}


def _read(out: Path, name: str) -> tuple[dict[str, object], str]:
    document = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    return document, (out / f"{name}.md").read_text(encoding="utf-8")


def test_the_round_names_who_updated_what_since_the_last_report(tmp_path: Path) -> None:
    repo, shas = round_history(tmp_path)
    out = tmp_path / "out"
    done = update_round("--as-at", "2018-04-11", "--content", repo.root / "content", "--out", out)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["update-round-2018-04-11.json", "update-round-2018-04-11.md"]
    document, markdown = _read(out, "update-round-2018-04-11")
    assert document == {
        "as_at": "2018-04-11",
        "last_report": "2017-11-07",
        "people": [
            {"initials": "PCC", "name": "Anthony Stansfeld", "actions": [A_1_10, A_2_1]},
            {"initials": "DPCC", "name": None, "actions": [A_1_10]},
            {"initials": "SM", "name": None, "actions": [A_1_3, A_2_1]},
            {"initials": "CH", "name": None, "actions": [A_1_3, A_1_10]},
        ],
    }
    # Nothing of the restricted action: not its ref, its text, nor the day it changed.
    for public in (json.dumps(document), markdown):
        assert "2.2" not in public and "Confidential" not in public and "SECRET" not in public
        assert "2018-04-10" not in public and "10 April 2018" not in public
    assert "2 of 3 active actions updated since the report as at 7 November 2017" in done.stdout
    assert "2 of 4 people still to update: PCC, SM." in done.stdout
    assert f"(commit {shas['merge'][:12]})" not in markdown and f"(commit {shas['secret'][:12]})" in markdown

    # The same commit and records give the same bytes.
    again = tmp_path / "again"
    assert update_round("--as-at", "2018-04-11", "--content", repo.root / "content", "--out", again).returncode == 0
    assert {p.name: p.read_bytes() for p in again.iterdir()} == {p.name: p.read_bytes() for p in out.iterdir()}


def test_restricted_actions_only_with_restricted(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    out = tmp_path / "out"
    done = update_round("--as-at", "2018-04-11", "--content", repo.root / "content", "--out", out, "--restricted")
    assert done.returncode == 0, done.stderr
    # A file of its own, never the public round's name.
    assert sorted(p.name for p in out.iterdir()) == ["update-round-2018-04-11-restricted.json",
                                                     "update-round-2018-04-11-restricted.md"]
    document, markdown = _read(out, "update-round-2018-04-11-restricted")
    people = {p["initials"]: p["actions"] for p in document["people"]}  # type: ignore[attr-defined]
    assert people == {"PCC": [A_1_10, A_2_1, A_2_2], "DPCC": [A_1_10], "SM": [A_1_3, A_2_1, A_2_2], "CH": [A_1_3, A_1_10]}
    assert markdown.startswith("# Update round for the report as at 11 April 2018\n\n**RESTRICTED - NOT FOR PUBLICATION.**")
    assert "- **2.2** Confidential review of a commissioned provider. (due Jan 2018; Amber; **overdue**; " \
           "sponsor; last changed 10 April 2018)" in markdown


def test_without_an_earlier_report_every_commit_counts(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    out = tmp_path / "out"
    # The only record is of 7 November itself: there is no report before it.
    assert update_round("--as-at", "2017-11-07", "--content", repo.root / "content", "--out", out).returncode == 0
    document, markdown = _read(out, "update-round-2017-11-07")
    assert document["last_report"] is None
    actions = {a["ref"]: a for p in document["people"] for a in p["actions"]}  # type: ignore[attr-defined]
    assert {ref: (a["updated_since_last_report"], a["last_changed"], a["rag"]) for ref, a in actions.items()} == {
        "1.3": (True, "2017-03-24", "complete"), "1.10": (True, "2017-03-24", "amber"), "2.1": (True, "2017-11-07", "red")}
    assert "There is no earlier report record, so every change since the plan began counts as an update." in markdown


def test_the_markdown_is_a_section_per_person_with_edit_links(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    out = tmp_path / "out"
    done = update_round("--as-at", "2018-04-11", "--content", repo.root / "content", "--out", out,
                        "--repo-url", "https://github.com/thames/plan.git")
    assert done.returncode == 0, done.stderr
    markdown = (out / "update-round-2018-04-11.md").read_text(encoding="utf-8")
    sections = markdown.split("\n## ")
    assert [s.split("\n", 1)[0] for s in sections[1:]] == ["Anthony Stansfeld (PCC)", "DPCC", "SM", "CH"]
    pcc = sections[1]
    assert pcc == (
        "Anthony Stansfeld (PCC)\n\n"
        "Please update these actions in the plan before the report as at 11 April 2018: the status text, the R/A/G "
        "and, if it has moved, the due date.\n\n"
        "**Not yet updated since the report as at 7 November 2017 (1):**\n\n"
        "- **2.1** Ensure TVP implement new victim referral pathways. (due Ongoing; Red; sponsor; last changed "
        f"7 November 2017) [Edit 2.1 on GitHub]({EDIT}/02-partnerships/2.1.md)\n\n"
        "**Updated since the report as at 7 November 2017 (1):**\n\n"
        "- **1.10** Implement the 2017 Communication Strategy. (due Mar 2018; Amber; sponsor; last changed "
        f"9 April 2018) [Edit 1.10 on GitHub]({EDIT}/01-communications/1.10.md)\n"
    )
    ch = sections[4]
    assert "Every action has been updated since the report as at 7 November 2017: thank you." in ch
    assert "- **1.3** Promote the 'Victims First Portal'. (due Feb 2018; Amber; **overdue**; lead; last changed " \
           "8 November 2017)" in ch
    assert "Not yet updated" not in ch


def test_edit_links_from_the_origin_remote_on_github_only(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    content, out = repo.root / "content", tmp_path / "out"
    repo.git("remote", "add", "origin", "git@github.com:thames/plan.git")
    assert update_round("--as-at", "2018-04-11", "--content", content, "--out", out).returncode == 0
    markdown = (out / "update-round-2018-04-11.md").read_text(encoding="utf-8")
    assert markdown.count(f"]({EDIT}/") == 7  # one per action per person: 2 + 1 + 2 + 2

    repo.git("remote", "set-url", "origin", "https://gitlab.example.com/thames/plan.git")
    done = update_round("--as-at", "2018-04-11", "--content", content, "--out", out)
    assert done.returncode == 0
    assert "](http" not in (out / "update-round-2018-04-11.md").read_text(encoding="utf-8")
    assert "No edit links: the repository's 'origin' is not on github.com; give --repo-url" in done.stdout


@pytest.mark.parametrize(("remote", "web"), [
    ("git@github.com:thames/plan.git", "https://github.com/thames/plan"),
    ("https://github.com/thames/plan", "https://github.com/thames/plan"),
    ("https://github.com/thames/plan.git/", "https://github.com/thames/plan"),
    ("ssh://git@github.com:22/thames/plan.git", "https://github.com/thames/plan"),
    ("https://x-access-token:ghp_SECRET@github.com/thames/plan.git", "https://github.com/thames/plan"),
    ("https://gitlab.com/thames/plan.git", None),
    ("git@github.com.evil.example:thames/plan.git", None),
    ("https://github.com@evil.example/thames/plan", None),
    ("https://github.com/thames", None),
    ("https://github.com/thames/plan/tree/main", None),
    ("/srv/git/plan.git", None),
])
def test_a_remote_becomes_its_web_address_on_github(remote: str, web: str | None) -> None:
    assert github_web_url(remote) == web


def test_text_typed_in_a_title_stays_text_in_the_markdown(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    set_field(repo, A21, "action", '"Ask @comms-team about #12 and `code` 1 <2> 3 | x"')
    repo.commit_all("A title full of Markdown", "2018-04-12T10:00:00+01:00")
    out = tmp_path / "out"
    assert update_round("--as-at", "2018-04-13", "--content", repo.root / "content", "--out", out).returncode == 0
    document, markdown = _read(out, "update-round-2018-04-13")
    title = next(a["title"] for p in document["people"] for a in p["actions"] if a["ref"] == "2.1")  # type: ignore[attr-defined]
    assert "@comms-team" in title and "#12" in title
    assert f"- **2.1** {markdown_text(title)} (" in markdown
    assert "@comms" not in markdown.replace("\\@comms", "") and "<2>" not in markdown
    assert markdown_text("a * b [c](d) @e #1 <f> `g` &amp; & h") == r"a \* b \[c\](d) \@e \#1 \<f\> \`g\` \&amp; & h"


def test_a_round_that_cannot_run_says_why_and_writes_nothing(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    content, out = repo.root / "content", tmp_path / "out"
    before = update_round("--as-at", "2016-01-01", "--content", content, "--out", out)
    assert before.returncode == 2 and "nothing was committed by the end of 2016-01-01" in before.stderr
    inside = update_round("--as-at", "2018-04-11", "--content", content, "--out", content / "round")
    assert inside.returncode == 2 and "inside the content folder" in inside.stderr
    bad_url = update_round("--as-at", "2018-04-11", "--content", content, "--out", out, "--repo-url", "ftp://x/y/z")
    assert bad_url.returncode == 2 and "is not a repository's web address" in bad_url.stderr
    assert update_round("--content", content).returncode == 2  # --as-at is required
    assert not out.exists() and not (content / "round").exists()
    (out / "update-round-2018-04-11.md").mkdir(parents=True)
    blocked = update_round("--as-at", "2018-04-11", "--content", content, "--out", out)
    assert blocked.returncode == 2 and "is a folder, not an ordinary file" in blocked.stderr
    assert [p.name for p in out.iterdir()] == ["update-round-2018-04-11.md"]


def test_the_real_plan_as_at_april_2018(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = update_round("--as-at", "2018-04-11", "--content", ROOT / "content", "--out", out)
    assert done.returncode == 0, done.stderr
    document, markdown = _read(out, "update-round-2018-04-11")
    assert document["last_report"] == "2017-11-07"
    people = document["people"]
    assert isinstance(people, list) and people
    plan = read_plan(BuildRequest(content_dir=ROOT / "content", out_dir=out, as_at=dt.date(2018, 4, 11))).public()
    active = [a for a in plan.actions if a.lifecycle == "active"]
    for person in people:
        theirs = [a.ref for a in active if person["initials"] in a.sponsor + a.lead]
        assert [a["ref"] for a in person["actions"]] == theirs
        heading = f"## {person['name']} ({person['initials']})" if person["name"] else f"## {person['initials']}"
        assert f"\n{heading}\n" in markdown
        for action in person["actions"]:
            # Updated since the report exactly when main last changed the file after 7 November 2017.
            assert action["updated_since_last_report"] == (action["last_changed"] > "2017-11-07")
    listed = {a["ref"] for p in people for a in p["actions"]}
    assert listed == {a.ref for a in active if a.sponsor or a.lead}
    assert {p["initials"] for p in people} == {i for a in active for i in a.sponsor + a.lead}
