"""Changes since the last report, as both outputs show them: R/A/G movement, the section, overdue, provenance.

A repository with a known history: the minimal plan reported on 7 November 2017 (with a report
record), then changed on 20 March 2018. The report as at 11 April 2018 compares with November.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from conftest import FIXTURES, GitRepo, run_build

NOVEMBER = "2017-11-07T16:00:00+00:00"
MARCH = "2018-03-20T10:00:00+00:00"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Build the April report of a two-version history; return the output folder and the April commit."""
    root = tmp_path_factory.mktemp("changes")
    repo = GitRepo(root / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.write("content/reports/2017-11-07.yaml", "as_at: 2017-11-07\nmeeting: Panel, 17 November 2017\n"
               "signed_by: Paul Hammond, Chief Executive\nsigned_at: 2017-11-20\n")
    repo.commit_all("November statuses", NOVEMBER)
    area = repo.root / "content" / "business_areas"
    text = (area / "02-partnerships" / "2.1.md").read_text().replace("rag: red", "rag: amber")
    (area / "02-partnerships" / "2.1.md").write_text(text)
    text = (area / "01-communications" / "1.3.md").read_text()
    text = re.sub(r"rag: \w+", "rag: red", text)
    text = re.sub(r"due: .*", "due: 2018-01", text)
    (area / "01-communications" / "1.3.md").write_text(text)
    repo.write("content/business_areas/02-partnerships/2.3.md",
               '---\nref: "2.3"\naction: A brand new action.\ndue: 2018-12\nsponsor: PCC\nlead: SM\nrag: white\n---\n')
    repo.commit_all("March statuses", MARCH)
    commit = repo.git("rev-parse", "HEAD").strip()
    out = root / "out"
    result = run_build("--content", str(repo.root / "content"), "--out", str(out), "--as-at", "2018-04-11", "--audit")
    assert result.returncode == 0, result.stderr
    return out, commit


def _page(out: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / "report-2018-04-11.html").read_text(encoding="utf-8"))


def _docx(out: Path) -> docx.document.Document:
    return docx.Document(str(out / "report-2018-04-11.docx"))


def test_rows_carry_the_previous_rag(built: tuple[Path, str]) -> None:
    page = _page(built[0])
    previous = {tr.get("data-ref"): tr.get("data-rag-previous") for tr in page.xpath("//tr[@data-ref]")}
    assert previous["2.1"] == "red"
    assert previous["2.3"] == "new"
    assert previous["1.10"] == page.xpath('//tr[@data-ref="1.10"]')[0].get("data-rag")  # unchanged
    assert set(previous.values()) <= {"red", "amber", "green", "white", "complete", "none", "new"}


def test_rag_cell_shows_the_movement_in_words_in_both(built: tuple[Path, str]) -> None:
    page = _page(built[0])
    cell = " ".join(page.xpath('//tr[@data-ref="2.1"]/td[contains(@class, "rag")]')[0].text_content().split())
    assert cell == "Amber ↑ Red → Amber improved since 7 Nov 2017"
    new = " ".join(page.xpath('//tr[@data-ref="2.3"]/td[contains(@class, "rag")]')[0].text_content().split())
    assert new == "White new since 7 Nov 2017"
    rows = {row.cells[0].text: row for table in _docx(built[0]).tables for row in table.rows}
    assert " ".join(rows["2.1"].cells[-1].text.split()) == "Amber ↑ Red → Amber improved since 7 Nov 2017"


def test_changes_since_section_in_both_outputs(built: tuple[Path, str]) -> None:
    page = _page(built[0])
    section = page.get_element_by_id("changes-since")
    assert section.tag == "section"
    text = " ".join(section.text_content().split())
    assert text.startswith("Changes since 7 Nov 2017")
    assert "Action 2.3: A brand new action." in text
    assert "Action 2.1: Ensure TVP implement new victim referral pathways. – Red → Amber" in text
    assert "Action 1.3" in text and "→ Jan 2018" in text  # due date moved
    links = {a.get("href") for a in section.xpath(".//a")}
    assert {"#action-2.1", "#action-2.3", "#action-1.3"} <= links
    for href in links:
        assert page.get_element_by_id(href[1:]) is not None
    assert "2.2" not in text  # restricted: never named
    headings = [p.text for p in _docx(built[0]).paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Changes since") for h in headings)


def test_overdue_actions_are_flagged_and_counted(built: tuple[Path, str]) -> None:
    page = _page(built[0])
    due = " ".join(page.xpath('//tr[@data-ref="1.3"]/td[contains(@class, "due")]')[0].text_content().split())
    assert due == "Jan 2018 Overdue"
    section = " ".join(page.get_element_by_id("changes-since").text_content().split())
    assert re.search(r"\b\d+ overdue\b", section) and "Overdue (" in section


def test_provenance_in_both_outputs(built: tuple[Path, str]) -> None:
    out, commit = built
    document = _docx(out)
    assert document.core_properties.identifier == commit
    assert document.core_properties.created.date().isoformat() == "2018-04-11"
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.endswith(f"\tBuilt from commit {commit[:7]} as at 11 April 2018.")
    page = _page(out)
    assert page.xpath('//meta[@name="source-commit"]/@content') == [commit]
    assert f"Built from commit {commit[:7]} as at 11 April 2018." in page.xpath("//footer")[0].text_content()


def test_rebuild_is_byte_identical_in_another_time_zone(built: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = built
    repo_content = out.parent / "repo" / "content"
    again = tmp_path / "again"
    import os
    import subprocess
    import sys

    from conftest import BUILD_SCRIPT

    env = {**os.environ, "TZ": "America/Los_Angeles"}
    result = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--content", str(repo_content), "--out", str(again),
                             "--as-at", "2018-04-11", "--audit"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    for name in ("report-2018-04-11.docx", "report-2018-04-11.html", "audit-2018-04-11.csv", "audit-2018-04-11.html"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    with zipfile.ZipFile(io.BytesIO((again / "report-2018-04-11.docx").read_bytes())) as package:
        assert package.testzip() is None


def test_the_last_sign_off_is_stated_in_both(built: tuple[Path, str]) -> None:
    sentence = "Last signed off on 20 November 2017 by Paul Hammond, Chief Executive."
    page = _page(built[0])
    assert sentence in " ".join(page.get_element_by_id("changes-since").text_content().split())
    assert sentence in [p.text for p in _docx(built[0]).paragraphs]


def test_report_rows_and_audit_link_both_ways(built: tuple[Path, str]) -> None:
    out, _ = built
    page = _page(out)
    link = page.xpath('//tr[@data-ref="2.1"]/td[1]/a')[0]
    assert link.get("href") == "audit-2018-04-11.html#history-2.1" and link.text_content() == "2.1"
    audit = lxml.html.fromstring((out / "audit-2018-04-11.html").read_text(encoding="utf-8"))
    section = audit.get_element_by_id("history-2.1")
    assert section.xpath(".//a/@href") == ["report-2018-04-11.html#action-2.1"]
    for row in page.xpath("//tr[@data-ref]"):  # every row's history exists on the audit page
        target = row.xpath("./td[1]/a/@href")[0].split("#")[1]
        assert audit.get_element_by_id(target) is not None
    assert not audit.xpath('//*[@id="history-2.2"]')  # restricted: no history in public


def test_without_audit_rows_do_not_link(tmp_path: Path, built: tuple[Path, str]) -> None:
    content = built[0].parent / "repo" / "content"
    result = run_build("--content", str(content), "--out", str(tmp_path), "--as-at", "2018-04-11")
    assert result.returncode == 0, result.stderr
    page = _page(tmp_path)
    assert page.xpath('//tr[@data-ref="2.1"]/td[1]/a') == []


def test_restricted_copy_shows_restricted_movements(tmp_path: Path, built: tuple[Path, str]) -> None:
    content = built[0].parent / "repo" / "content"
    result = run_build("--content", str(content), "--out", str(tmp_path), "--as-at", "2018-04-11", "--restricted")
    assert result.returncode == 0, result.stderr
    page = lxml.html.fromstring((tmp_path / "report-2018-04-11-restricted.html").read_text(encoding="utf-8"))
    assert page.xpath('//tr[@data-ref="2.2"]/@data-rag-previous') == ["green"]


def test_a_plan_copied_with_a_fresh_history_still_builds(tmp_path: Path) -> None:
    """The last report's record predates the first commit: the build warns and leaves the section out."""
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.write("content/reports/2017-11-07.yaml", "as_at: 2017-11-07\n")
    repo.commit_all("copied", "2018-03-01T10:00:00+00:00")
    for extra in ((), ("--check",)):
        result = run_build("--content", str(repo.root / "content"), "--out", str(tmp_path / "out"),
                           "--as-at", "2018-04-11", *extra)
        assert result.returncode == 0, result.stderr
        assert "content/reports:1: warning: no comparison with the last report: nothing was committed by the end of " \
               "2017-11-07" in result.stderr.replace(str(repo.root) + "/", "")
    page = _page(tmp_path / "out")
    assert not page.xpath('//*[@id="changes-since"]')
    explicit = run_build("--content", str(repo.root / "content"), "--out", str(tmp_path / "out2"),
                         "--as-at", "2018-04-11", "--since", "2017-11-07")
    assert explicit.returncode == 2 and "give a later --since date" in explicit.stderr


def test_overdue_is_flagged_without_an_earlier_report(tmp_path: Path) -> None:
    """A plan of one commit and no report record (every imported plan starts so): no 'Changes since',
    yet an action whose due month has passed is flagged Overdue in both outputs, from its due date and
    the report's date alone; one due 'Ongoing', one carried forward and a complete one are not."""
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    action = repo.root / "content" / "business_areas" / "01-communications" / "1.3.md"
    action.write_text(action.read_text().replace("rag: complete", "rag: amber"))
    repo.write("content/business_areas/02-partnerships/2.3.md",
               '---\nref: "2.3"\naction: Done early.\ndue: 2017-12\nsponsor: PCC\nlead: SM\nrag: complete\n---\n')
    repo.commit_all("Imported plan", "2017-03-24T12:00:00+00:00")
    out = tmp_path / "out"
    result = run_build("--content", str(repo.root / "content"), "--out", str(out), "--as-at", "2018-04-11")
    assert result.returncode == 0, result.stderr
    page = _page(out)
    assert not page.xpath('//*[@id="changes-since"]')

    def due(ref: str) -> str:
        return " ".join(page.xpath(f'//tr[@data-ref="{ref}"]/td[contains(@class, "due")]')[0].text_content().split())

    assert due("1.3") == "Mar 2018 Overdue"
    assert (due("2.1"), due("1.10"), due("2.3")) == ("Ongoing", "Mar 2018", "Dec 2017")
    due_cells = {row.cells[0].text: row.cells[[c.text for c in table.rows[0].cells].index("Due Date")]
                 for table in _docx(out).tables if table.rows[0].cells[0].text == "Ref." for row in table.rows}
    assert [p.text for p in due_cells["1.3"].paragraphs] == ["Mar 2018", "Overdue"]
    assert [p.text for p in due_cells["2.3"].paragraphs] == ["Dec 2017"]


def test_a_cover_still_dated_for_the_last_report_is_warned_of(tmp_path: Path) -> None:
    """The last report (as at 7 November 2017) went to the Panel of 17 November 2017: a cover report
    built as at 11 April 2018 that still names that meeting, or an approval dated 7 November 2017, was not
    updated for this report. Each date is warned of on its line of cover_report.md; dates after the last
    report are not. (Minimal cover: meeting on line 4, the two approvals' dates on lines 16 and 18.)"""
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.write("content/reports/2017-11-07.yaml", "as_at: 2017-11-07\nmeeting: Police and Crime Panel, 17 November 2017\n")
    repo.commit_all("November statuses", NOVEMBER)
    cover = repo.root / "content" / "cover_report.md"
    text = cover.read_text(encoding="utf-8")
    text = text.replace("meeting: Level 1 public meeting on\n", "meeting: Level 1 public meeting on 17^th^ November 2017\n")
    text = text.replace('    date: ""\n', "    date: 7^th^ November 2017\n").replace("24^th^ March 2017", "9 April 2018")
    cover.write_text(text, encoding="utf-8")
    secret = repo.root / "content" / "business_areas" / "02-partnerships" / "2.2.md"  # not overdue, for --strict
    secret.write_text(secret.read_text(encoding="utf-8").replace("due: 2018-01", "due: 2018-06"), encoding="utf-8")
    repo.commit_all("April statuses", "2018-04-10T10:00:00+01:00")
    content = str(repo.root / "content")
    for built_from in (("--as-at", "2018-04-11"), ()):  # a commit of history, and the working tree
        result = run_build("--check", "--content", content, *built_from)
        assert result.returncode == 0, result.stderr
        warned = [line.split(content + "/", 1)[-1] for line in result.stderr.splitlines() if "cover_report.md" in line]
        assert warned == [
            "cover_report.md:4: warning: meeting 'Level 1 public meeting on 17th November 2017' is not after the meeting "
            "of the last report (as at 2017-11-07: Police and Crime Panel, 17 November 2017), so the cover report has "
            "not been updated for this report; write the meeting this report goes to (or end the line with 'on' to "
            "leave its date blank)",
            "cover_report.md:16: warning: the Chief Executive's approval is dated 7th November 2017, on or before the "
            "last report (as at 2017-11-07), so the cover report has not been updated for this report; write the date "
            "this report was approved (or date: \"\" to leave it blank)",
        ], result.stderr
    strict = run_build("--check", "--strict", "--content", content, "--as-at", "2018-04-11")
    assert strict.returncode == 1, strict.stderr
    assert [line.split(content + "/", 1)[-1][:20] for line in strict.stderr.splitlines()[:-1]] == [
        "cover_report.md:4: w", "cover_report.md:16: "]
    # Updated for this report: the meeting after the last one, approved after the last report's date.
    cover.write_text(text.replace("17^th^ November 2017", "19 April 2018").replace("7^th^ November 2017", "2018-04-09"),
                     encoding="utf-8")
    repo.commit_all("Cover updated", "2018-04-11T09:00:00+01:00")
    result = run_build("--check", "--content", content, "--as-at", "2018-04-11")
    assert result.returncode == 0 and "cover_report.md" not in result.stderr, result.stderr


@pytest.mark.parametrize("text, day", [
    ("Level 1 public meeting on 31^st^ March 2017", "2017-03-31"),
    ("PCC's Level 1 public meeting, 31 March 2017", "2017-03-31"),
    ("17th Nov. 2017", "2017-11-17"),
    ("2018-04-09", "2018-04-09"),
    ("9/4/2018", "2018-04-09"),
    ("on 1 May 2018 (was 31/03/2018)", "2018-05-01"),
    ("Level 1 public meeting on", None),
    ("31 February 2017", None),
    ("12 marked 2017", None),
])
def test_dates_are_read_as_a_cover_report_writes_them(text: str, day: str | None) -> None:
    from delivery_report.validate import date_in_text

    found = date_in_text(text)
    assert (found.isoformat() if found else None) == day
