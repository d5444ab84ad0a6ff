"""Who changed what: one row per changed field per action per commit of main, from the model's values.

Every version of every action file is read by the build's own reader (`assemble.read_action_file`,
cached by git blob id) and reduced by the build's own rule (`model.public_action`) before it is
compared, so the audit can show nothing a public report would not. A merged pull request's change
is credited to the commit in the merged branch that made it (its author and message), with who
merged it and when it reached main. Drawing the page is the HTML renderer's work (render/html.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .assemble import AREA_FILE, read_action_file, read_area_restricted
from .blobcache import BlobCache
from .changes import ChangeSummary
from .history import ContentHistory
from .layout.wording import as_at_words, date_in_words, datetime_in_words
from .load import display_name
from .model import Action, Plan, natural_key, outline_text, plain_text, public_action
from .records import SignOffRecord, latest_before
from .sources import LONDON, LoggedCommit

# Fixed for checks: the first eight columns and their order; merged_by was added after them.
CSV_HEADER = ("date", "commit", "author", "ref", "field", "old", "new", "message", "merged_by")
_ACTION_PATH = re.compile(r"^business_areas/(([0-9]{2})-[^/]+)/([0-9]+\.[0-9]+)\.md$")
_AREA_PATH = re.compile(r"^business_areas/([^/]+)/" + re.escape(AREA_FILE) + "$")
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The fields the audit compares, in the order docs/content-format.md lists them: the action's model values
# as a public report may show them ('body' is the status text). A field is listed once, here.
AUDIT_FIELDS: tuple[tuple[str, Callable[[Action], str]], ...] = (
    ("action", lambda a: outline_text(a.text)),
    ("priorities", lambda a: ", ".join(str(p) for p in a.priorities)),
    ("due", lambda a: a.due.raw if a.due else ""),
    ("sponsor", lambda a: ", ".join(a.sponsor)),
    ("lead", lambda a: ", ".join(a.lead)),
    ("rag", lambda a: a.rag or ""),
    ("status", lambda a: a.lifecycle),
    ("superseded_by", lambda a: ", ".join(a.superseded_by)),
    ("carried_forward", lambda a: a.carried_forward or ""),
    ("carried_forward_from", lambda a: a.carried_forward_from or ""),
    ("key_aims", lambda a: ", ".join(a.key_aims)),
    ("body", lambda a: outline_text(a.status)),
)
# Values an action has without anyone typing them (no 'status:' line reads as active): a new action's
# rows do not list them as changes.
_UNTYPED_DEFAULTS = {"status": "active"}


@dataclass(frozen=True)
class AuditRow:
    """One changed field of one action, credited to whoever made the change."""

    reached_main: dt.datetime
    commit: str
    author: str
    ref: str
    field: str
    old: str
    new: str
    message: str
    merged_by: str
    position: int
    # True when no earlier version of the action had a value in this field.
    never_set: bool = False

    @property
    def date(self) -> str:
        """When the change reached main, UK time, ISO 8601 (the CSV's date column)."""
        return self.reached_main.astimezone(LONDON).isoformat()

    def cells(self) -> tuple[str, ...]:
        """The row's CSV cells, in CSV_HEADER order."""
        return (self.date, self.commit, self.author, self.ref, self.field, self.old, self.new, self.message,
                self.merged_by)


@dataclass(frozen=True)
class _Version:
    """One version of an action as the audit compares it: its public field values, or withheld."""

    values: dict[str, str]
    withheld: bool


_ABSENT = _Version({}, False)
_WITHHELD = _Version({}, True)


class _Reader:
    """Reads versions of action and area files through the build's reader, each blob once."""

    def __init__(self, history: ContentHistory, blobs: Callable[[], dict[str, bytes]], kept: BlobCache):
        self.history = history
        self._blobs = blobs
        self._fetched: dict[str, bytes] | None = None
        self.kept = kept
        self.versions: dict[tuple[str, str], _Version] = {}

    @property
    def blobs(self) -> dict[str, bytes]:
        """The blobs' bytes, read from git only when a version is not in the kept cache."""
        if self._fetched is None:
            self._fetched = self._blobs()
        return self._fetched

    def shown(self, path: str) -> str:
        root = self.history.display_root
        return f"{root}/{path}" if root else path

    def action(self, path: str, blob: str | None) -> _Version:
        """The version of an action file in `blob` (None = absent): withheld when restricted or unreadable."""
        if blob is None:
            return _ABSENT
        key = (path, blob)
        if key not in self.versions:
            # What this reader made of this blob before (a blob id never changes meaning), else read it now.
            kept = self.kept.get(f"{path}\0{blob}")
            if isinstance(kept, list) and len(kept) == 2 and isinstance(kept[1], dict):
                self.versions[key] = _Version({str(k): str(v) for k, v in kept[1].items()}, bool(kept[0]))
            else:
                version = self._read_action(path, blob)
                self.kept.put(f"{path}\0{blob}", [version.withheld, version.values])
                self.versions[key] = version
        return self.versions[key]

    def _read_action(self, path: str, blob: str) -> _Version:
        match = _ACTION_PATH.match(path)
        if match is None:
            return _WITHHELD
        read = read_action_file(self.shown(path), self.blobs[blob], match.group(3), int(match.group(2)))
        # A version that cannot be read cleanly might have been restricted: nobody can tell, so it is withheld.
        if read.has_errors or read.action is None:
            return _WITHHELD
        shown = public_action(read.action, False, set())
        if shown is None:
            return _WITHHELD
        return _Version({name: value(shown) for name, value in AUDIT_FIELDS}, False)

    def area_restricted(self, path: str, blob: str | None) -> bool:
        """True when this version of an _area.md restricts its area, or cannot be read cleanly."""
        if blob is None:
            return False
        kept = self.kept.get(f"{path}\0{blob}")
        if isinstance(kept, bool):
            return kept
        restricted = read_area_restricted(self.shown(path), self.blobs[blob]) is not False
        self.kept.put(f"{path}\0{blob}", restricted)
        return restricted


def _one_line(text: str) -> str:
    """A name or message from git as one printable line: control characters escaped, so none can forge a column."""
    return display_name(" ".join(text.split()))


def _merged_by(commit: LoggedCommit) -> str:
    """Who put a change on main: a merge's author, or the committer of a commit committed by someone else."""
    if commit.is_merge:
        return _one_line(commit.author)
    return _one_line(commit.committer) if commit.committer != commit.author else ""


def audit_rows(history: ContentHistory, until: str | None, public_refs: set[str] | None = None) -> list[AuditRow]:
    """Every changed field of every public action, commit by commit of main up to `until` (inclusive), oldest first.

    An action is left out entirely when any version of it up to `until` (in main or in a branch merged into
    it), or of its business area, was restricted or could not be read, or when it is not in `public_refs`
    (the public as-at plan's refs, when given): its history could otherwise show what was restricted.
    """
    commits: list[LoggedCommit] = []
    if until is not None:
        for commit in history.commits:
            commits.append(commit)
            if commit.sha == until:
                break
    merged = history.log.merged_commits()
    content_paths = {change.path for commit in commits for change in commit.changes
                     if _ACTION_PATH.match(change.path) or _AREA_PATH.match(change.path)}
    side = {sha: merged.get(sha, ()) for sha in (c.sha for c in commits if c.is_merge)}
    wanted = [
        blob
        for commit in [*commits, *(c for branch in side.values() for c in branch)]
        for change in commit.changes
        if change.path in content_paths
        for blob in (change.old_blob, change.new_blob)
        if blob is not None
    ]
    kept = BlobCache("audit-versions")
    reader = _Reader(history, lambda: history.fetch(wanted), kept)
    hidden_refs: set[str] = set()
    hidden_folders: set[str] = set()
    pending: list[tuple[int, LoggedCommit, str, str, _Version, _Version, dict[str, LoggedCommit]]] = []
    for position, commit in enumerate(commits):
        for change in commit.changes:
            area = _AREA_PATH.match(change.path)
            if area:
                if any(reader.area_restricted(change.path, b) for b in (change.old_blob, change.new_blob)):
                    hidden_folders.add(area.group(1))
                continue
            action = _ACTION_PATH.match(change.path)
            if not action:
                continue
            folder, ref = action.group(1), action.group(3)
            old, new = reader.action(change.path, change.old_blob), reader.action(change.path, change.new_blob)
            if old.withheld or new.withheld:
                hidden_refs.add(ref)
                continue
            credit = _credit(reader, side.get(commit.sha, ()), change.path)
            pending.append((position, commit, folder, ref, old, new, credit))
    rows: list[AuditRow] = []
    ever_set: set[tuple[str, str]] = set()
    for position, commit, folder, ref, old, new, credit in pending:
        if ref in hidden_refs or folder in hidden_folders or (public_refs is not None and ref not in public_refs):
            continue
        for name, _ in AUDIT_FIELDS:
            before, after = old.values.get(name, ""), new.values.get(name, "")
            if not old.values and after == _UNTYPED_DEFAULTS.get(name):
                continue
            never = not before and (ref, name) not in ever_set
            if after:
                ever_set.add((ref, name))
            if before == after:
                continue
            maker = credit.get(name, commit)
            rows.append(AuditRow(
                reached_main=commit.committed_at, commit=commit.sha, author=_one_line(maker.author), ref=ref,
                field=name, old=before, new=after, message=_one_line(maker.subject), merged_by=_merged_by(commit),
                position=position, never_set=never,
            ))
    kept.save()
    return rows


def _credit(reader: _Reader, branch: Sequence[LoggedCommit], path: str) -> dict[str, LoggedCommit]:
    """For a merge, which commit of the merged branch last changed each field of the file at `path`.

    Only the branch's own versions are compared (parents first); a version that cannot be read is passed
    over. The values shown are always main's, so nothing of a branch's versions is printed."""
    credit: dict[str, LoggedCommit] = {}
    for commit in branch:
        for change in commit.changes:
            if change.path != path:
                continue
            old, new = reader.action(path, change.old_blob), reader.action(path, change.new_blob)
            if old.withheld or new.withheld:
                continue
            for name, _ in AUDIT_FIELDS:
                if old.values.get(name, "") != new.values.get(name, ""):
                    credit[name] = commit
    return credit


def _safe_cell(text: str) -> str:
    """Defuse spreadsheet formulas: a leading quote makes Excel and LibreOffice show the text as typed."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def audit_csv(rows: Sequence[AuditRow]) -> bytes:
    """The audit trail as CSV (UTF-8, header CSV_HEADER, formula-safe cells), oldest first."""
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
    # The shared start and end are cut first: most edits touch a few words, and matching only the
    # middle keeps thousands of diffs cheap.
    start = 0
    while start < min(len(old_words), len(new_words)) and old_words[start] == new_words[start]:
        start += 1
    end = 0
    while end < min(len(old_words), len(new_words)) - start and old_words[-1 - end] == new_words[-1 - end]:
        end += 1
    pieces: list[DiffPiece] = [DiffPiece("same", "".join(old_words[:start]))] if start else []
    old_middle, new_middle = old_words[start : len(old_words) - end], new_words[start : len(new_words) - end]
    opcodes = (
        difflib.SequenceMatcher(a=old_middle, b=new_middle, autojunk=False).get_opcodes()
        if old_middle and new_middle
        else [("replace", 0, len(old_middle), 0, len(new_middle))]
    )
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":
            pieces.append(DiffPiece("same", "".join(old_middle[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(DiffPiece("removed", "".join(old_middle[a1:a2])))
        if b2 > b1:
            pieces.append(DiffPiece("added", "".join(new_middle[b1:b2])))
    if end:
        pieces.append(DiffPiece("same", "".join(old_words[len(old_words) - end :])))
    return tuple(pieces)


# --- the audit page's content (drawn by render/html.py) -----------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    """One row of an action's history as the page shows it."""

    row: AuditRow
    when: str
    since_last_report: bool

    @property
    def pieces(self) -> tuple[DiffPiece, ...]:
        """The body's change as a word diff (other fields show old and new whole)."""
        return word_diff(self.row.old, self.row.new)


@dataclass(frozen=True)
class ActionHistory:
    """Every change to one action, newest first, and what the index says of it."""

    ref: str
    title: str
    entries: tuple[AuditEntry, ...]
    changed_since_report: int
    changed_since_signoff: bool


@dataclass(frozen=True)
class AuditTrail:
    """The audit page: which plan and date, the last report and sign-off, and each action's history."""

    title: str
    as_at: str
    commit: str
    last_report: str
    signoff: str
    actions: tuple[ActionHistory, ...]
    row_count: int
    report_page: str


def _boundary(history: ContentHistory, day: dt.date | None) -> int | None:
    """Position in main's line of the commit main stood at when `day` ended (None: no day, or nothing then)."""
    if day is None:
        return None
    commit = history.commit_as_at(day)
    return history.index_of(commit.sha) if commit is not None else -1


def changed_since_signoff(history: ContentHistory, rows: Sequence[AuditRow], signoff: SignOffRecord | None) -> set[str]:
    """Refs of actions changed after the last sign-off's commit (after the end of its as-at day if not found)."""
    if signoff is None:
        return set()
    index = history.index_of(signoff.commit) if signoff.commit else None
    if index is None:
        index = _boundary(history, signoff.as_at)
    return {r.ref for r in rows if index is not None and r.position > index}


def audit_trail(history: ContentHistory, plan: Plan, changes: ChangeSummary | None) -> tuple[list[AuditRow], AuditTrail]:
    """The audit rows of the public plan's actions up to its as-at date, and the page that shows them."""
    history.repo.refuse_shallow("the history before its cut-off is missing and the audit trail would be wrong")
    public = plan.public()
    commit = history.commit_as_at(plan.snapshot.as_at)
    rows = audit_rows(history, commit.sha if commit else None, {a.ref for a in public.actions})
    records = history.records()
    since = changes.since if changes is not None else None
    if since is None:
        record = latest_before(records, plan.snapshot.as_at)
        since = record.as_at if record else None
    signoff = changes.last_signoff if changes is not None else latest_before(records, plan.snapshot.as_at, True)
    boundary = _boundary(history, since)
    flagged = changed_since_signoff(history, rows, signoff)
    groups: dict[str, list[AuditRow]] = {}
    for row in rows:
        groups.setdefault(row.ref, []).append(row)
    actions = []
    for ref, group in sorted(groups.items(), key=lambda item: natural_key(item[0])):
        entries = tuple(
            AuditEntry(row, datetime_in_words(row.reached_main), boundary is not None and row.position > boundary)
            for row in reversed(group)
        )
        action = public.action(ref)
        actions.append(ActionHistory(
            ref=ref,
            title=plain_text(action.text) if action else "",
            entries=entries,
            changed_since_report=sum(1 for e in entries if e.since_last_report),
            changed_since_signoff=ref in flagged,
        ))
    signoff_words = f"{date_in_words(signoff.signed_at)} by {signoff.signed_by}" if signoff and signoff.signed_at else ""
    trail = AuditTrail(
        title=plan.info.title,
        as_at=as_at_words(plan.snapshot),
        commit=plan.snapshot.commit or "",
        last_report=date_in_words(since) if since is not None else "",
        signoff=signoff_words,
        actions=tuple(actions),
        row_count=len(rows),
        report_page=f"report-{plan.snapshot.label}.html",
    )
    return rows, trail
