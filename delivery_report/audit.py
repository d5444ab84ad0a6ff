"""Who changed what: one row per changed field per action per commit, as CSV and as a readable HTML page."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import richtext
from .changes import ChangeSummary
from .history import ContentHistory
from .issues import Issue
from .load import Mapping, Value, load_file
from .load import Sequence as YamlSequence
from .model import Plan, natural_key, plain_text
from .records import SignOffRecord, date_in_words
from .sources import LONDON, LoggedCommit

CSV_HEADER = ("date", "commit", "author", "ref", "field", "old", "new", "message")
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
_ACTION_PATH = re.compile(r"^business_areas/([^/]+)/(\d+\.\d+)\.md$")
_AREA_PATH = re.compile(r"^business_areas/([^/]+)/_area\.md$")
# The order fields are listed in, as docs/content-format.md lists them; unknown keys follow, then the body.
_FIELD_ORDER = ("ref", "action", "priorities", "due", "sponsor", "lead", "rag", "status", "superseded_by",
                "carried_forward", "restricted")
# Markdown fields are compared as plain text so '::: restricted' fences inside them never reach the audit.
_MARKDOWN_FIELDS = ("action",)
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditRow:
    """One changed field of one action in one commit."""

    date: str
    commit: str
    author: str
    ref: str
    field: str
    old: str
    new: str
    message: str
    position: int

    def cells(self) -> tuple[str, ...]:
        """The row's CSV cells, in CSV_HEADER order."""
        return (self.date, self.commit, self.author, self.ref, self.field, self.old, self.new, self.message)


@dataclass(frozen=True)
class _Version:
    """One version of an action file as audit fields; `restricted` when it (or its text) is Part 2."""

    fields: dict[str, str]
    restricted: bool


def _node_text(node: object) -> str:
    if isinstance(node, Value):
        return node.text().strip()
    if isinstance(node, YamlSequence):
        return ", ".join(_node_text(item) for item in node.items)
    if isinstance(node, Mapping):
        return "; ".join(f"{key}: {_node_text(value)}" for key, value in node.items.items())
    return ""


# Belt and braces: fenced restricted text is cut before parsing as well, so it stays out of the audit
# even if the parser were to read a fence as text; an unclosed fence hides everything after it.
_RESTRICTED_FENCE = re.compile(r"^[ \t]*:::[ \t]*restricted[ \t]*$.*?(?:^[ \t]*:::[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)


def _markdown_text(text: str) -> str:
    return plain_text(richtext.parse(_RESTRICTED_FENCE.sub("", text))).strip()


def _version(raw: bytes) -> _Version:
    """Read an action file (as far as it can be read) into audit fields."""
    ignored: list[Issue] = []
    loaded = load_file("", raw, ignored)
    fields: dict[str, str] = {}
    restricted = False
    if loaded is not None and loaded.meta is not None:
        for key, node in loaded.meta.items.items():
            fields[key] = _markdown_text(_node_text(node)) if key in _MARKDOWN_FIELDS else _node_text(node)
        flag = loaded.meta.get("restricted")
        restricted = isinstance(flag, Value) and flag.data is True
    if loaded is not None:
        fields["body"] = _markdown_text(loaded.body)
    return _Version(fields, restricted)


def _area_restricted(raw: bytes) -> bool:
    ignored: list[Issue] = []
    loaded = load_file("", raw, ignored)
    flag = loaded.meta.get("restricted") if loaded is not None and loaded.meta is not None else None
    return isinstance(flag, Value) and flag.data is True


def _field_order(keys: set[str]) -> list[str]:
    known = [k for k in _FIELD_ORDER if k in keys]
    others = sorted(k for k in keys if k not in _FIELD_ORDER and k != "body")
    return known + others + (["body"] if "body" in keys else [])


def audit_rows(history: ContentHistory, until: str | None, public_refs: set[str] | None = None) -> list[AuditRow]:
    """Every changed field of every public action, commit by commit up to `until` (inclusive), oldest first.

    An action is left out entirely when any version of it up to `until`, or of its business area, was
    restricted, or when it is not in `public_refs` (the public as-at plan's refs, when given): its
    history could otherwise show what was restricted.
    """
    commits: list[LoggedCommit] = []
    for commit in history.commits:
        commits.append(commit)
        if commit.sha == until:
            break
    if until is None:
        commits = []
    wanted = [
        blob
        for commit in commits
        for change in commit.changes
        if _ACTION_PATH.match(change.path) or _AREA_PATH.match(change.path)
        for blob in (change.old_blob, change.new_blob)
        if blob is not None
    ]
    blobs = history.fetch(wanted)
    versions: dict[str, _Version] = {}

    def version(blob: str | None) -> _Version:
        if blob is None:
            return _Version({}, False)
        if blob not in versions:
            versions[blob] = _version(blobs[blob])
        return versions[blob]

    hidden_refs: set[str] = set()
    hidden_folders: set[str] = set()
    pending: list[tuple[int, LoggedCommit, str, str, _Version, _Version]] = []
    for position, commit in enumerate(commits):
        for change in commit.changes:
            area = _AREA_PATH.match(change.path)
            if area:
                if any(b is not None and _area_restricted(blobs[b]) for b in (change.old_blob, change.new_blob)):
                    hidden_folders.add(area.group(1))
                continue
            action = _ACTION_PATH.match(change.path)
            if not action:
                continue
            folder, ref = action.group(1), action.group(2)
            old, new = version(change.old_blob), version(change.new_blob)
            if old.restricted or new.restricted:
                hidden_refs.add(ref)
            pending.append((position, commit, folder, ref, old, new))
    rows: list[AuditRow] = []
    for position, commit, folder, ref, old, new in pending:
        if ref in hidden_refs or folder in hidden_folders or (public_refs is not None and ref not in public_refs):
            continue
        when = commit.committed_at.astimezone(LONDON).isoformat()
        for key in _field_order(set(old.fields) | set(new.fields)):
            before, after = old.fields.get(key, ""), new.fields.get(key, "")
            if before != after:
                rows.append(AuditRow(when, commit.sha, commit.author, ref, key, before, after, commit.subject, position))
    return rows


def _safe_cell(text: str) -> str:
    """Defuse spreadsheet formulas: a leading quote makes Excel and LibreOffice show the text as typed."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def audit_csv(rows: Sequence[AuditRow]) -> bytes:
    """The audit trail as CSV (UTF-8, header CSV_HEADER, formula-safe cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row.cells()])
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class DiffPiece:
    """A run of words in a word diff: kind is 'same', 'removed' or 'added'."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> tuple[DiffPiece, ...]:
    """Old and new text as runs of unchanged, removed and added words (whitespace kept with its word)."""
    old_words = re.findall(r"\S+\s*", old)
    new_words = re.findall(r"\S+\s*", new)
    pieces: list[DiffPiece] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece("same", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(DiffPiece("removed", "".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append(DiffPiece("added", "".join(new_words[b1:b2])))
    return tuple(pieces)


def changed_since_signoff(history: ContentHistory, rows: Sequence[AuditRow], signoff: SignOffRecord | None) -> set[str]:
    """Refs of actions changed after the last sign-off's commit (after the end of its as-at day if not found)."""
    if signoff is None:
        return set()
    index = history.index_of(signoff.commit) if signoff.commit else None
    if index is None:
        from .history import end_of_uk_day

        cutoff = end_of_uk_day(signoff.as_at)
        return {r.ref for r in rows if history.commits[r.position].committed_at >= cutoff}
    return {r.ref for r in rows if r.position > index}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def audit_html(plan: Plan, rows: Sequence[AuditRow], flagged: set[str], signoff: SignOffRecord | None) -> str:
    """The audit trail as one HTML page, grouped by action (id="history-<ref>"), body changes as word diffs."""
    groups: dict[str, list[AuditRow]] = {}
    for row in rows:
        groups.setdefault(row.ref, []).append(row)
    actions = [
        {
            "ref": ref,
            "flagged": ref in flagged,
            "rows": [{"row": row, "diff": word_diff(row.old, row.new) if row.field == "body" else ()} for row in group],
        }
        for ref, group in sorted(groups.items(), key=lambda item: natural_key(item[0]))
    ]
    signoff_words = f"{date_in_words(signoff.signed_at)} by {signoff.signed_by}" if signoff and signoff.signed_at else ""
    return _environment().get_template("audit.html.j2").render(
        title=plan.info.title,
        as_at=plan.snapshot.as_at_words,
        commit=plan.snapshot.commit or "",
        actions=actions,
        row_count=len(rows),
        signoff_words=signoff_words,
    )


def audit_outputs(history: ContentHistory, plan: Plan, changes: ChangeSummary | None) -> dict[str, bytes]:
    """The public audit files for the plan's as-at date: audit-<as-at>.csv and audit-<as-at>.html."""
    commit = history.commit_as_at(plan.snapshot.as_at)
    public_refs = {a.ref for a in plan.public().actions}
    rows = audit_rows(history, commit.sha if commit else None, public_refs)
    signoff = changes.last_signoff if changes is not None else None
    if changes is None:
        from .records import latest_before

        signoff = latest_before(history.records(), plan.snapshot.as_at, signed_only=True)
    flagged = changed_since_signoff(history, rows, signoff)
    label = plan.snapshot.label
    return {
        f"audit-{label}.csv": audit_csv(rows),
        f"audit-{label}.html": audit_html(plan, rows, flagged, signoff).encode("utf-8"),
    }
