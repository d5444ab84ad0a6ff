"""Who changed what: every audit row of a known history, UK dates, restricted content, CSV safety, HTML view."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from conftest import GitRepo
from test_history import A21, A110, as_at_plan, known_history, set_body, set_field

from delivery_report.audit import (
    CSV_HEADER,
    audit_csv,
    audit_rows,
    word_diff,
)
from delivery_report.history import ContentHistory
from delivery_report.pipeline import audit_outputs

A13 = "content/business_areas/01-communications/1.3.md"


def rows_of(csv_bytes: bytes) -> list[list[str]]:
    """Parse the CSV as a spreadsheet would."""
    return list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"))))


def outputs(repo: GitRepo, day: dt.date) -> dict[str, bytes]:
    """The audit files for the plan as at `day`."""
    history = ContentHistory.read(repo.root / "content")
    plan = as_at_plan(history, day)
    return audit_outputs(history, plan, None)


def test_every_row_of_a_known_history(tmp_path):
    repo, shas = known_history(tmp_path)
    files = outputs(repo, dt.date(2018, 4, 11))
    table = rows_of(files["audit-2018-04-11.csv"])
    assert tuple(table[0]) == CSV_HEADER
    after_approval = [row for row in table[1:] if row[1] != shas["approved"]]
    assert after_approval == [
        ["2017-11-07T23:30:00+00:00", shas["november"], "Test Officer", "2.1", "rag", "red", "amber", "November statuses", ""],
        ["2017-11-07T23:30:00+00:00", shas["november"], "Test Officer", "2.1", "body",
         # Bodies are the model's text with list markers; a cell starting '-' (a bullet) gets the apostrophe
         # that stops a spreadsheet formula.
         "'- A new option has been identified (links to Action 1.3)", "'- A new referral option has been agreed with TVP",
         "November statuses", ""],
        ["2017-11-08T00:30:00+00:00", shas["late"], "Test Officer", "1.10", "due", "2018-03", "2018-06", "1.10 slips to June", ""],
        ["2018-04-10T09:00:00+01:00", shas["april"], "Test Officer", "2.1", "rag", "amber", "complete", "April statuses", ""],
    ]
    # The approval adds every field of every public action, oldest first; 1.1 is first, its action text first.
    approval = [row for row in table[1:] if row[1] == shas["approved"]]
    assert approval[0][3:6] == ["1.1", "action", ""] and approval[0][0] == "2017-03-24T12:00:00+00:00"
    assert {row[3] for row in approval} == {"1.1", "1.2", "1.3", "1.4", "1.10", "2.1"}


def test_rows_stop_at_the_as_at_date(tmp_path):
    repo, shas = known_history(tmp_path)
    table = rows_of(outputs(repo, dt.date(2017, 11, 7))["audit-2017-11-07.csv"])
    assert {row[1] for row in table[1:]} == {shas["approved"], shas["november"]}


def test_restricted_actions_and_restricted_text_never_appear(tmp_path):
    repo, _ = known_history(tmp_path)
    set_body(repo, A13, "- Public progress\n\n::: restricted\n- HIDDEN-FENCE-TEXT about a contract\n:::\n")
    repo.commit_all("1.3 with a restricted note", "2018-06-01T09:00:00+01:00")
    # An action that was public and later made restricted is left out entirely, history and all.
    set_body(repo, A21, "- EARLIER-PUBLIC-TEXT of 2.1\n")
    repo.commit_all("2.1 text", "2018-06-02T09:00:00+01:00")
    set_field(repo, A21, "restricted", "true")
    repo.commit_all("2.1 is now Part 2", "2018-06-03T09:00:00+01:00")
    files = outputs(repo, dt.date(2018, 7, 1))
    for name, data in files.items():
        text = data.decode("utf-8")
        assert "SECRET-PART-2-TEXT" not in text, name
        assert "HIDDEN-FENCE-TEXT" not in text, name
        assert "EARLIER-PUBLIC-TEXT" not in text, name
    table = rows_of(files["audit-2018-07-01.csv"])
    assert not [row for row in table[1:] if row[3] in ("2.2", "2.1")]
    assert ["1.3", "body"] in [row[3:5] for row in table[1:]]


def test_an_action_in_a_restricted_area_never_appears(tmp_path):
    repo, _ = known_history(tmp_path)
    set_field(repo, "content/business_areas/02-partnerships/_area.md", "restricted", "true")
    repo.commit_all("Partnerships are Part 2", "2018-06-01T09:00:00+01:00")
    history = ContentHistory.read(repo.root / "content")
    rows = audit_rows(history, history.commits[-1].sha)
    assert rows and not [r for r in rows if r.ref.startswith("2.")]


def test_cells_that_look_like_formulas_are_defused(tmp_path):
    repo, _ = known_history(tmp_path)
    set_body(repo, A21, "=HYPERLINK(\"http://evil.example\",\"click\")\n")
    repo.commit_all("+SUM(A1) @cmd", "2018-06-01T09:00:00+01:00")
    table = rows_of(outputs(repo, dt.date(2018, 7, 1))["audit-2018-07-01.csv"])
    last = table[-1]
    assert last[6].startswith("'=HYPERLINK") and last[7] == "'+SUM(A1) @cmd"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    assert audit_csv([]).decode() == ",".join(CSV_HEADER) + "\r\n"


def test_html_groups_by_action_with_word_diffs_and_flags_changes_since_sign_off(tmp_path):
    repo, shas = known_history(tmp_path)
    repo.write("content/reports/2017-11-08.yaml",
               f"as_at: 2017-11-08\nsigned_by: \"Paul Hammond, Chief Executive\"\nsigned_at: 2017-11-09\ncommit: {shas['late']}\n")
    repo.commit_all("Sign-off of the 8 November report", "2018-05-02T10:00:00+01:00")
    html = outputs(repo, dt.date(2018, 4, 11))["audit-2018-04-11.html"].decode("utf-8")
    assert 'id="history-2.1"' in html and 'id="history-1.10"' in html and 'id="history-2.2"' not in html
    assert "- A new <ins>referral </ins>option has been <del>identified (links to Action 1.3)</del><ins>agreed with TVP</ins>" in html
    section_21 = html.split('id="history-2.1"')[1].split("</section>")[0]
    section_110 = html.split('id="history-1.10"')[1].split("</section>")[0]
    assert "Changed since the last sign-off (9 November 2017 by Paul Hammond, Chief Executive)" in section_21
    assert "Changed since the last sign-off" not in section_110  # its change was in the signed-off commit
    assert html.index('id="history-1.10"') < html.index('id="history-2.1"')


def test_html_escapes_hostile_text(tmp_path):
    repo, _ = known_history(tmp_path)
    set_body(repo, A21, "- a < b & c > d, `<script>alert(1)</script>`\n")
    repo.commit_all("<b>bold</b> message", "2018-06-01T09:00:00+01:00")
    set_body(repo, A21, "- corrected\n")  # the as-at version must build; the hostile one stays in history
    repo.commit_all("Correct 2.1", "2018-06-02T09:00:00+01:00")
    html = outputs(repo, dt.date(2018, 7, 1))["audit-2018-07-01.html"].decode("utf-8")
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; message" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_word_diff_keeps_unchanged_words():
    pieces = word_diff("the cat sat on the mat", "the dog sat on the mat")
    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "the "), ("removed", "cat "), ("added", "dog "), ("same", "sat on the mat")]


def test_an_oversized_old_version_is_not_read_and_hides_the_action(tmp_path):
    repo, _ = known_history(tmp_path)
    set_body(repo, A21, "- " + "HUGE-TEXT " * 120_000 + "\n")
    repo.commit_all("Pasted a whole document", "2018-06-01T09:00:00+01:00")
    set_body(repo, A21, "- back to normal\n")
    repo.commit_all("Undo the paste", "2018-06-02T09:00:00+01:00")
    files = outputs(repo, dt.date(2018, 7, 1))
    assert all(b"HUGE-TEXT" not in data for data in files.values())
    assert not [row for row in rows_of(files["audit-2018-07-01.csv"])[1:] if row[3] == "2.1"]


def test_no_audit_from_a_shallow_clone(tmp_path):
    import pytest

    from delivery_report.issues import BuildError

    repo, _ = known_history(tmp_path)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone))
    history = ContentHistory.read(clone / "content")
    with pytest.raises(BuildError, match="shallow clone"):
        audit_outputs(history, as_at_plan(history, dt.date(2018, 6, 1)), None)


# --- issue 16: one reader, attribution, hostile names, restricted markers, readable page ----------------


def _csv(repo: GitRepo, day: dt.date) -> list[dict[str, str]]:
    files = outputs(repo, day)
    return [dict(zip(CSV_HEADER, row, strict=True)) for row in rows_of(files[f"audit-{day.isoformat()}.csv"])[1:]]


def test_a_merged_change_names_the_officer_their_message_and_who_merged_it(tmp_path):
    repo, _ = known_history(tmp_path)
    repo.git("checkout", "-q", "-b", "officer-edit")
    set_field(repo, A110, "rag", "red")
    officer = {"GIT_AUTHOR_NAME": "Sarah Officer", "GIT_COMMITTER_NAME": "Sarah Officer"}
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "1.10 is now red: contractor withdrew", date="2018-06-01T09:00:00+01:00", env=officer)
    set_body(repo, A110, "- The contractor withdrew in May\n")
    repo.git("commit", "-qam", "Explain why 1.10 is red", date="2018-06-01T10:00:00+01:00", env=officer)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from officer-edit", "officer-edit",
             date="2018-06-02T09:00:00+01:00", env={"GIT_AUTHOR_NAME": "Governance Staff"})
    merge_sha = repo.git("rev-parse", "HEAD").strip()
    rows = [r for r in _csv(repo, dt.date(2018, 7, 1)) if r["ref"] == "1.10" and r["commit"] == merge_sha]
    by_field = {r["field"]: r for r in rows}
    assert set(by_field) == {"rag", "body"}
    assert by_field["rag"]["author"] == "Sarah Officer"
    assert by_field["rag"]["message"] == "1.10 is now red: contractor withdrew"
    assert by_field["body"]["message"] == "Explain why 1.10 is red"
    assert all(r["merged_by"] == "Governance Staff" for r in rows)
    # date and commit: when it reached main
    assert all(r["date"] == "2018-06-02T09:00:00+01:00" for r in rows)
    html = outputs(repo, dt.date(2018, 7, 1))["audit-2018-07-01.html"].decode()
    assert "Sarah Officer<br><span class=\"merged\">merged by Governance Staff</span>" in html


def test_a_control_character_in_an_author_name_cannot_forge_the_message_column(tmp_path):
    repo, _ = known_history(tmp_path)
    set_field(repo, A110, "rag", "green")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Real message", date="2018-06-01T09:00:00+01:00",
             env={"GIT_AUTHOR_NAME": "Mallory\x02Approved by the Chief Executive"})
    last = _csv(repo, dt.date(2018, 7, 1))[-1]
    assert last["message"] == "Real message"
    assert last["author"] == "Mallory\\u0002Approved by the Chief Executive"
    assert "\x02" not in outputs(repo, dt.date(2018, 7, 1))["audit-2018-07-01.html"].decode()


@pytest.mark.parametrize("variant", [
    "::: restricted\n- CANARY-FENCE exempt detail\n:::\n",
    "::: Restricted\n- CANARY-FENCE exempt detail\n:::\n",
    ":::\u00a0restricted\n- CANARY-FENCE exempt detail\n:::\n",
    ":::restricted\n- CANARY-FENCE exempt detail\n:::\n",
    "    ::: restricted\n    - CANARY-FENCE exempt detail\n    :::\n",
    "::: restricted\n- CANARY-FENCE exempt detail, never closed\n",
])
def test_restricted_text_never_reaches_the_audit_whatever_the_fence_looks_like(tmp_path, variant):
    """Every version is read by the build's reader: a canonical fence is cut, and anything that only looks
    like one is a content error, so that version (and the action's history) is withheld, never printed."""
    repo, _ = known_history(tmp_path)
    set_body(repo, A13, "Public progress.\n\n" + variant)
    repo.commit_all("1.3 with exempt text", "2018-06-01T09:00:00+01:00")
    set_body(repo, A13, "- Public progress, restricted note removed\n")
    repo.commit_all("1.3 tidied", "2018-06-02T09:00:00+01:00")
    for data in outputs(repo, dt.date(2018, 7, 1)).values():
        assert b"CANARY-FENCE" not in data


@pytest.mark.parametrize("line_end", ["\r", "\r\n"])
def test_a_restricted_version_saved_with_old_line_ends_is_withheld(tmp_path, line_end):
    repo, _ = known_history(tmp_path)
    path = repo.root / A13
    path.write_bytes(f"---{line_end}ref: \"1.3\"{line_end}action: A{line_end}restricted: true{line_end}---{line_end}"
                     f"- CANARY-CR exempt text{line_end}".encode())
    repo.commit_all("1.3 saved on an old Mac", "2018-06-01T09:00:00+01:00")
    files = outputs(repo, dt.date(2018, 7, 1))
    assert all(b"CANARY-CR" not in data for data in files.values())


def test_a_pathological_status_line_reads_in_linear_time(tmp_path):
    import time

    repo, _ = known_history(tmp_path)
    set_body(repo, A13, "- " + ":" * 100_000 + "\n")
    repo.commit_all("a line of colons", "2018-06-01T09:00:00+01:00")
    started = time.perf_counter()
    outputs(repo, dt.date(2018, 7, 1))
    assert time.perf_counter() - started < 10


def test_the_page_says_never_set_lists_the_actions_and_puts_the_latest_report_period_first(tmp_path):
    repo, _ = known_history(tmp_path)
    html = outputs(repo, dt.date(2018, 4, 11))["audit-2018-04-11.html"].decode()
    index = html.split('<table class="index">')[1].split("</table>")[0]
    assert '<a href="#history-1.10">1.10</a>' in index and '<a href="#history-2.1">2.1</a>' in index
    assert "never set" in html  # the approval gave every field its first value
    assert "7 November 2017, 23:30" in html and "2017-11-07T" not in html
    section = html.split('id="history-2.1"')[1].split("</section>")[0]
    # The November report is the last one before April: April's change comes first, under its own caption.
    assert section.index("since the last report (7 November 2017)") < section.index("before the last report")
    assert section.index("10 April 2018, 09:00") < section.index("7 November 2017, 23:30")


def test_the_audit_keeps_what_it_read_between_runs_and_only_as_a_speed_up(tmp_path, monkeypatch):
    """A second audit of the same history reads no old version again (no git cat-file at all), and says the
    same; a damaged cache, or one written by another version of the reader, is ignored."""
    from test_history import count_git

    from delivery_report import blobcache

    cache = tmp_path / "cache"
    monkeypatch.setenv("DELIVERY_REPORT_CACHE", str(cache))
    repo, _ = known_history(tmp_path)
    first = outputs(repo, dt.date(2018, 7, 1))
    files = list(cache.glob("audit-versions-*.json"))
    assert len(files) == 1 and files[0].name == f"audit-versions-{blobcache.reader_fingerprint()}.json"
    calls = count_git(monkeypatch)
    assert outputs(repo, dt.date(2018, 7, 1)) == first
    reads = [c for c in calls if c[0] == "cat-file"]
    # Only the as-at plan's tree and the records are read: no version of any action for the audit.
    assert len(reads) <= 2, reads
    files[0].write_bytes(b"{not json")
    assert outputs(repo, dt.date(2018, 7, 1)) == first
    monkeypatch.setattr(blobcache, "reader_fingerprint", lambda: "another-reader")
    assert outputs(repo, dt.date(2018, 7, 1)) == first
    assert (cache / "audit-versions-another-reader.json").exists()
