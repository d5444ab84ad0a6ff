"""The update round (issue 21, parts 1 and 2): each officer's active actions and whether main changed them since the
last report, from a real git history with fixed dates; the JSON against its schema and the commits made, the Markdown;
who has not yet updated in the restricted copy of the report pack only, and the counts alone in the job summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import jsonschema
import lxml.html
import pytest
import yaml
from conftest import FIXTURES, ROOT, GitRepo, run_build
from test_history import A21, A22, A110, set_body, set_field

from delivery_report.layout.wording import date_in_words
from delivery_report.pipeline import BuildRequest, read_plan
from delivery_report.sources import LONDON, github_web_url
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


# --- the round's state in the report pack and the workflow's job summary (issue 21, part 2) -------------------------

WAITING_ROWS = [
    ["Anthony Stansfeld (PCC)", "2.1", "Ensure TVP implement new victim referral pathways.", "Ongoing", "Red",
     "7 Nov 2017"],
    ["SM", "2.1", "Ensure TVP implement new victim referral pathways.", "Ongoing", "Red", "7 Nov 2017"],
]
ROUND_HEADER = ["Sponsor or lead officer", "Ref.", "Action", "Due", "R/A/G", "Last changed"]
# The restricted copy counts the restricted action 2.2 too (updated on 10 April 2018).
ROUND_SENTENCE = ("As at 11 April 2018, 3 of 4 active actions have been updated since the report as at 7 November 2017; "
                  "2 of 4 sponsors and lead officers have actions still to update.")


def _docx_text_and_tables(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    document = docx.Document(str(path))
    return ([p.text for p in document.paragraphs],
            [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables])


def test_the_restricted_copy_lists_who_has_not_yet_updated_and_public_copies_do_not(tmp_path: Path) -> None:
    repo, _ = round_history(tmp_path)
    content = str(repo.root / "content")
    for out, extra in (("restricted", ("--restricted",)), ("public", ())):
        built = run_build("--as-at", "2018-04-11", "--content", content, "--out", str(tmp_path / out), *extra)
        assert built.returncode == 0, built.stderr

    page = lxml.html.fromstring((tmp_path / "restricted" / "report-2018-04-11-restricted.html").read_text(encoding="utf-8"))
    table = page.get_element_by_id("update-round")
    assert [th.text_content().strip() for th in table.xpath(".//thead//th")] == ROUND_HEADER
    assert [[td.text_content().strip() for td in row.xpath("./td")] for row in table.xpath(".//tbody/tr")] == WAITING_ROWS
    part = table.xpath("ancestor::section[@aria-labelledby]")[-1]
    title = part.xpath(".//h2")[0].text_content()
    assert " ".join(title.split()) == "Appendix 5: Actions not yet updated since the last report"
    assert ROUND_SENTENCE in " ".join(part.text_content().split())
    # Its ref links to the action's row in the plan; the Contents lists the appendix.
    assert table.xpath(".//tbody/tr[1]/td[2]//a/@href") == ["#action-2.1"]
    assert "Appendix 5: Actions not yet updated since the last report" in [
        " ".join(a.text_content().split()) for a in page.xpath('//nav[contains(@class, "contents")]//a')]

    paragraphs, tables = _docx_text_and_tables(tmp_path / "restricted" / "report-2018-04-11-restricted.docx")
    assert "Appendix 5: Actions not yet updated since the last report" in paragraphs
    assert any(ROUND_SENTENCE in text for text in paragraphs)
    assert [ROUND_HEADER, *WAITING_ROWS] in tables

    # The public pack: neither the section nor who has not yet updated, in any form.
    public_html = (tmp_path / "public" / "report-2018-04-11.html").read_text(encoding="utf-8")
    paragraphs, tables = _docx_text_and_tables(tmp_path / "public" / "report-2018-04-11.docx")
    public_docx = "\n".join(paragraphs + [cell for table in tables for row in table for cell in row])
    assert "Anthony Stansfeld" in public_html  # the sponsor's name in the plan's tables, as before
    for public in (public_html, public_docx):
        assert "Anthony Stansfeld (PCC)" not in public and "not yet updated" not in public.lower()
        assert "sponsors and lead officers have" not in public and "update-round" not in public
    assert ROUND_HEADER not in [table[0] for table in tables]


def test_a_working_tree_restricted_copy_has_no_round(tmp_path: Path) -> None:
    """The round reads the content as main holds it: a working-tree build (not yet what main holds) has none."""
    repo, _ = round_history(tmp_path)
    built = run_build("--content", str(repo.root / "content"), "--out", str(tmp_path / "out"), "--restricted")
    assert built.returncode == 0, built.stderr
    (html,) = (tmp_path / "out").glob("*-restricted.html")
    assert 'id="update-round"' not in html.read_text(encoding="utf-8")


SUMMARY = """## Update round for the report as at 11 April 2018

2 of 3 active actions updated since the report as at 7 November 2017; 2 of 4 people with actions still to update.

| | Count |
| --- | ---: |
| Active actions | 3 |
| Updated since the report as at 7 November 2017 | 2 |
| Not yet updated | 1 |
| Sponsors and lead officers | 4 |
| People with actions still to update | 2 |

The plan as committed on main by the end of 11 April 2018 (commit {commit}); restricted actions are not counted. \
Who has not yet updated is listed in the restricted copy of the report pack (`delivery-report build --as-at \
DATE --restricted`) and in `delivery-report update-round`'s files, not here: this summary is public.
"""


def test_the_summary_counts_the_round_and_names_no_one(tmp_path: Path) -> None:
    repo, shas = round_history(tmp_path)
    out = tmp_path / "out"
    done = update_round("--as-at", "2018-04-11", "--content", repo.root / "content", "--out", out, "--summary")
    assert done.returncode == 0, done.stderr
    # Public actions only (1.3 and 1.10 updated, 2.1 not; restricted 2.2 not counted), from the as-at commit.
    assert done.stdout == SUMMARY.format(commit=shas["secret"][:12])
    assert not re.search(r"\b(PCC|DPCC|SM|CH|Stansfeld)\b", done.stdout)
    assert not out.exists()  # written nowhere but standard output
    refused = update_round("--as-at", "2018-04-11", "--content", repo.root / "content", "--summary", "--restricted")
    assert refused.returncode == 2 and "leave out --restricted" in refused.stderr and not refused.stdout


def test_the_workflow_on_main_appends_the_counts_to_its_job_summary(tmp_path: Path) -> None:
    """The workflow's own step, run as GitHub runs it (bash, from the checkout), on a history whose every public
    action has changed since the last report: the counts are appended to the job summary, nothing else."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "report.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML reads the key 'on' as true
    steps = [step for job in workflow["jobs"].values() for step in job["steps"] if "update_round.py" in step.get("run", "")]
    assert len(steps) == 1
    step = steps[0]
    assert step["if"] == "${{ github.event_name == 'push' }}"
    assert "--summary" in step["run"] and "--restricted" not in step["run"]
    assert step["run"].rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')

    repo, _ = round_history(tmp_path)
    (repo.root / "scripts").symlink_to(ROOT / "scripts")
    summary = tmp_path / "summary.md"
    summary.write_text("# What the push changed\n", encoding="utf-8")
    command = step["run"].replace("python ", f"{sys.executable} ", 1)
    ran = subprocess.run(["bash", "-e", "-c", command], cwd=repo.root, capture_output=True, text=True, check=False,
                         env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert ran.returncode == 0, ran.stderr
    today = dt.datetime.now(LONDON).date()
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(f"# What the push changed\n## Update round for the report as at {date_in_words(today)}\n")
    # As at today the last report is still November's, and 2.1 changed on 12 April 2018: everyone has updated.
    assert "| Active actions | 3 |\n| Updated since the report as at 7 November 2017 | 3 |\n" in text
    assert "| People with actions still to update | 0 |" in text
    assert not re.search(r"\b(PCC|DPCC|SM|CH|Stansfeld)\b", text)
