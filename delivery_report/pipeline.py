"""The build: read and check everything first, render in memory, then write all outputs at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .assemble import assemble
from .issues import BuildError, ContentErrors
from .model import Plan, Snapshot
from .sources import LONDON, open_source
from .validate import validate


@dataclass(frozen=True)
class BuildRequest:
    """What to build: the content folder, the as-at date (None = working tree) and where to write."""

    content_dir: Path
    out_dir: Path
    as_at: Optional[dt.date] = None
    display_root: str = "content"
    today: Optional[dt.date] = None


def read_plan(request: BuildRequest) -> Plan:
    """Read, assemble and validate the content; raise ContentErrors listing every problem."""
    source, commit, draft = open_source(request.content_dir, request.display_root, request.as_at)
    files = source.read_all()
    as_at = request.as_at or request.today or dt.datetime.now(LONDON).date()
    snapshot = Snapshot(
        as_at=as_at,
        commit=commit.sha if commit else None,
        committed_at=commit.committed_at if commit else None,
        draft=draft,
    )
    plan, issues = assemble(files, request.display_root, snapshot)
    if plan is not None:
        issues += validate(plan)
    if issues or plan is None:
        raise ContentErrors(issues)
    return plan


def render_outputs(plan: Plan, restricted: bool = False) -> dict[str, bytes]:
    """Render the report pack: file name -> bytes.

    Public outputs see only `plan.public()`; with `restricted`, the internal copy sees everything and
    is named report-<as-at>-restricted.* and marked as not for publication.
    """
    from .layout import build_layout
    from .render.docx import render_docx
    from .render.html import render_html

    stem = f"report-{plan.snapshot.label}"
    if restricted:
        view = dataclasses.replace(plan, snapshot=dataclasses.replace(plan.snapshot, restricted_copy=True))
        stem += "-restricted"
    else:
        view = plan.public()
    report = build_layout(view)
    return {
        f"{stem}.docx": render_docx(report, view.snapshot),
        f"{stem}.html": render_html(report).encode("utf-8"),
    }


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write every output to a temporary file first, then move them all into place."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out_dir}: cannot create the output folder ({exc.strerror}); choose another with --out DIR") from None
    staged: list[tuple[str, Path]] = []
    mode = _file_mode()
    try:
        for name, data in outputs.items():
            handle, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            # mkstemp makes files only the builder can read; a report is meant to be downloaded and served
            os.chmod(tmp, mode)
            staged.append((tmp, out_dir / name))
        for tmp, final in staged:
            os.replace(tmp, final)
    except OSError as exc:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise BuildError(f"{out_dir}: cannot write the report ({exc.strerror}); nothing was written") from None
    return [final for _, final in staged]


def _file_mode() -> int:
    """The mode a newly created file gets under the current umask (what open() would give)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def build(request: BuildRequest, check_only: bool = False) -> tuple[Plan, list[Path]]:
    """Run the whole build; with check_only, validate and write nothing."""
    plan = read_plan(request)
    if check_only:
        return plan, []
    outputs = render_outputs(plan)
    return plan, write_outputs(request.out_dir, outputs)
