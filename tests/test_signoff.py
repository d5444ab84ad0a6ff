"""Sign-off: build the report, record the commit and the DOCX's SHA-256; verify a DOCX against the records."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, GitRepo, run_build, run_script
from hypothesis import example, given
from hypothesis import strategies as st
from test_history import A21, as_at_plan, set_field

from delivery_report.arguments import one_line, one_line_problem
from delivery_report.history import ContentHistory, summary_since
from delivery_report.layout.wording import change_values, signed_off_sentence
from delivery_report.records import SignOffRecord, load_records, record_reads_back, record_yaml
from delivery_report.signoff import MAX_MEETING, MAX_SIGNED_BY

SIGNOFF = ROOT / "scripts" / "signoff.py"


def signoff(*args: str) -> subprocess.CompletedProcess:
    """Run scripts/signoff.py as a user would (in this process: see run_script)."""
    return run_script(SIGNOFF, *args)


def test_sign_off_records_commit_and_docx_hash_then_verifies(repo_with_content: GitRepo, tmp_path):
    content, out = repo_with_content.root / "content", tmp_path / "out"
    done = signoff("--as-at", "2017-03-24", "--by", "Paul Hammond, Chief Executive", "--on", "2017-03-27",
                   "--meeting", "Level 1 public meeting, 31 March 2017", "--content", str(content), "--out", str(out))
    assert done.returncode == 0, done.stderr
    docx = out / "report-2017-03-24.docx"
    digest = hashlib.sha256(docx.read_bytes()).hexdigest()
    head = repo_with_content.git("rev-parse", "HEAD").strip()
    record = (content / "reports" / "2017-03-24.yaml").read_text()
    assert record == (
        "as_at: 2017-03-24\n"
        'meeting: "Level 1 public meeting, 31 March 2017"\n'
        'signed_by: "Paul Hammond, Chief Executive"\n'
        "signed_at: 2017-03-27\n"
        f"commit: {head}\n"
        f"docx_sha256: {digest}\n"
    )
    assert "not committed for you" in done.stdout
    assert repo_with_content.git("status", "--porcelain").strip() == "?? content/reports/"  # written, not committed

    verified = signoff("--verify", str(docx), "--content", str(content))
    assert verified.returncode == 0, verified.stderr
    assert "signed off on 27 March 2017 by Paul Hammond, Chief Executive" in verified.stdout

    tampered = tmp_path / "tampered.docx"
    tampered.write_bytes(docx.read_bytes() + b"\0")
    refused = signoff("--verify", str(tampered), "--content", str(content))
    assert refused.returncode == 1
    assert "NOT VERIFIED" in refused.stderr and "matches none of the 1 signed-off report(s)" in refused.stderr

    # Committing the record (after the report's date) leaves that report byte-identical: it still verifies.
    repo_with_content.commit_all("Sign-off of the March 2017 report", "2017-04-03T10:00:00+01:00")
    rebuilt = run_build("--as-at", "2017-03-24", "--content", str(content), "--out", str(tmp_path / "again"))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (tmp_path / "again" / "report-2017-03-24.docx").read_bytes() == docx.read_bytes()


def test_the_next_report_states_the_last_sign_off(repo_with_content: GitRepo, tmp_path):
    content = repo_with_content.root / "content"
    done = signoff("--as-at", "2017-03-24", "--by", "Paul Hammond, Chief Executive", "--on", "2019-03-05",
                   "--content", str(content), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    set_field(repo_with_content, A21, "rag", "amber")
    repo_with_content.commit_all("April statuses and the sign-off record", "2018-04-10T09:00:00+01:00")
    history = ContentHistory.read(content)
    summary = summary_since(history, as_at_plan(history, dt.date(2018, 4, 11)), None)
    assert summary is not None and summary.last_signoff is not None
    assert signed_off_sentence(summary.last_signoff) == "Last signed off on 5 March 2019 by Paul Hammond, Chief Executive"
    assert summary.since == dt.date(2017, 3, 24)
    assert [(i.kind, i.ref, *change_values(i, summary.ratings)) for i in summary.items] == [("rag_moved", "2.1", "Red", "Amber")]


def test_a_broken_record_is_reported_at_its_line(repo_with_content: GitRepo, tmp_path):
    content = repo_with_content.root / "content"
    (content / "reports").mkdir()
    (content / "reports" / "2017-03-24.yaml").write_text("as_at: 2017-03-24\ncommit: abc123\n")
    done = signoff("--verify", str(tmp_path / "missing.docx"), "--content", str(content))
    assert done.returncode == 2 and "cannot read the file" in done.stderr
    (tmp_path / "any.docx").write_bytes(b"PK")
    done = signoff("--verify", str(tmp_path / "any.docx"), "--content", str(content))
    assert done.returncode == 1
    assert f"{content.as_posix()}/reports/2017-03-24.yaml:2: 'commit' must be the full 40-character commit SHA" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_errors_exit_2():
    assert signoff("--as-at", "2017-03-24").returncode == 2
    assert signoff("--verify", "x.docx", "--by", "Someone").returncode == 2
    assert signoff("--as-at", "24/03/2017", "--by", "Someone").returncode == 2


# --- issue 21, part 3: sign-off that cannot be broken -------------------------------------------------------

BEL_BY = "Paul Hammond\a, Chief Executive"


def _nothing_written(repo: GitRepo, out: Path) -> None:
    assert not out.exists(), "the report is not built when the sign-off is refused"
    assert not (repo.root / "content" / "reports").exists()
    assert repo.git("status", "--porcelain").strip() == ""


@pytest.mark.parametrize(("by", "meeting", "message"), [
    (BEL_BY, None, "--by holds the invisible control character U+0007"),
    ("Paul Hammond", "Panel\n---\nsigned_by: Someone Else", "--meeting holds a line break (U+000A)"),
    ("Paul Hammond", "Panel\r\n17 November", "--meeting holds a line break (U+000D)"),
    ("x" * 10_000, None, "--by is 10,000 characters long; at most 200 fit on the record's line"),
    ("Paul Hammond", "m" * 10_000, "--meeting is 10,000 characters long; at most 300 fit on the record's line"),
    ("", None, "--by is empty"),
    ("   ", None, "--by is empty"),
    ("Paul Hammond\u202e, evitucexE feihC", None, "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("Paul Hammond\tChief Executive", None, "--by holds the invisible control character U+0009"),
    ("Paul Hammond " + os.fsdecode(b"\xff"), None, "--by holds the byte 0xFF, which is not UTF-8 text"),
])
def test_a_hostile_argument_is_refused_before_anything_is_written(repo_with_content: GitRepo, tmp_path: Path,
                                                                  by: str, meeting: str | None, message: str):
    content, out = repo_with_content.root / "content", tmp_path / "out"
    extra = ["--meeting", meeting] if meeting is not None else []
    done = signoff("--as-at", "2017-03-24", "--by", by, *extra, "--content", str(content), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    _nothing_written(repo_with_content, out)


def test_a_name_and_meeting_full_of_yaml_are_recorded_as_typed_and_read_back(repo_with_content: GitRepo,
                                                                             tmp_path: Path):
    content, out = repo_with_content.root / "content", tmp_path / "out"
    by = "Siân O'Neil: Chief Executive # acting \"interim\""
    meeting = '--- Panel: 17 November 2017 \\ "special" & *urgent* %YAML 1.1 ... null'
    done = signoff("--as-at", "2017-03-24", "--by", f"  {by}  ", "--on", "2017-03-27", "--meeting", meeting,
                   "--content", str(content), "--out", str(out))
    assert done.returncode == 0, done.stderr
    record = load_records({"reports/2017-03-24.yaml": (content / "reports" / "2017-03-24.yaml").read_bytes()}, "")
    assert record[1] == [] and (record[0][0].signed_by, record[0][0].meeting) == (by, meeting)
    # The next build reads the record it wrote (it did not, with a meeting holding '---' or a name holding BEL).
    checked = run_build("--check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr
    verified = signoff("--verify", str(out / "report-2017-03-24.docx"), "--content", str(content))
    assert verified.returncode == 0 and f"by {by}" in verified.stdout


def test_a_folder_named_like_a_record_is_refused_with_a_message(repo_with_content: GitRepo, tmp_path: Path):
    content, out = repo_with_content.root / "content", tmp_path / "out"
    repo_with_content.write("content/reports/2018-12-01.yaml/notes.md", "Not a record\n")
    repo_with_content.commit_all("A folder where a record should be", "2017-03-25T09:00:00+00:00")
    done = signoff("--as-at", "2017-03-24", "--by", "Paul Hammond, Chief Executive", "--content", str(content),
                   "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert (f"{content.as_posix()}/reports/2018-12-01.yaml:1: this is a folder named like a report record, but a "
            "record is a file reports/YYYY-MM-DD.yaml: move what the folder holds elsewhere and remove it") in done.stderr
    assert "nothing was signed off" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and sorted(p.name for p in (content / "reports").iterdir()) == ["2018-12-01.yaml"]

    docx = tmp_path / "any.docx"
    docx.write_bytes(b"PK\x03\x04")
    verified = signoff("--verify", str(docx), "--content", str(content))
    assert verified.returncode == 1 and "2018-12-01.yaml:1: this is a folder named like a report record" in verified.stderr
    assert "Traceback" not in verified.stderr
    # The build says so too: a committed folder like this is a content problem wherever records are read.
    checked = run_build("--check", "--content", str(content))
    assert checked.returncode == 1 and "2018-12-01.yaml:1: this is a folder named like a report record" in checked.stderr


def test_a_linked_record_is_refused_and_never_followed(repo_with_content: GitRepo, tmp_path: Path):
    content, out = repo_with_content.root / "content", tmp_path / "out"
    outside = tmp_path / "outside.yaml"
    outside.write_text("as_at: 2017-01-01\nmeeting: \"read through a link\"\n")
    (content / "reports").mkdir()
    (content / "reports" / "2017-01-01.yaml").symlink_to(outside)
    done = signoff("--as-at", "2017-03-24", "--by", "Paul Hammond, Chief Executive", "--content", str(content),
                   "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert f"{content.as_posix()}/reports/2017-01-01.yaml:1: this is a symbolic link" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and [p.name for p in (content / "reports").iterdir()] == ["2017-01-01.yaml"]
    assert outside.read_text() == "as_at: 2017-01-01\nmeeting: \"read through a link\"\n"
    docx = tmp_path / "any.docx"
    docx.write_bytes(b"PK\x03\x04")
    verified = signoff("--verify", str(docx), "--content", str(content))
    assert verified.returncode == 1 and "2017-01-01.yaml:1: this is a symbolic link" in verified.stderr


def test_verify_never_ends_in_a_traceback(repo_with_content: GitRepo, tmp_path: Path):
    content = repo_with_content.root / "content"
    folder = tmp_path / "report.docx"
    folder.mkdir()
    done = signoff("--verify", str(folder), "--content", str(content))
    assert done.returncode == 2 and f"error: {folder} is a folder, not a DOCX file" in done.stderr
    done = signoff("--verify", str(tmp_path / "missing.docx"), "--content", str(content))
    assert done.returncode == 2 and "missing.docx: cannot read the file (No such file or directory)" in done.stderr
    text = tmp_path / "notes.docx"
    text.write_text("not a Word document\n")
    done = signoff("--verify", str(text), "--content", str(content))
    assert done.returncode == 1
    assert "NOT VERIFIED" in done.stderr and "is not a DOCX (Word) file at all" in done.stderr
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    done = subprocess.run([sys.executable, str(SIGNOFF), "--verify", str(pipe), "--content", str(content)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 2 and "is not an ordinary file (a pipe or a device)" in done.stderr
    odd = tmp_path / os.fsdecode(b"report-\xff\x1b[31m.docx")
    odd.write_bytes(b"PK\x03\x04")
    done = signoff("--verify", str(odd), "--content", str(content))
    assert done.returncode == 1 and "report-\\udcff\\u001b[31m.docx" in done.stderr
    for result in (done,):
        assert "Traceback" not in result.stderr


# Text that YAML reads as more than text: document markers, comments, quotes, escapes, flow and block marks,
# tags, anchors, directives, and scalars that look like other types; and the invisible characters a command
# line can carry (each must be refused, or read back as itself).
_YAML_PIECES = st.sampled_from([
    "---", "...", ": ", " #", "#", '"', "'", "\\", "\\n", "%YAML 1.2", "&a", "*a", "!!binary", "!x", "? ", "- ",
    "|", ">", "{", "}", "[", "]", ",", "@", "`", "null", "~", "true", "no", "0x1F", "1e3", "0o17", "2017-03-24",
    "é", "’", "\u00a0", "\u200d", "  ", "\U0001F600", "\u0301", "ǅ", "\u3000",
])
_INVISIBLE = st.sampled_from(["\ufeff", "\x85", "\u2028", "\a", "\t", "\n", "\r", "\x00", "\u202e", "\udcff", "\ue000"])
_VISIBLE_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=6)
_HOSTILE_TEXT = st.one_of(
    st.lists(st.one_of(_YAML_PIECES, _VISIBLE_TEXT), max_size=12).map("".join),
    st.lists(st.one_of(_YAML_PIECES, _VISIBLE_TEXT, st.text(max_size=6), _INVISIBLE), max_size=12).map("".join),
)


@given(by=_HOSTILE_TEXT, meeting=_HOSTILE_TEXT)
def test_every_accepted_name_and_meeting_reads_back_exactly_as_written(by: str, meeting: str):
    """Whatever is typed, the command refuses it, or the record PyYAML writes reads back as exactly that text."""
    if one_line_problem("--by", by, MAX_SIGNED_BY) is not None:
        return
    if meeting.strip() and one_line_problem("--meeting", meeting, MAX_MEETING) is not None:
        return
    record = SignOffRecord(as_at=dt.date(2018, 4, 11), path="reports/2018-04-11.yaml", meeting=one_line(meeting),
                           signed_by=one_line(by), signed_at=dt.date(2018, 4, 12), commit="0" * 40,
                           docx_sha256="a1" * 32)
    text = record_yaml(record)
    assert text.count("\n") == 6 - (not record.meeting), text  # one line per field
    read, issues = load_records({"reports/2018-04-11.yaml": text.encode("utf-8")}, "")
    assert issues == [] and read == [record]
    assert record_reads_back(record) == []


@given(text=st.lists(st.one_of(_YAML_PIECES, _VISIBLE_TEXT, _INVISIBLE), min_size=1, max_size=12).map("".join))
@example(text="Panel\n---\nsigned_by: Someone Else")
@example(text="Panel\t17 November\r\n2017")
def test_the_writer_escapes_any_text_a_record_may_already_hold(text: str):
    """A meeting kept from an existing record is not an argument: whatever the reader let through, the
    writer writes it so that it reads back the same (or the sign-off refuses before writing)."""
    read, issues = load_records({"reports/2018-04-11.yaml": f"as_at: 2018-04-11\nmeeting: {json.dumps(text)}\n".encode()}, "")
    if issues:
        return
    record = read[0]
    again, problems = load_records({"reports/2018-04-11.yaml": record_yaml(record).encode("utf-8")}, "")
    assert problems == [] and again == [record]
