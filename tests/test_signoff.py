"""Sign-off: build the report, record the commit and the DOCX's SHA-256; verify a DOCX against the records."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

from conftest import ROOT, GitRepo, run_build
from test_history import A21, as_at_plan, set_field

from delivery_report.history import ContentHistory, summary_since

SIGNOFF = ROOT / "scripts" / "signoff.py"


def signoff(*args: str) -> subprocess.CompletedProcess:
    """Run scripts/signoff.py as a user would."""
    return subprocess.run([sys.executable, str(SIGNOFF), *args], capture_output=True, text=True, check=False)


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
    assert summary.last_signoff.sentence == "Last signed off on 5 March 2019 by Paul Hammond, Chief Executive"
    assert summary.since == dt.date(2017, 3, 24)
    assert [(i.kind, i.ref, i.old, i.new) for i in summary.items] == [("rag_moved", "2.1", "Red", "Amber")]


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
