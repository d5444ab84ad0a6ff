"""Issue 18: nothing an officer types is lost or published by mistake.

The pull-request workflow's own check command, run as the workflow runs it on a real git repository, goes red
on each data-losing mistake (the fixture cases in fixtures/content_errors.txt pin every message); prose that
merely looks like a field is not refused; the templates' placeholders are defined once, fail the check and
a dated build, and are shown, marked DRAFT, by a working-tree build.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from conftest import FIXTURES, ROOT, GitRepo, run_build

from delivery_report import richtext
from delivery_report.hints import due_month, rating_hint
from delivery_report.importer.mapping import ImportedPlan
from delivery_report.importer.write import PLACEHOLDER, content_files
from delivery_report.issues import UNFINISHED
from delivery_report.layout.wording import UNFINISHED_MARK
from delivery_report.model import Rating, RatingScale
from delivery_report.newaction import plan_new_action
from delivery_report.unfinished import IMPORT_NOTE, NEW_ACTION_EXAMPLES, TO_FILL_IN, find_unfinished
from delivery_report.validate import unknown_rating

WORKFLOW = ROOT / ".github" / "workflows" / "report.yml"
ACTION = "business_areas/01-communications/1.3.md"
ACTION_FIELDS = 'ref: "1.3"\naction: Promote the portal.\npriorities: [2]\ndue: 2018-03\nsponsor: SM\nlead: CH\n'


def _action(extra_fields: str = "", body: str = "- The portal was agreed in principle.\n") -> str:
    return f"---\n{ACTION_FIELDS}{extra_fields}---\n{body}"


def _new_action_template() -> str:
    """Action 1.11 exactly as `delivery-report new-action 1` writes it into the minimal content."""
    paths = [p.relative_to(FIXTURES / "minimal" / "content").as_posix()
             for p in (FIXTURES / "minimal" / "content").rglob("*") if p.is_file()]
    new = plan_new_action(paths, "1")
    assert new.path == "business_areas/01-communications/1.11.md"
    return new.text


# (mistake, files changed: path under content/ -> new text, or None to delete it, the line the check prints)
MISTAKES = [
    ("a field name in capitals", {ACTION: _action("RAG: red\n")},
     f"content/{ACTION}:8: unknown field 'RAG' would be left out of the report; did you mean 'rag'?"),
    ("a misspelt field", {ACTION: _action("sponser: PCC\n")},
     f"content/{ACTION}:8: unknown field 'sponser' would be left out of the report; did you mean 'sponsor'?"),
    ("a field typed below the closing '---'", {ACTION: _action(body="rag: red\n- The portal was agreed.\n")},
     f"content/{ACTION}:9: 'rag: red' reads as the field 'rag' but is below the closing '---'"),
    ("the new-action template left as written",
     {"business_areas/01-communications/1.11.md": _new_action_template()},
     "content/business_areas/01-communications/1.11.md:4: the new action still has the template's text"),
    ("the importer's TO FILL IN",
     {"plan.md": "---\ntitle: \"TO FILL IN: the plan's title\"\norganisation: OPCC\nperiod: 2017/18\n"
                 "police_and_crime_plan: Police and Crime Plan 2017-2021\n---\n"},
     "content/plan.md:2: 'TO FILL IN: the plan's title' is still to be written"),
    ("the importer's '# import:' note", {ACTION: _action("# import: the due date could not be read\n")},
     f"content/{ACTION}:8: the import left a note here ('# import: the due date could not be read')"),
    ("a link reference definition", {ACTION: _action(body="- See the [minutes].\n\n[minutes]: https://example.org/m\n")},
     f"content/{ACTION}:11: a link definition ('[name]: address') is never printed"),
    ("an HTML comment", {ACTION: _action(body="- Launched.\n<!-- for reviewers: date not confirmed -->\n")},
     f"content/{ACTION}:10: an HTML comment '<!-- ... -->' is hidden on GitHub but would be printed"),
    ("a list nested four deep", {ACTION: _action(body="- 1\n  - 2\n    - 3\n      - 4\n")},
     f"content/{ACTION}:12: this list item is nested 4 levels deep"),
    ("a deleted action file", {"business_areas/01-communications/1.4.md": None},
     "content/business_areas/01-communications/1.4.md:1: action 1.4 has been deleted"),
    ("priorities as named fields", {ACTION: _action().replace("priorities: [2]", "priorities: {a: b}")},
     f"content/{ACTION}:4: 'priorities' must be a number or a list of numbers"),
    ("aims that are not a list",
     {"priorities.yaml": "priorities:\n  - number: 1\n    title: Vulnerability\n    aims: Mental health.\n"
                         "  - number: 2\n    title: Prevention\n"},
     "content/priorities.yaml:4: 'aims' must be a list"),
    ("an empty values:",
     {"kpis/domestic-violence.md": (FIXTURES / "minimal" / "content" / "kpis" / "domestic-violence.md")
      .read_text(encoding="utf-8").replace("\n---\nThere", "\nvalues:\n---\nThere")},
     "content/kpis/domestic-violence.md:10: 'values' must be a list"),
]


def workflow_check_command() -> list[str]:
    """The command the pull-request workflow's 'Check the content' step runs, as its argument list."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    check = next(step for step in steps if step.get("name") == "Check the content")
    assert "if" not in check  # it runs on every pull request
    return shlex.split(check["run"])


@pytest.fixture(scope="module")
def command() -> list[str]:
    found = workflow_check_command()
    assert found[:2] == ["python", "scripts/build.py"] and "--check" in found, found
    return [sys.executable, *found[1:]]  # the workflow's python is the one the package is installed in


def _pull_request(tmp_path: Path, files: dict[str, str | None]) -> GitRepo:
    """A plan's repository with the minimal content on main, and a pull request's branch checked out that makes
    `files`' changes: as the workflow's checkout leaves it, with the history."""
    repo = GitRepo(tmp_path / "plan")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    (repo.root / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "build.py", repo.root / "scripts" / "build.py")
    repo.commit_all("The plan", "2017-03-24T12:00:00+00:00")
    repo.git("checkout", "-q", "-b", "officer-edit")
    for rel, text in files.items():
        if text is None:
            (repo.root / "content" / rel).unlink()
        else:
            repo.write(f"content/{rel}", text)
    if files:
        repo.commit_all("An officer's edit", "2017-04-03T12:00:00+01:00")
    return repo


def _run(command: list[str], repo: GitRepo) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo.root)}
    return subprocess.run(command, cwd=repo.root, env=environment, capture_output=True, text=True, timeout=300)


def test_the_workflow_check_is_green_on_the_plan_as_it_is(command: list[str], tmp_path: Path) -> None:
    """The control: without a mistake, the same command on the same repository passes (warnings only)."""
    result = _run(command, _pull_request(tmp_path, {}))
    assert result.returncode == 0, result.stderr
    assert all(": warning: " in line for line in result.stderr.splitlines() if line.startswith("content/"))


@pytest.mark.parametrize(("mistake", "files", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_the_pull_request_workflow_goes_red_on_each_data_losing_mistake(
        command: list[str], tmp_path: Path, mistake: str, files: dict[str, str | None], expected: str) -> None:
    result = _run(command, _pull_request(tmp_path, files))
    assert result.returncode == 1, f"{mistake}: exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr
    # ... and the problem is marked on its line of the pull request, as an error, not a warning.
    path, line = expected.split(":")[:2]
    assert any(out.startswith(f"::error file={path},line={line}::") for out in result.stdout.splitlines()), result.stdout


# --- prose that looks like a field is not refused ------------------------------------------------------


def test_only_a_line_that_is_exactly_a_field_of_the_file_is_taken_for_one() -> None:
    names = frozenset({"rag", "due", "lead", "action", "status"})
    text = "\n".join([
        "Note: the Panel agreed the plan.",  # 0: not a field of an action
        "- Lead: Sarah Mills, from April",  # 1: a list item: prose
        "- Agreed in principle,",  # 2
        "  lead: SM",  # 3: indented under the item: part of its text
        "```",  # 4
        "rag: red",  # 5: inside a code block, printed as typed
        "```",  # 6
        "rag:red",  # 7: no space after the colon: not how a field is written
        "lead: SM",  # 8: a field
        "RAG: Red",  # 9: a field, in any case
        "Action: the Panel will write to partners",  # 10: 'action' is a field of an action: reported
        "R/A/G: amber",  # 11: as plans head the column
        "Key aims: 1.4",  # 12: 'key_aims' with a space
        "The Panel said: agreed",  # 13: words that are not a field
    ])
    found = richtext.field_like_lines(text, names | {"key_aims"})
    assert found == [(8, "lead", "SM"), (9, "RAG", "Red"), (10, "Action", "the Panel will write to partners"),
                     (11, "R/A/G", "amber"), (12, "Key aims", "1.4")]


def test_prose_with_a_colon_passes_the_check(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / ACTION).write_text(_action(body="Note: the Panel agreed the plan.\n- Lead: SM, from April\n"),
                                       encoding="utf-8")
    result = run_build("--check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_quote_is_drawn_with_all_its_text(content_copy: Path, tmp_path: Path) -> None:
    """'>' quotes are drawn as their paragraphs (neither output has a quote style): nothing in them is lost."""
    (content_copy / ACTION).write_text(_action(body="> The Panel said:\n>> the portal is welcome\n"), encoding="utf-8")
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = "\n".join(cell.text for table in docx.Document(str(next((tmp_path / "out").glob("*.docx")))).tables
                     for row in table.rows for cell in row.cells)
    assert "The Panel said:" in text and "the portal is welcome" in text


# --- hints that name the line to type -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "month"), [
    ("31/03/2018", "2018-03"), ("31.03.2018", "2018-03"), ("2018-03-31", "2018-03"), ("03/2018", "2018-03"),
    ("2018/03", "2018-03"), ("31 March 2018", "2018-03"), ("31st March 2018", "2018-03"), ("March 31, 2018", "2018-03"),
    ("Mar 2018", "2018-03"), ("Sept 2018", "2018-09"), ("13/2018", None), ("2018-13-01", None), ("end of 2018", None),
    ("31 Ma 2018", None),
])
def test_a_due_date_written_another_way_names_its_month(typed: str, month: str | None) -> None:
    assert due_month(typed) == month


def test_the_rating_hint_works_from_the_scale_it_is_given() -> None:
    """One small function of the ratings, so that an office's own scale (plan.md) can be passed to it."""
    scale = ("red", "amber", "green", "white", "complete")
    assert "write 'rag: complete' (or, if it is not finished, 'rag: green')" in str(rating_hint("Green (C)", scale))
    assert "write the rating in full: 'rag: green'" in str(rating_hint("G", scale))
    assert "'rag: amber' or 'rag: green'" in str(rating_hint("Amber/Green", scale))
    assert "write 'rag: red'" in str(rating_hint("RED!", scale))
    # Another office's scale: no 'complete', a 'blue', and the labels its report prints.
    other = ("red", "amber", "green", "blue")
    labels = {"red": "Off track", "amber": "At risk", "green": "On track", "blue": "Completed"}
    assert "write the rating in full: 'rag: blue'" in str(rating_hint("B", other, labels))
    assert "write 'rag: green'" in str(rating_hint("on  track", other, labels))
    assert "write 'rag: blue'" in str(rating_hint("Completed", other, labels))
    assert rating_hint("(C)", other, labels) is None  # nothing on this scale is meant: the reader lists the ratings
    assert rating_hint("purple", scale) is None
    # Its rating for a finished action, as plan.md flags it.
    assert "write 'rag: blue'" in str(rating_hint("(C)", other, labels, complete="blue"))


def test_the_check_feeds_the_hint_the_offices_own_scale() -> None:
    scale = RatingScale((Rating("red", "Off track", "FF0000", "late"), Rating("green", "On track", "00B050", "fine"),
                         Rating("done", "Delivered", "0070C0", "finished", complete=True)))
    assert "write 'rag: done'" in unknown_rating("green (c)", scale)
    assert "write 'rag: green'" in unknown_rating("on track", scale)
    assert "write the rating in full: 'rag: red'" in unknown_rating("r", scale)
    assert unknown_rating("purple", scale).startswith("rag 'purple' is not one of this plan's ratings (red, green, done)")


# --- the templates' placeholders ------------------------------------------------------------------------


def test_the_writers_placeholders_are_the_ones_the_check_finds() -> None:
    """Defined once (unfinished.py): what the new-action template and the importer write is what is refused."""
    template = _new_action_template()
    found = find_unfinished("1.11.md", template.encode())
    assert [issue.line for issue in found] == [4, 6, 7, 8] and {i.severity for i in found} == {UNFINISHED}
    for key, (example, _) in NEW_ACTION_EXAMPLES.items():
        assert f"# {key}: {example}" in template
    assert PLACEHOLDER == TO_FILL_IN
    files = content_files(ImportedPlan(), "plan.docx")  # a document that gave none of the plan's details
    for rel in ("plan.md", "cover_report.md"):
        lines = {issue.line for issue in find_unfinished(rel, files[rel].encode())}
        expected = {n for n, line in enumerate(files[rel].split("\n"), 1) if TO_FILL_IN in line or line.startswith(IMPORT_NOTE)}
        assert expected and lines == expected, rel


def test_placeholders_fail_the_check_and_a_dated_build_but_a_working_tree_build_shows_them_marked_draft(
        repo_with_content: GitRepo, tmp_path: Path) -> None:
    repo = repo_with_content
    repo.write("content/business_areas/01-communications/1.11.md", _new_action_template())
    repo.commit_all("New action 1.11", "2017-04-03T12:00:00+01:00")
    content = str(repo.root / "content")
    check = run_build("--check", "--content", content)
    assert check.returncode == 1
    assert f"{content}/business_areas/01-communications/1.11.md:6: the new-action template's line '# due: 2018-09'" in check.stderr
    dated = run_build("--as-at", "2017-04-04", "--content", content, "--out", str(tmp_path / "dated"))
    assert dated.returncode == 1 and "the new action still has the template's text" in dated.stderr
    assert not (tmp_path / "dated").exists()

    built = run_build("--content", content, "--out", str(tmp_path / "preview"))
    assert built.returncode == 0, built.stderr
    assert "with text still to be filled in (DRAFT)" in built.stdout
    assert f"{content}/business_areas/01-communications/1.11.md:4: warning: the new action still has" in built.stderr
    report = docx.Document(str(next((tmp_path / "preview").glob("*.docx"))))
    assert any(p.text == UNFINISHED_MARK for p in report.paragraphs)
    assert any("Write the action here" in cell.text for table in report.tables for row in table.rows
               for cell in row.cells)
    html = next((tmp_path / "preview").glob("*.html")).read_text(encoding="utf-8")
    assert UNFINISHED_MARK in html
    # With --strict the working-tree build stops on them too.
    strict = run_build("--strict", "--content", content, "--out", str(tmp_path / "strict"))
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()


def test_the_shipped_content_passes_the_workflow_check_with_only_overdue_warnings() -> None:
    """As the workflow checks it (the working tree, no --as-at): no error, and no warning but the overdue ones."""
    result = run_build(*workflow_check_command()[2:], "--content", str(ROOT / "content"))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings and all("has passed and the action is not complete" in line for line in warnings), warnings


def test_a_report_compares_with_an_earlier_version_that_still_held_placeholders(tmp_path: Path) -> None:
    """An imported plan's first commit holds 'TO FILL IN': it was never published, but the next report compares
    with it, so it is read for the comparison all the same."""
    repo = GitRepo(tmp_path / "plan")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    plan = repo.root / "content" / "plan.md"
    filled = plan.read_text(encoding="utf-8")
    title = next(line for line in filled.splitlines() if line.startswith("title: "))
    plan.write_text(filled.replace(title, f'title: "{TO_FILL_IN}: the plan\'s title"'), encoding="utf-8")
    repo.write("content/reports/2017-03-24.yaml", "as_at: 2017-03-24\nmeeting: \"Panel, 31 March 2017\"\n")
    repo.commit_all("Imported", "2017-03-24T12:00:00+00:00")
    plan.write_text(filled, encoding="utf-8")
    repo.write(f"content/{ACTION}", _action(body="- The portal launched.\n").replace("due: 2018-03\n", "due: 2018-06\n"))
    repo.commit_all("Filled in; 1.3 due in June", "2017-04-03T12:00:00+01:00")
    out = tmp_path / "out"
    built = run_build("--as-at", "2017-04-04", "--content", str(repo.root / "content"), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "no comparison" not in built.stderr
    text = "\n".join(p.text for p in docx.Document(str(out / "report-2017-04-04.docx")).paragraphs)
    assert "24 March 2017" in text and TO_FILL_IN not in text
