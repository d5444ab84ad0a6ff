"""Who changed what: one row per changed field per action per commit, as CSV and as a readable HTML page."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from jinja2 import Environment
from markupsafe import Markup, escape

from .changes import ChangeSummary
from .history import ContentHistory
from .issues import BuildError
from .model import Plan, natural_key
from .records import SignOffRecord, date_in_words
from .sources import LONDON, MAX_READ_BYTES, LoggedCommit

CSV_HEADER = ("date", "commit", "author", "ref", "field", "old", "new", "message")
_ACTION_PATH = re.compile(r"^business_areas/([^/]+)/(\d+\.\d+)\.md$")
_AREA_PATH = re.compile(r"^business_areas/([^/]+)/_area\.md$")
# The order fields are listed in, as docs/content-format.md lists them; unknown keys follow, then the body.
_FIELD_ORDER = ("ref", "action", "priorities", "due", "sponsor", "lead", "rag", "status", "superseded_by",
                "carried_forward", "restricted")
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


# Fenced restricted text ('::: restricted' ... ':::') is cut from every text before it is compared, so it
# never reaches the audit. Looser than the Markdown parser on purpose (any number of colons, any case,
# inside lists or quotes): cutting too much is safe, and an unclosed fence hides everything after it.
_RESTRICTED_FENCE = re.compile(
    r"^[^\n]*:{3,}[ \t]*restricted\b[^\n]*$.*?(?:^[ \t>]*:{3,}[ \t]*$|\Z)", re.MULTILINE | re.DOTALL | re.IGNORECASE
)
# Front matter is read with PyYAML's base loader: every value exactly as typed (1.10 stays 1.10), nothing
# constructed, and many times faster than the build's loader over thousands of old versions.
_BASE_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_FALSE_WORDS = ("false", "no", "off", "")
# Anchors and aliases can make a tiny file expand enormously when written out: stop at this many values.
_MAX_VALUES = 10_000


def _cut_restricted(text: str) -> str:
    return _RESTRICTED_FENCE.sub("", text)


def _as_text(value: object, budget: list[int]) -> str:
    """A front-matter value as one line of text: lists joined with ', ', fields as 'key: value; ...'."""
    budget[0] -= 1
    if budget[0] < 0:
        return "(too long to show)"
    if isinstance(value, list):
        return ", ".join(_as_text(item, budget) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_as_text(item, budget)}" for key, item in value.items())
    return "" if value is None else str(value).strip()


def _split_file(raw: bytes) -> tuple[str | None, str]:
    """(front matter YAML or None, body) of a content file, split as load.load_file splits it."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None, text


# A front-matter line simple enough to read without YAML: `key: plain value`, `key: "quoted"` or
# `key: [a, b]`, giving exactly what the base loader gives. Anything else goes to the YAML loader.
_SIMPLE_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(.*?))?[ ]*$")
_PLAIN_VALUE = re.compile(r"^[^-?:,\[\]{}#&*!|>'\"%@`\s](?:[^#:]|:(?!\s|$)|(?<!\s)#)*$")
_QUOTED_VALUE = re.compile(r'^"([^"\\]*)"$')
# Tabs, other line breaks, no-break spaces, byte-order marks, controls: YAML treats them specially.
_UNUSUAL_CHARACTER = re.compile("[^\n\x20-\x7e\u00a1-\u2027\u202a-\ufefe\uff00-\uffff]")
_FLOW_LIST = re.compile(r"^\[([^\[\]{}#&*!|>'\"%@`:]*)\]$")


def _simple_front_matter(yaml_text: str) -> dict[str, object] | None:
    """The fields of a front matter made only of simple lines, or None to use the YAML loader."""
    if _UNUSUAL_CHARACTER.search(yaml_text):
        return None
    fields: dict[str, object] = {}
    for line in yaml_text.split("\n"):
        match = _SIMPLE_LINE.match(line)
        if match is None or match.group(1) in fields:
            return None
        value = match.group(2) or ""
        if not value:
            fields[match.group(1)] = ""
        elif _PLAIN_VALUE.match(value):
            fields[match.group(1)] = value
        elif quoted := _QUOTED_VALUE.match(value):
            fields[match.group(1)] = quoted.group(1)
        elif flow := _FLOW_LIST.match(value):
            items = [item.strip(" ") for item in flow.group(1).split(",")]
            if any(not item or not _PLAIN_VALUE.match(item) for item in items) and items != [""]:
                return None
            fields[match.group(1)] = [] if items == [""] else items
        else:
            return None
    return fields


def _front_matter(yaml_text: str | None) -> dict[str, object] | None:
    """The fields as typed, or None when the YAML cannot be read (an old version with a mistake)."""
    if yaml_text is None:
        return None
    simple = _simple_front_matter(yaml_text)
    if simple is not None:
        return simple
    try:
        data = yaml.load(yaml_text, Loader=_BASE_LOADER)  # the base loader constructs no objects
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _is_restricted(fields: dict[str, object] | None, yaml_text: str | None) -> bool:
    """Restricted unless clearly not; an unreadable header that mentions 'restricted' counts as restricted."""
    if fields is None:
        return yaml_text is not None and "restricted" in yaml_text.lower()
    flag = fields.get("restricted")
    return flag is not None and (not isinstance(flag, str) or flag.strip().lower() not in _FALSE_WORDS)


def _version(raw: bytes) -> _Version:
    """Read an action file (as far as it can be read) into audit fields, each as typed."""
    if len(raw) > MAX_READ_BYTES:
        # The build refuses such a file too; its text is not shown, and it counts as restricted
        # because nobody can tell from here whether it was.
        return _Version({"body": f"(the file was over {MAX_READ_BYTES:,} bytes; not shown)"}, True)
    yaml_text, body = _split_file(raw)
    data = _front_matter(yaml_text)
    fields: dict[str, str] = {}
    budget = [_MAX_VALUES]
    if data is None and yaml_text is not None:
        fields["front matter"] = _cut_restricted(yaml_text).strip()
    for key, value in (data or {}).items():
        fields[str(key)] = _cut_restricted(_as_text(value, budget)).strip()
    fields["body"] = _cut_restricted(body).strip()
    return _Version(fields, _is_restricted(data, yaml_text))


def _area_restricted(raw: bytes) -> bool:
    yaml_text, _ = _split_file(raw)
    return _is_restricted(_front_matter(yaml_text), yaml_text)


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


def _environment() -> Environment:
    """The report's own Jinja2 environment (installed templates, autoescape, strict undefined)."""
    from .render.html import environment

    return environment()


_PIECE_TAGS = {"same": ("", ""), "removed": ("<del>", "</del>"), "added": ("<ins>", "</ins>")}


def _change_cell(row: AuditRow) -> str:
    """The 'Change' cell as escaped HTML: a word diff for the body, old → new for a field."""
    if row.field == "body":
        return "".join(f"{_PIECE_TAGS[p.kind][0]}{escape(p.text)}{_PIECE_TAGS[p.kind][1]}" for p in word_diff(row.old, row.new))
    old = f"<del>{escape(row.old)}</del>" if row.old else "(none)"
    new = f"<ins>{escape(row.new)}</ins>" if row.new else "(none)"
    return f"{old} → {new}"


def _row_html(row: AuditRow) -> Markup:
    """One table row, every text escaped here (tens of thousands of rows are too slow through the template)."""
    return Markup(
        f"<tr><td>{escape(row.date)}</td><td>{escape(row.author)}</td><td>{escape(row.field)}</td>"
        f"<td class=\"change\">{_change_cell(row)}</td><td><code>{escape(row.commit[:12])}</code> {escape(row.message)}</td></tr>"
    )


def audit_html(plan: Plan, rows: Sequence[AuditRow], flagged: set[str], signoff: SignOffRecord | None) -> str:
    """The audit trail as one HTML page, grouped by action (id="history-<ref>"), body changes as word diffs."""
    groups: dict[str, list[AuditRow]] = {}
    for row in rows:
        groups.setdefault(row.ref, []).append(row)
    actions = [
        {"ref": ref, "flagged": ref in flagged, "rows": Markup("\n").join(_row_html(row) for row in group)}
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
        report_page=f"report-{plan.snapshot.label}.html",
    )


def audit_outputs(history: ContentHistory, plan: Plan, changes: ChangeSummary | None) -> dict[str, bytes]:
    """The public audit files for the plan's as-at date: audit-<as-at>.csv and audit-<as-at>.html."""
    if history.repo.is_shallow():
        # The oldest commit of a shallow clone would look as if it added every field of every action.
        raise BuildError(
            f"{history.repo.root}: this is a shallow clone, so the history before its cut-off is missing and the "
            "audit trail would be wrong; run `git fetch --unshallow` and build again"
        )
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
