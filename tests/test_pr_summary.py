"""The pull request's job summary: what changes in the public report between two commits."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import ROOT, GitRepo, run_script

from delivery_report.prsummary import markdown_text

SCRIPT = ROOT / "scripts" / "pr_summary.py"
ACTION_21 = "content/business_areas/02-partnerships/2.1.md"


def _summary(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return run_script(SCRIPT, *args, cwd=repo.root)


def _edit(repo: GitRepo, rel: str, old: str, new: str) -> None:
    path = repo.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pull_request(repo: GitRepo) -> None:
    """A branch 'officer' that moves 2.1 to amber, 1.3's due date, adds 2.3; changes restricted 2.2, adds 2.4."""
    repo.git("checkout", "-q", "-b", "officer")
    _edit(repo, ACTION_21, "rag: red", "rag: amber")
    _edit(repo, "content/business_areas/01-communications/1.3.md", "due: 2018-03", "due: 2018-06")
    _edit(repo, "content/business_areas/02-partnerships/2.2.md", "rag: green", "rag: red")
    repo.write("content/business_areas/02-partnerships/2.3.md",
               '---\nref: "2.3"\naction: \"Agree a *new* protocol with @partners (see #12).\"\ndue: 2018-09\n'
               "sponsor: PCC\nlead: SM\n---\n")
    repo.write("content/business_areas/02-partnerships/2.4.md",
               '---\nref: "2.4"\naction: Secret Part 2 work.\nsponsor: PCC\nlead: SM\nrestricted: true\n---\n')
    repo.commit_all("Officer's update", "2017-04-02T12:00:00+01:00")


def test_summary_names_each_public_change(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    _pull_request(repo)
    result = _summary(repo, "--base", "main", "--head", "officer")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("## Report preview\n\nThis pull request changes the report: ")
    sentence = text.splitlines()[2]
    assert "2.1 R/A/G Red → Amber" in sentence
    assert "new action 2.3" in sentence
    assert "1.3 due Mar 2018 → Jun 2018" in sentence
    assert "| 2.1 | R/A/G moved | Red | Amber |" in text
    # Restricted actions (a changed one, a new one) are never named on the public pull-request page.
    assert "2.2" not in text and "2.4" not in text and "Secret" not in text and "Confidential" not in text
    # Content text is made inert: no emphasis, no @mention, no issue link.
    assert r"Agree a new protocol with \@partners (see \#12)" in text


def test_working_tree_is_the_default_head_and_no_change_says_so(repo_with_content: GitRepo) -> None:
    result = _summary(repo_with_content, "--base", "main")
    assert result.returncode == 0, result.stderr
    assert "This pull request does not change the public report." in result.stdout
    _edit(repo_with_content, ACTION_21, "- A new option", "- A better option")
    result = _summary(repo_with_content, "--base", "main")
    assert "edits wording only" in result.stdout
    assert "Also edited: text of action 2.1." in result.stdout


def test_broken_head_lists_its_problems(repo_with_content: GitRepo) -> None:
    _edit(repo_with_content, ACTION_21, "rag: red", "rag: scarlet")
    result = _summary(repo_with_content, "--base", "main")
    assert result.returncode == 0, result.stderr
    assert "The report cannot be built from the pull request's content: the check found 1 problem." in result.stdout
    assert f"- `{ACTION_21}` line 7: rag 'scarlet' is not one of this plan's ratings" in result.stdout


def test_unknown_ref_is_a_usage_error(repo_with_content: GitRepo) -> None:
    result = _summary(repo_with_content, "--base", "no-such-branch")
    assert result.returncode == 2
    assert "'no-such-branch' is not a commit" in result.stderr
    result = _summary(repo_with_content, "--base", "--output=x")
    assert result.returncode == 2


def test_markdown_text_escapes_formatting() -> None:
    assert markdown_text("a *b* [c](d) `e` | f #1 @g\nh") == r"a \*b\* \[c\](d) \`e\` \| f \#1 \@g h"
    assert markdown_text("<script>") == "&lt;script&gt;"


def test_real_plan_november_to_april(tmp_path: Path) -> None:
    """The real plan's history: 7 Nov 2017 to 11 Apr 2018 completes 3.6 (was Amber) and moves 4.1's due date."""
    log = subprocess.run(["git", "log", "--format=%H %s", "--", "content"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    shas = {subject.split(" (")[0]: sha for sha, subject in (line.split(" ", 1) for line in log)}
    base, head = shas["Statuses as at 7 November 2017"], shas["Statuses as at 11 April 2018"]
    result = run_script(SCRIPT, "--base", base, "--head", head, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "| 3.6 | Completed | Amber | Complete |" in result.stdout
    assert "| 4.1 | Due date moved | Dec 2017 | Mar 2018 |" in result.stdout


def test_push_wording_and_artifact_name(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    _pull_request(repo)
    result = _summary(repo, "--push", "--artifact", "report-abc123", "--base", "main", "--head", "officer")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].startswith("This push changes the report: ")
    assert "the artifact **report-abc123**." in result.stdout
    head = repo.git("rev-parse", "officer").strip()
    labelled = _summary(repo, "--base", "main", "--head", head)
    assert f"Compared {head[:12]} with main (" in labelled.stdout


def test_every_change_to_one_action_is_listed(repo_with_content: GitRepo) -> None:
    """R/A/G, due date and the progress update of 2.1 changed at once: all three are in the summary, and a
    business area's introduction edited alongside is not hidden by the action's changes either."""
    repo = repo_with_content
    _edit(repo, ACTION_21, "rag: red", "rag: amber")
    _edit(repo, ACTION_21, "due: Ongoing", "due: 2018-06")
    _edit(repo, ACTION_21, "- A new option has been identified", "- The new pathway went live in May")
    _edit(repo, "content/business_areas/01-communications/1.3.md", "priorities: [2]", "priorities: [1, 2]")
    _edit(repo, "content/business_areas/02-partnerships/_area.md", "title: Partnerships", "title: Partnership working")
    result = _summary(repo, "--base", "main")
    assert result.returncode == 0, result.stderr
    sentence = result.stdout.splitlines()[2]
    assert sentence == "This pull request changes the report: 2.1 R/A/G Red → Amber; 2.1 due Ongoing → Jun 2018."
    assert "| 2.1 | R/A/G moved | Red | Amber |" in result.stdout
    assert "| 2.1 | Due date moved | Ongoing | Jun 2018 |" in result.stdout
    also = next(line for line in result.stdout.splitlines() if line.startswith("Also edited: "))
    assert also == "Also edited: strategic priorities of action 1.3; text of action 2.1; business area 2 (_area.md)."
