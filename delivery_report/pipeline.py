"""The build: read and check everything first, render in memory, then write all outputs at once."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .issues import BuildError, ContentErrors, Issue, warning
from .model import Plan, Snapshot
from .reading import plan_from_files
from .sources import LONDON, OpenedSource, open_source
from .validate import COVER_FILE, stale_cover_dates
from .writing import temporary_pattern, write_files

if TYPE_CHECKING:
    from .changes import ChangeSummary
    from .history import ContentHistory
    from .rounds import UpdateRound


# Output formats --format accepts, in the order they are made. pdf is converted from the docx; csv, xlsx
# and json are data exports of the same plan (delivery_report/export).
FORMATS = ("docx", "html", "pdf", "csv", "xlsx", "json")
DEFAULT_FORMATS = ("docx", "html")
# DELIVERY_REPORT_PAGE_NUMBERS=off: every build as with --no-page-numbers (the test suite sets it, so that only the
# tests of the Contents' page numbers pay for a LibreOffice run per DOCX).
PAGE_NUMBERS_SETTING = "DELIVERY_REPORT_PAGE_NUMBERS"
# LibreOffice's layout pass costs about 2 s for a real plan but some 50 s (and 630 MiB) at 5,000 actions: above
# this many actions the Contents keeps its fields empty (Word fills them with F9), so large plans stay fast.
PAGE_NUMBERS_MAX_ACTIONS = 1000


@dataclass(frozen=True)
class BuildRequest:
    """What to build: the content folder, the as-at date (None = working tree) and where to write."""

    content_dir: Path
    out_dir: Path
    as_at: dt.date | None = None
    display_root: str = "content"
    today: dt.date | None = None
    # Issue 8: the branch whose history --as-at reads; warnings count as errors; build the internal copy
    # (report-<as-at>-restricted.*, everything included) instead of the public pair.
    branch: str = "main"
    strict: bool = False
    restricted: bool = False
    # Warnings found by read_plan are appended here for the command line to print (the build goes on).
    warnings: list[Issue] = field(default_factory=list, compare=False)
    # Issue 9: compare with this date (None = the latest report record before the as-at date),
    # write the audit trail as well, and whether to work out changes at all.
    since: dt.date | None = None
    audit: bool = False
    changes: bool = True
    formats: tuple[str, ...] = DEFAULT_FORMATS
    # Issue 21: fill in the DOCX's Contents page numbers from LibreOffice's layout when it is installed (False:
    # leave them as empty fields for Word to fill in, and do not run LibreOffice for a DOCX alone).
    page_numbers: bool = True


def read_plan(request: BuildRequest) -> Plan:
    """Read, assemble and validate the content; raise ContentErrors listing every problem."""
    return _read_version(request)[0]


def read_plan_and_history(request: BuildRequest) -> tuple[Plan, ContentHistory]:
    """The plan as at `request.as_at` and the history of main it was chosen from (one git log for both): for
    commands that read the plan's past as well as one version of it, such as the update round."""
    from .history import ContentHistory

    if request.as_at is None:
        raise ValueError("read_plan_and_history reads a version of history: give the request an as_at date")
    plan, opened, _ = _read_version(request)
    if opened.log is None or opened.repo is None:  # open_source always keeps both for an as-at version
        raise BuildError(f"{request.display_root}: the history of the content could not be read")
    return plan, ContentHistory(opened.repo, opened.log, request.display_root)


def _read_version(request: BuildRequest, preview: bool = False) -> tuple[Plan, OpenedSource, dict[str, bytes]]:
    """The plan of the version asked for, the source it was opened from (with the history log it read) and
    the files it was read from. With `preview` (a build of the working tree, not a check), the templates'
    placeholders are shown, marked DRAFT, rather than stop the build (unfinished.py)."""
    today = request.today or dt.datetime.now(LONDON).date()
    if request.as_at is not None and request.as_at > today:
        raise BuildError(
            f"--as-at {request.as_at.isoformat()} is after today ({today.isoformat()}, UK time); "
            "a report can only show what was committed by a day that has happened"
        )
    _refuse_output_inside_content(request)
    opened = open_source(request.content_dir, request.display_root, request.as_at, request.branch)
    source, commit, draft = opened.source, opened.commit, opened.draft
    files = source.read_all()
    as_at = request.as_at or today
    snapshot = Snapshot(
        as_at=as_at,
        commit=commit.sha if commit else None,
        committed_at=commit.committed_at if commit else None,
        draft=draft,
    )
    # The working tree (a pull request's check) is compared with main: a deleted action file is an error
    # (unless the working tree opens the year after main's: main's plan.md says which year that is).
    main = dataclasses.replace(opened.repo, branch=request.branch) if request.as_at is None and opened.repo else None
    main_paths = main.branch_paths() if main is not None else None
    main_plan = main.branch_file("plan.md") if main is not None and main_paths is not None else None
    plan = plan_from_files(files, request.display_root, snapshot, request.strict, request.warnings,
                           main_paths=main_paths, main_plan=main_plan,
                           unfinished_allowed=preview and request.as_at is None)
    return plan, opened, files


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,html,pdf' -> ('docx', 'html', 'pdf'); a BuildError names any format not known."""
    wanted = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in wanted if name not in FORMATS]
    if unknown or not wanted:
        raise BuildError(f"--format {text!r}: {', '.join(unknown) or 'nothing'} is not a format; "
                         f"choose from {','.join(FORMATS)} (e.g. --format docx,html,pdf)")
    return tuple(name for name in FORMATS if name in wanted)


def render_outputs(plan: Plan, restricted: bool = False, changes: ChangeSummary | None = None,
                   formats: tuple[str, ...] = DEFAULT_FORMATS, history_page: str = "",
                   page_numbers: bool = False, update_round: UpdateRound | None = None) -> dict[str, bytes]:
    """Render the report pack in the formats asked for: file name -> bytes.

    Public outputs see only `plan.public()`; with `restricted`, the internal copy sees everything and
    is named report-<as-at>-restricted.* and marked as not for publication. With `page_numbers` and
    LibreOffice installed, the DOCX's Contents carries its page numbers (render.pdf.paginated_docx: one
    more LibreOffice run); otherwise its page fields are left empty for Word to fill in. `update_round` (who has
    not yet updated which action: it names people) is drawn in the restricted copy only.
    """
    from .layout import build_layout
    from .render.docx import render_docx
    from .render.html import render_html_bytes
    from .render.pdf import docx_to_pdf, libreoffice_installed, paginated_docx, soffice_path

    if "pdf" in formats:
        soffice_path()  # before any work: say at once how to install LibreOffice if it is missing

    stem = f"report-{plan.snapshot.label}"
    if restricted:
        view = dataclasses.replace(plan, snapshot=dataclasses.replace(plan.snapshot, restricted_copy=True))
        stem += "-restricted"
    else:
        view = plan.public()
    report = build_layout(view, changes, history_page, update_round if restricted else None)
    outputs: dict[str, bytes] = {}
    docx = b""
    if {"docx", "pdf"} & set(formats):
        paginated = page_numbers and len(view.actions) <= PAGE_NUMBERS_MAX_ACTIONS and libreoffice_installed()
        docx = paginated_docx(report, view.snapshot) if paginated else render_docx(report, view.snapshot)
    if "docx" in formats:
        outputs[f"{stem}.docx"] = docx
    if "html" in formats:
        outputs[f"{stem}.html"] = render_html_bytes(report)
    if "pdf" in formats:
        outputs[f"{stem}.pdf"] = docx_to_pdf(docx, view.snapshot.as_at)
    if {"csv", "xlsx", "json"} & set(formats):
        from .export import export_outputs

        # From the same plan the report shows (public, or the restricted copy's), never another.
        outputs.update(export_outputs(view, changes, formats, stem))
    return outputs


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write every output at once (writing.write_files): all of the new set in place, or the previous set kept.

    Stale temporaries of every report and audit file a killed build left in the folder are removed first,
    whichever formats this build writes."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out_dir}: cannot create the output folder ({exc.strerror}); choose another with --out DIR") from None
    for name, data in outputs.items():
        _check_output(name, data)
    return write_files(out_dir, outputs, "the report", stale=_OWN_TEMPORARIES)


# The build's own temporaries: '.<output name>.<random>.partial' of any report-<date>[-restricted].<format>
# or audit-<date>.<format> (a build of other formats or another date may have been the one killed).
_OWN_TEMPORARIES = temporary_pattern(
    rf"(?:report-\d{{4}}-\d{{2}}-\d{{2}}(?:-restricted)?|audit-\d{{4}}-\d{{2}}-\d{{2}})\.(?:{'|'.join(FORMATS)})",
    legacy=True)


def _check_output(name: str, data: bytes) -> None:
    """Refuse to replace a good report with one that would not open: DOCX must reopen, HTML must be UTF-8."""
    try:
        if name.endswith(".docx"):
            # Every part's checksum, and the parts Word needs. (The renderer has already parsed the body
            # with expat; reopening the whole package with python-docx cost more than the rendering.)
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                broken = package.testzip()
                if broken is not None:
                    raise ValueError(f"part {broken} is damaged")
                missing = {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} - set(package.namelist())
                if missing:
                    raise ValueError(f"parts {sorted(missing)} are missing")
        elif name.endswith(".html"):
            _check_utf8(data)
    except Exception as exc:
        raise BuildError(
            f"{name}: the report just built does not reopen ({type(exc).__name__}: {str(exc)[:200]}); "
            "nothing was written and the previous report is kept: please report this as a bug"
        ) from None


def _check_utf8(data: bytes, piece: int = 1 << 16) -> None:
    """Raise UnicodeDecodeError unless `data` is UTF-8: read piece by piece, as decoding it whole made the page
    once more as text (two bytes a character) just to be thrown away."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), piece):
        decoder.decode(data[start : start + piece])
    decoder.decode(b"", final=True)


def _refuse_output_inside_content(request: BuildRequest) -> None:
    """--out inside the content folder would put reports into the content (and into its history)."""
    content = request.content_dir.resolve()
    out = request.out_dir.resolve()
    if out == content or content in out.parents:
        raise BuildError(
            f"{request.out_dir}: the output folder is inside the content folder {request.content_dir}; "
            "the build never writes there: choose another with --out DIR (default: build)"
        )


def build(request: BuildRequest, check_only: bool = False) -> tuple[Plan, list[Path]]:
    """Run the whole build; with check_only, validate and write nothing."""
    plan, opened, files = _read_version(request, preview=not check_only)
    # Also on --check: it warns when the last report cannot be compared with (see read_changes).
    history, changes = read_changes(request, plan, opened)
    if history is not None:
        _check_cover_dates(request, plan, history, files.get(COVER_FILE))
    if check_only:
        return plan, []
    history_page = f"audit-{plan.snapshot.label}.html" if request.audit and history is not None else ""
    outputs = render_outputs(plan, restricted=request.restricted, changes=changes, formats=request.formats,
                             history_page="" if request.restricted else history_page,
                             page_numbers=request.page_numbers and os.environ.get(PAGE_NUMBERS_SETTING) != "off",
                             update_round=restricted_round(request, plan, history))
    if request.audit and history is not None:
        outputs.update(audit_outputs(history, plan, changes))
    return plan, write_outputs(request.out_dir, outputs)


def restricted_round(request: BuildRequest, plan: Plan, history: ContentHistory | None) -> UpdateRound | None:
    """The update round the restricted copy lists (who has not yet updated which action): for an as-at build of
    the restricted copy, from the history the build read; None for any other build.

    A working-tree build has no round: its content is not yet what main holds. Should the round not be worked out
    (a commit not on the branch's own line), the copy is built without it and a warning says why."""
    from .update_round import update_round

    if not request.restricted or request.as_at is None or history is None:
        return None
    try:
        return update_round(plan, history, restricted=True)
    except BuildError as reason:
        request.warnings.append(warning(f"{request.display_root}/reports", 1,
                                        f"the restricted copy has no update round: {reason}"))
        return None


def audit_outputs(history: ContentHistory, plan: Plan, changes: ChangeSummary | None) -> dict[str, bytes]:
    """The public audit files for the plan's as-at date: audit-<as-at>.csv and audit-<as-at>.html."""
    from .audit import audit_csv, audit_trail
    from .render.html import render_audit_html

    rows, trail = audit_trail(history, plan, changes)
    label = plan.snapshot.label
    return {f"audit-{label}.csv": audit_csv(rows), f"audit-{label}.html": render_audit_html(trail).encode("utf-8")}


def _check_cover_dates(request: BuildRequest, plan: Plan, history: ContentHistory, cover: bytes | None) -> None:
    """Warn when the cover report still carries the last report's meeting or approval dates (validate.
    stale_cover_dates); the last report is the one the change summary compares with by default: the latest
    report record before the as-at date. With --strict the warnings stop the build."""
    from .records import latest_before

    previous = latest_before(history.records(), plan.snapshot.as_at)
    if plan.cover is None or cover is None or previous is None:
        return
    found = stale_cover_dates(plan.cover.origin.path, cover, previous)
    if found and request.strict:
        raise ContentErrors(found)
    request.warnings.extend(found)


def read_changes(request: BuildRequest, plan: Plan,
                 opened: OpenedSource | None = None) -> tuple[ContentHistory | None, ChangeSummary | None]:
    """The content's history and the change summary since --since or the last report (issue 9): of the
    public plans, or of the full plans for the restricted copy, whose readers may see everything.

    An as-at build has already read the history's log to choose its commit; it is used again, not re-read."""
    from .history import ContentHistory, NoEarlierVersion, summary_since

    wanted = request.changes or request.since is not None or request.audit
    if not wanted:
        return None, None
    try:
        if opened is not None and opened.log is not None and opened.repo is not None:
            history = ContentHistory(opened.repo, opened.log, request.display_root)
        else:
            history = ContentHistory.read(request.content_dir, request.display_root, tip=request.branch)
    except BuildError:
        if request.since is not None or request.audit:
            raise
        return None, None  # not a git repository: a working-tree build has nothing to compare with
    try:
        return history, summary_since(history, plan, request.since, public=not request.restricted)
    except NoEarlierVersion as reason:
        if request.since is not None:
            raise
        # The last report's date comes from content/reports/ (e.g. a plan copied with a fresh history):
        # say why the report has no 'Changes since' section rather than stop the build.
        request.warnings.append(warning(f"{request.display_root}/reports", 1,
                                        f"no comparison with the last report: {reason}"))
        return history, None
