"""The year end (issue 21, part 4): `new-year 2018/19` closes the plan year (every unfinished action carried
forward to its new ref) and opens the next (the content becomes the new plan), each step a pull request.

The shipped plan's own history is replayed into a repository with its dates, the two steps are run and
committed after 11 April 2018, and the reports are built from that history: the 2017/18 report as at
11 April 2018 stays byte for byte what it was, the closing commit's report says where each action went, and
the new plan's report shows each carried-forward action with its old ref."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, ROOT, GitRepo, run_build, run_script

from delivery_report.changes import ChangeKind, compare
from delivery_report.issues import BuildError, ContentErrors, Issue
from delivery_report.model import NOT_ASSESSED, Plan, Snapshot, following_year
from delivery_report.pipeline import BuildRequest, read_plan
from delivery_report.reading import plan_from_files
from delivery_report.rollover import applied, check_new_year, close_year, open_year
from delivery_report.sources import WorkingTree

NEW_YEAR = ROOT / "scripts" / "new_year.py"
CLOSED, OPENED = "2018-04-20", "2018-04-25"
# Each unfinished action of the shipped plan, old ref -> new ref. The 2017/18 plan itself named nine of them
# (seed 000: "Ongoing - links to Action 4.2, 2018/19 OPCC SDP"), complete ones among them; the others take the
# lowest numbers left free in their area, in ref order.
NAMED_BY_THE_PLAN = {"1.13": "1.1", "1.5": "1.2", "1.8": "1.3", "2.4": "2.3", "4.1": "4.2", "7.12": "7.12",
                     "7.14": "7.14", "9.5": "9.5", "9.7": "9.6"}
CARRIED_AT_CLOSE = {"2.1": "2.1", "2.2": "2.2", "2.3": "2.4", "3.4": "3.1", "3.11": "3.2", "3.12": "3.3",
                    "4.2": "4.1"}
CARRIED = {**NAMED_BY_THE_PLAN, **CARRIED_AT_CLOSE}


def new_year(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/new_year.py as `python scripts/new_year.py ARGS` would (in this process)."""
    result = run_script(NEW_YEAR, *args, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def build(repo: GitRepo, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_build("--content", str(repo.root / "content"), "--out", str(out), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def replay_shipped_history(repo: GitRepo) -> int:
    """Commit each version of the shipped content/ of the plan year (2017/18) with its own date, then the report
    records as the tip of this repository has them; return how many versions were replayed."""
    log = subprocess.run(["git", "-C", str(ROOT), "log", "--first-parent", "--reverse", "--format=%H %aI %s",
                          "HEAD", "--", "content"], capture_output=True, text=True, check=True).stdout
    replayed = 0
    for line in log.splitlines():
        sha, date, subject = line.split(" ", 2)
        if not date.startswith(("2017-", "2018-")):
            continue  # a later commit of this repository's own development, not of the plan year
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=zip", sha, "content"],
                                 capture_output=True, check=True).stdout
        shutil.rmtree(repo.root / "content", ignore_errors=True)
        with zipfile.ZipFile(io.BytesIO(archive)) as files:
            files.extractall(repo.root)
        repo.commit_all(subject, date)
        replayed += 1
    shutil.copytree(ROOT / "content" / "reports", repo.root / "content" / "reports", dirs_exist_ok=True)
    repo.commit_all("Report records", "2018-04-11T13:00:00+01:00")
    return replayed


@dataclass
class YearEnd:
    """The shipped plan's history with the year end committed, and what was built and printed along the way."""

    repo: GitRepo
    out: Path
    before: dict[str, bytes]
    close: subprocess.CompletedProcess[str]
    open: subprocess.CompletedProcess[str]
    checks: dict[str, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def year_end(tmp_path_factory: pytest.TempPathFactory) -> YearEnd:
    work = tmp_path_factory.mktemp("year-end")
    repo = GitRepo(work / "repo")
    assert replay_shipped_history(repo) == 3  # the plan approved, as at 7 November 2017, as at 11 April 2018
    out = work / "out"
    before: dict[str, bytes] = {}
    for day in ("2017-11-07", "2018-04-11"):
        build(repo, out / "before", "--as-at", day)
        before |= {f"report-{day}.{kind}": (out / "before" / f"report-{day}.{kind}").read_bytes()
                   for kind in ("docx", "html")}
    content = repo.root / "content"
    checks = {}
    close = new_year("2018/19", "--step", "close", "--content", content)
    repo.commit_all("Close the plan year: carry forward to 2018/19", f"{CLOSED}T12:00:00+01:00")
    checks[CLOSED] = build(repo, out, "--check", "--as-at", CLOSED)
    opening = new_year("2018/19", "--content", content)  # the next step, found by itself
    repo.commit_all("Open the 2018/19 plan", f"{OPENED}T12:00:00+01:00")
    checks[OPENED] = build(repo, out, "--check", "--as-at", OPENED)
    return YearEnd(repo, out, before, close, opening, checks)


def test_the_old_years_reports_are_byte_identical_after_the_year_end(year_end: YearEnd) -> None:
    for day in ("2017-11-07", "2018-04-11"):
        build(year_end.repo, year_end.out / "after", "--as-at", day)
        for kind in ("docx", "html"):
            name = f"report-{day}.{kind}"
            assert (year_end.out / "after" / name).read_bytes() == year_end.before[name], name


def test_closing_carries_each_unfinished_action_forward(year_end: YearEnd) -> None:
    assert year_end.close.returncode == 0, year_end.close.stderr
    for old, new in CARRIED_AT_CLOSE.items():
        assert f"  {old} -> {new} in 2018/19\n" in year_end.close.stdout
    changed = year_end.repo.git("show", "--format=", "--numstat", "HEAD~1").split("\n")
    # one line added to each of the seven files, nothing else
    assert sorted(line for line in changed if line) == sorted(
        f"1\t0\tcontent/business_areas/{folder}/{old}.md" for old, folder in (
            ("2.1", "02-partnerships"), ("2.2", "02-partnerships"), ("2.3", "02-partnerships"),
            ("3.4", "03-commissioning-contract-management"), ("3.11", "03-commissioning-contract-management"),
            ("3.12", "03-commissioning-contract-management"), ("4.2", "04-policy-development")))
    # the old year's final report says where each action went, and none of them is overdue any more
    assert "warning" not in year_end.checks[CLOSED].stdout + year_end.checks[CLOSED].stderr
    build(year_end.repo, year_end.out / "closed", "--as-at", CLOSED)
    rows = plan_rows(year_end.out / "closed" / f"report-{CLOSED}.docx")
    for old, new in CARRIED.items():
        assert f"(Ongoing - links to Action {new}, 2018/19 OPCC SDP)" in rows[old], old
    assert len(rows) == 67


def plan_rows(path: Path) -> dict[str, str]:
    """Appendix 1's rows of a DOCX report: ref -> the Current Status cell's text."""
    rows = {}
    for table in docx.Document(str(path)).tables:
        header = [cell.text for cell in table.rows[0].cells]
        if "Current Status" not in " ".join(header):
            continue
        status = next(i for i, text in enumerate(header) if "Current Status" in text)
        for row in table.rows[1:]:
            cells = [cell.text for cell in row.cells]
            rows[cells[0].strip()] = cells[status]
    return rows


def test_the_new_plans_report_shows_each_action_with_its_old_ref(year_end: YearEnd) -> None:
    assert year_end.open.returncode == 0, year_end.open.stderr
    assert "Opening 2018/19: 16 action(s) carried forward from the old plan, 51 completed, superseded or deleted " \
           "action file(s) removed" in year_end.open.stdout
    assert "warning" not in year_end.checks[OPENED].stdout + year_end.checks[OPENED].stderr
    assert "16 actions as at 2018-04-25" in year_end.checks[OPENED].stdout
    build(year_end.repo, year_end.out / "opened", "--as-at", OPENED)
    docx_path = year_end.out / "opened" / f"report-{OPENED}.docx"
    rows = plan_rows(docx_path)
    assert set(rows) == set(CARRIED.values())
    for old, new in CARRIED.items():
        assert rows[new].startswith(f"Carried forward from 2017/18 Action {old}\n"), new
        assert "Ongoing - links to" not in rows[new]
    html = (year_end.out / "opened" / f"report-{OPENED}.html").read_text(encoding="utf-8")
    for old, new in CARRIED.items():
        row = re.search(rf'<tr id="action-{re.escape(new)}".*?</tr>', html, re.S)
        assert row is not None and f"Carried forward from 2017/18 Action {old}<" in row.group(0), new
    texts = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "Thames Valley OPCC Strategic Delivery Plan 2018/19" in html
    # the cover report is the new year's; the measures keep their periods until they are updated
    assert "Attached at Appendix 1 is a copy of the OPCC Strategic Delivery Plan for 2018/19" in texts
    assert "That the PCC notes progress with the OPCC Strategic Delivery Plan 2018/19" in texts
    assert "Delivery Plan for 2017/18" not in texts and "Delivery Plan 2017/18" not in texts


def test_the_new_plan_keeps_the_text_and_renumbers_what_it_names(year_end: YearEnd) -> None:
    content = year_end.repo.root / "content"
    partnerships = content / "business_areas" / "02-partnerships"
    # 2.1 named the old 3.1, which was completed; the new plan's 3.1 is another action (the old 3.4)
    text = (partnerships / "2.1.md").read_text(encoding="utf-8")
    assert "(*links to Action 3.1, 2017/18*)" in text
    assert text.startswith('---\nref: "2.1"\ncarried_forward_from: "2017/18 2.1"\naction: >-\n')
    assert "# due: 2018-03 was its due month in 2017/18" in text and "\ndue:" not in text
    html = (year_end.out / "opened" / f"report-{OPENED}.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="action-2\.1".*?</tr>', html, re.S)
    assert row is not None and "#action-3.1" not in row.group(0) and "Action 3.1, 2017/18" in row.group(0)
    # a complete action carried on is not complete in the new year; the file moved keeps its body
    old = year_end.repo.git("show", "HEAD~1:content/business_areas/07-opcc-financial-management/7.12.md")
    new = (content / "business_areas" / "07-opcc-financial-management" / "7.12.md").read_text(encoding="utf-8")
    assert "rag: complete" in old and "rag:" not in new and "carried_forward:" not in new
    assert old.split("---\n")[2] == new.split("---\n")[2]
    # the left-behind files are gone from the tree and kept in history
    assert not (content / "business_areas" / "05-performance" / "5.1.md").exists()
    assert "rag: complete" in year_end.repo.git("show", "HEAD~1:content/business_areas/05-performance/5.1.md")
    assert (content / "business_areas" / "05-performance" / "_area.md").exists()
    assert sorted(p.name for p in (content / "reports").iterdir()) == ["2017-03-24.yaml", "2017-11-07.yaml"]
    plan = (content / "plan.md").read_text(encoding="utf-8")
    assert "period: 2018/19\n" in plan and "next_plan: 2019/20 OPCC SDP\n" in plan


def test_changes_across_the_year_end_follow_each_action_to_its_new_ref(year_end: YearEnd) -> None:
    content = year_end.repo.root / "content"

    def as_at(day: str) -> Plan:
        return read_plan(BuildRequest(content_dir=content, out_dir=year_end.out, as_at=dt.date.fromisoformat(day)))

    before, after = as_at(CLOSED), as_at(OPENED)
    summary = compare(before.public(), after.public(), dt.date(2018, 4, 20), dt.date(2018, 4, 25))
    # the old 3.4 had no rating; the new 3.1 is it, not the old (complete) 3.1
    old_3_1, old_3_4 = before.action("3.1"), before.action("3.4")
    assert old_3_1 is not None and old_3_1.rag == "complete" and old_3_4 is not None and old_3_4.rag is None
    assert summary.previous_rag["3.1"] == NOT_ASSESSED
    assert summary.previous_rag["7.12"] == "complete"
    assert not [item for item in summary.items if item.kind == ChangeKind.NEW]
    # the actions left behind closed with their year: not listed as deleted from the new plan
    assert not [item for item in summary.items if item.kind == ChangeKind.DELETED]
    assert {item.ref for item in summary.items if item.kind == ChangeKind.COMPLETED} == set()


def test_the_year_cannot_be_opened_twice_or_skipped(year_end: YearEnd) -> None:
    content = year_end.repo.root / "content"
    again = new_year("2018/19", "--content", content)
    assert again.returncode == 2
    assert again.stderr == ("error: plan.md's period is already 2018/19: that year has been opened; the next year end "
                            "opens 2019/20\n")
    assert year_end.repo.git("status", "--porcelain") == ""


# --- the steps on the small fixture plan -----------------------------------------------------------------


def fixture_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")
    return repo


def read_files(content: Path) -> tuple[Plan, dict[str, bytes]]:
    files = WorkingTree(content, "content").read_all()
    return plan_from_files(files, "content", Snapshot(as_at=dt.date(2018, 4, 20))), files


def test_the_steps_on_a_small_plan_with_a_restricted_action(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    plan, files = read_files(content)
    closing = close_year(plan, files, "2018/19", "content")
    # 1.10 already named 1.2; the red 2.1 and the restricted 2.2 take their area's first numbers
    assert [(c.old_ref, c.new_ref) for c in closing.carried] == [("2.1", "2.1"), ("2.2", "2.2")]
    assert closing.writes["business_areas/02-partnerships/2.2.md"].endswith(
        b'restricted: true\ncarried_forward: "2.2"\n---\n- SECRET-PART-2-TEXT must never be published\n')
    after_close = applied(files, closing)
    plan = plan_from_files(after_close, "content", Snapshot(as_at=dt.date(2018, 4, 20)))
    opening = open_year(plan, after_close, "2018/19", "content")
    assert [(c.old_ref, c.new_ref, c.new_path) for c in opening.carried] == [
        ("1.10", "1.2", "business_areas/01-communications/1.2.md"),
        ("2.1", "2.1", "business_areas/02-partnerships/2.1.md"),
        ("2.2", "2.2", "business_areas/02-partnerships/2.2.md")]
    assert opening.removals == tuple(f"business_areas/01-communications/{ref}.md"
                                     for ref in ("1.1", "1.3", "1.4", "1.10"))
    new_files = applied(after_close, opening)
    warnings: list[Issue] = []
    new_plan = plan_from_files(new_files, "content", Snapshot(as_at=dt.date(2018, 4, 25)), warnings=warnings)
    assert warnings == []
    assert [(a.ref, a.carried_forward_from, a.restricted) for a in new_plan.actions] == [
        ("1.2", "2017/18 1.10", False), ("2.1", "2017/18 2.1", False), ("2.2", "2017/18 2.2", True)]
    assert new_plan.info.title == "Example OPCC Strategic Delivery Plan 2018/19"
    assert new_plan.cover is not None and new_plan.cover.title == "OPCC Strategic Delivery Plan 2018/19"
    # the public copy of the new plan leaves the restricted action out, as ever
    assert [a.ref for a in new_plan.public().actions] == ["1.2", "2.1"]
    # 2.1 named 1.3, complete and left behind: its ref is now marked as the old year's
    assert b"(links to Action 1.3, 2017/18)" in new_files["business_areas/02-partnerships/2.1.md"]


def test_a_named_action_is_renumbered_in_any_text_kept(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    recommendation = content / "recommendations" / "01-local-criminal-justice-board.md"
    recommendation.write_text(recommendation.read_text(encoding="utf-8") +
                              "\nSee Actions 1.10 & 1.3, Action 1.2, 2018/19 OPCC SDP and [the row](#action-1.3).\n",
                              encoding="utf-8")
    set_line(content / "business_areas" / "02-partnerships" / "2.1.md", "rag: red", 'rag: red\ncarried_forward: "2.1"')
    set_line(content / "business_areas" / "02-partnerships" / "2.2.md", "rag: green",
             'rag: green\ncarried_forward: "2.2"')
    repo.commit_all("Closed", "2018-04-20T12:00:00+01:00")
    plan, files = read_files(content)
    opening = open_year(plan, files, "2018/19", "content")
    text = opening.writes["recommendations/01-local-criminal-justice-board.md"].decode("utf-8")
    assert "See Actions 1.2 & 1.3, 2017/18, Action 1.2, 2018/19 OPCC SDP and [the row](#action-1.3)." in text
    assert opening.notes[0].startswith("content/recommendations/01-local-criminal-justice-board.md:")
    assert "the link to #action-1.3 points at 2017/18's action 1.3, which is not carried forward" in opening.notes[0]


def set_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_opening_before_closing_is_refused_with_the_step_to_take(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    result = new_year("2018/19", "--step", "open", "--content", repo.root / "content")
    assert result.returncode == 1
    assert ("content/business_areas/02-partnerships/2.1.md:2: action 2.1 is not complete and not carried forward; run "
            "the closing step first ('delivery-report new-year 2018/19 --step close') and merge its pull "
            "request") in result.stderr
    assert "nothing was changed" in result.stderr
    assert repo.git("status", "--porcelain") == ""


@pytest.mark.parametrize("year,message", [
    ("2018-19", "'2018-19' is not a plan year; write it as plan.md's period is written, e.g. 2018/19"),
    ("2018/20", "'2018/20' is not a plan year"),
    ("2019/20", "plan.md's period is 2017/18, so the next plan year is 2018/19, not 2019/20"),
    ("2017/18", "plan.md's period is already 2017/18: that year has been opened"),
])
def test_the_new_year_is_checked_with_a_plain_message(year: str, message: str, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    result = new_year(year, "--content", repo.root / "content")
    assert result.returncode == 2 and message in result.stderr
    assert repo.git("status", "--porcelain") == ""


def test_following_year() -> None:
    assert following_year("2017/18") == "2018/19"
    assert following_year("1999/00") == "2000/01"
    assert following_year("2017/19") is None and following_year("2017-18") is None
    with pytest.raises(BuildError, match=re.escape("plan.md's period is '2017-18', not a plan year")):
        check_new_year("2017-18", "2018/19")


def test_uncommitted_changes_are_refused(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    set_line(repo.root / "content" / "plan.md", "captures", "records")
    result = new_year("2018/19", "--content", repo.root / "content")
    assert result.returncode == 2
    assert "content has changes that are not committed; commit them" in result.stderr


def test_refs_that_clash_are_content_errors(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    set_line(content / "business_areas" / "02-partnerships" / "2.1.md", "rag: red", 'rag: red\ncarried_forward: "1.2"')
    set_line(content / "business_areas" / "01-communications" / "1.4.md", "status: deleted",
             'status: deleted\ncarried_forward: "1.5"')
    repo.commit_all("Clashing refs", "2018-04-20T12:00:00+01:00")
    plan, files = read_files(content)
    with pytest.raises(ContentErrors) as raised:
        close_year(plan, files, "2018/19", "content")
    assert [str(issue) for issue in raised.value.issues] == [
        "content/business_areas/01-communications/1.4.md:9: action 1.4 is deleted but carried forward to 1.5; "
        "remove carried_forward, or make the action active again",
        "content/business_areas/02-partnerships/2.1.md:8: action 1.10 is carried forward to 1.2 too; give each "
        "action its own ref in next year's plan",
    ]


def test_the_close_keeps_a_files_line_ends_and_a_dry_run_changes_nothing(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    action = content / "business_areas" / "02-partnerships" / "2.1.md"
    action.write_bytes(action.read_bytes().replace(b"\n", b"\r\n"))
    repo.commit_all("Windows line ends", "2018-04-19T12:00:00+01:00")
    dry = new_year("2018/19", "--dry-run", "--content", content)
    assert dry.returncode == 0 and "would write /" in dry.stdout
    assert f"would write {content}/business_areas/02-partnerships/2.1.md\n" in dry.stdout
    assert repo.git("status", "--porcelain") == ""
    done = new_year("2018/19", "--content", content)
    assert done.returncode == 0, done.stderr
    assert action.read_bytes().endswith(b'rag: red\r\ncarried_forward: "2.1"\r\n---\r\n'
                                        b"- A new option has been identified (links to Action 1.3)\r\n")


def test_fields_the_year_end_cannot_edit_line_by_line_are_refused(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    set_line(content / "business_areas" / "02-partnerships" / "2.1.md", 'ref: "2.1"', '"ref": "2.1"')
    repo.commit_all("A quoted field name", "2018-04-19T12:00:00+01:00")
    result = new_year("2018/19", "--content", content)
    assert result.returncode == 2
    assert ("content/business_areas/02-partnerships/2.1.md: its fields are not each written 'name: value' at the start "
            "of a line") in result.stderr
    assert repo.git("status", "--porcelain") == ""


def test_a_link_in_the_way_is_refused(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    link = tmp_path / "linked-content"
    link.symlink_to(repo.root / "content")
    result = new_year("2018/19", "--content", link)
    assert result.returncode == 2 and "is a symbolic link" in result.stderr
    assert repo.git("status", "--porcelain") == ""


def test_the_opening_pull_request_passes_the_check_that_refuses_deleted_actions(tmp_path: Path) -> None:
    """A pull request's check refuses an action file that main has and the branch lacks, except in the pull
    request that opens the year after main's: the year end retires the old year's files, history keeps them."""
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    assert new_year("2018/19", "--content", content).returncode == 0
    repo.commit_all("Close the plan year", "2018-04-20T12:00:00+01:00")
    repo.git("checkout", "-q", "-b", "open-2018-19")
    opened = new_year("2018/19", "--content", content)
    assert opened.returncode == 0, opened.stderr
    assert not (content / "business_areas" / "01-communications" / "1.3.md").exists()
    for state in ("in the working tree", "committed on the branch"):
        if state == "committed on the branch":
            repo.commit_all("Open the 2018/19 plan", "2018-04-25T12:00:00+01:00")
        checked = run_build("--check", "--content", str(content), cwd=repo.root)
        assert checked.returncode == 0, (state, checked.stderr)
        assert "has been deleted" not in checked.stderr, state
    # a plan year that does not follow main's is no year end: the files it lacks are still deleted actions
    set_line(content / "plan.md", "period: 2018/19", "period: 2019/20")
    checked = run_build("--check", "--content", str(content), cwd=repo.root)
    assert checked.returncode == 1 and "action 1.3 has been deleted, but an action is never deleted" in checked.stderr


@pytest.mark.parametrize("meeting,reset", [
    ("Level 1 public meeting on 31^st^ March 2018", "Level 1 public meeting on"),
    ("|\n  Police and Crime Panel,\n  16 March 2018", "Level 1 public meeting on"),
    ("Level 1 public meeting on", "Level 1 public meeting on"),
])
def test_the_cover_report_is_reset_for_the_new_year(meeting: str, reset: str, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path)
    content = repo.root / "content"
    set_line(content / "cover_report.md", "meeting: Level 1 public meeting on", f"meeting: {meeting}")
    set_line(content / "cover_report.md", 'date: ""', "date: 23^rd^ March 2018")
    repo.commit_all("The final report's cover", "2018-04-11T12:00:00+01:00")
    assert new_year("2018/19", "--content", content).returncode == 0
    repo.commit_all("Close the plan year", "2018-04-20T12:00:00+01:00")
    assert new_year("2018/19", "--content", content).returncode == 0
    plan, _ = read_files(content)
    assert plan.cover is not None
    assert plan.cover.meeting == reset and plan.cover.meeting_needs_blank
    # both chief officers sign afresh: the dates of last year's approvals are gone
    assert [(c.officer, c.date) for c in plan.cover.chief_officers] == [
        ("Chief Executive", ""), ("Chief Finance Officer", "")]
    assert "1. That the PCC notes progress with the OPCC Strategic Delivery Plan 2018/19" in \
        (content / "cover_report.md").read_text(encoding="utf-8")
