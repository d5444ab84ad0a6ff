"""Report records: content/reports/<as-at>.yaml, one per report issued, and its sign-off once signed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

import yaml

from . import schema
from .issues import Issue
from .load import load_file
from .reader import Fields

REPORTS_FOLDER = "reports"
# A record's fields, read by the field reader against schemas/report-record.schema.json (as content files are).
_RECORD = schema.spec("report-record")
_RECORD_FILE = re.compile(r"^reports/(\d{4}-\d{2}-\d{2})\.yaml$")
@dataclass(frozen=True)
class SignOffRecord:
    """A report record: the report as at `as_at`, the meeting it went to, and who signed it off (if anyone yet)."""

    as_at: dt.date
    path: str
    meeting: str = ""
    signed_by: str = ""
    signed_at: dt.date | None = None
    commit: str = ""
    docx_sha256: str = ""

    @property
    def signed(self) -> bool:
        """True once someone has signed the report off."""
        return bool(self.signed_by and self.signed_at)


def load_records(files: dict[str, bytes], display_root: str) -> tuple[list[SignOffRecord], list[Issue]]:
    """Read every reports/<date>.yaml of a content folder's files, oldest first; problems as path:line issues."""
    issues: list[Issue] = []
    records: list[SignOffRecord] = []
    named_folders: set[str] = set()
    for rel in sorted(files):
        if not rel.startswith(f"{REPORTS_FOLDER}/"):
            continue
        shown = f"{display_root}/{rel}" if display_root else rel
        folder = rel.split("/")[1]
        if rel.count("/") > 1 and folder.lower().endswith(".yaml") and folder not in named_folders:
            # A record is a file: a folder with a record's name would be read as none (or stop a sign-off).
            named_folders.add(folder)
            issues.append(Issue(f"{display_root}/{REPORTS_FOLDER}/{folder}" if display_root else f"{REPORTS_FOLDER}/{folder}",
                                1, "this is a folder named like a report record, but a record is a file "
                                   "reports/YYYY-MM-DD.yaml: move what the folder holds elsewhere and remove it"))
        if rel.count("/") != 1 or rel.lower().endswith("/readme.md"):
            continue
        match = _RECORD_FILE.match(rel)
        if not match:
            issues.append(Issue(shown, 1, "name report records after the report's as-at date: reports/YYYY-MM-DD.yaml"))
            continue
        record = _record(shown, files[rel], match.group(1), issues)
        if record is not None:
            records.append(record)
    records.sort(key=lambda r: r.as_at)
    return records, issues


def _record(shown: str, raw: bytes, stem: str, issues: list[Issue]) -> SignOffRecord | None:
    loaded = load_file(shown, raw, issues, front_matter=False)
    if loaded is None or loaded.meta is None:
        if loaded is not None and loaded.meta is None and not any(i.path == shown for i in issues):
            issues.append(Issue(shown, 1, "the record is empty; add 'as_at: YYYY-MM-DD' and 'meeting: ...'"))
        return None
    before = len(issues)
    f = Fields(loaded, loaded.meta, issues, _RECORD)
    as_at = f.date("as_at")
    if as_at is not None and as_at.isoformat() != stem:
        f.problem(f.meta.line_of("as_at"), f"as_at is {as_at.isoformat()} but the file is named {stem}.yaml; make them the same")
    signed_by, signed_at = f.text("signed_by"), f.date("signed_at")
    commit, digest = f.text("commit"), f.text("docx_sha256")
    if bool(signed_by) != f.has_text("signed_at"):
        missing = "signed_at: YYYY-MM-DD" if signed_by else "signed_by: Name, role"
        present = "signed_by" if signed_by else "signed_at"
        f.problem(f.meta.line_of(present), f"a signed record needs both 'signed_by' and 'signed_at'; add '{missing}'")
    if len(issues) > before:
        return None
    return SignOffRecord(
        as_at=dt.date.fromisoformat(stem), path=shown, meeting=f.text("meeting"), signed_by=signed_by,
        signed_at=signed_at, commit=commit, docx_sha256=digest,
    )


def latest_before(records: list[SignOffRecord], day: dt.date, signed_only: bool = False) -> SignOffRecord | None:
    """The latest record dated strictly before `day` (optionally only a signed one), or None."""
    earlier = [r for r in records if r.as_at < day and (r.signed or not signed_only)]
    return max(earlier, key=lambda r: r.as_at) if earlier else None


class _Quoted(str):
    """Text a record writes in double quotes (a name or a meeting), as people expect to read it."""


class _RecordDumper(yaml.SafeDumper):
    """PyYAML's safe writer, with `_Quoted` text in double quotes: any text at all, ':' '#' '---' or quotes
    included, is escaped by the library, never by hand."""


def _represent_quoted(dumper: yaml.SafeDumper, text: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style='"')


_RecordDumper.add_representer(_Quoted, _represent_quoted)
# Never fold a long value over several lines: each field stays on its one line of the file.
_NO_WRAP = 1_000_000


def record_yaml(record: SignOffRecord) -> str:
    """The record as the YAML file `delivery-report signoff` writes, written by PyYAML (`record_reads_back` checks it)."""
    fields: dict[str, object] = {"as_at": record.as_at}
    if record.meeting:
        fields["meeting"] = _Quoted(record.meeting)
    if record.signed_by:
        fields["signed_by"] = _Quoted(record.signed_by)
    if record.signed_at:
        fields["signed_at"] = record.signed_at
    if record.commit:
        fields["commit"] = record.commit
    if record.docx_sha256:
        fields["docx_sha256"] = record.docx_sha256
    written: str = yaml.dump(fields, Dumper=_RecordDumper, sort_keys=False, allow_unicode=True, width=_NO_WRAP,
                             default_flow_style=False)
    return written


def record_reads_back(record: SignOffRecord) -> list[Issue]:
    """What goes wrong when `record_yaml(record)` is read the way every build reads records ([] when it
    reads back exactly as `record`): checked before a record is written."""
    rel = f"{REPORTS_FOLDER}/{record.as_at.isoformat()}.yaml"
    read, issues = load_records({rel: record_yaml(record).encode("utf-8")}, "")
    if issues:
        return issues
    if len(read) != 1 or dataclasses.replace(read[0], path=record.path) != record:
        return [Issue(record.path, 1, "the record would not read back as written; report this as a bug")]
    return []
