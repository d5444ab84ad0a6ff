"""The report pack as PDF: the DOCX converted by LibreOffice headless (what many councils publish).

LibreOffice stamps the PDF with the clock (/CreationDate), a document /ID and a /DocChecksum. All are
overwritten in place with values of the same length taken from the content (the as-at day and a
hash of the DOCX), so the cross-reference offsets stay valid and the same commit gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..issues import BuildError

INSTALL_HINT = (
    "PDF output needs LibreOffice: install it (Debian/Ubuntu: 'sudo apt-get install libreoffice-writer') "
    "and build again, or leave pdf out of --format"
)
_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:(\d{14})([^)]*)\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-Fa-f]+)")


def soffice_path() -> str:
    """The LibreOffice program, or a BuildError saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise BuildError(INSTALL_HINT)
    return found


def docx_to_pdf(docx: bytes, as_at: dt.date, timeout: float = 180) -> bytes:
    """Convert DOCX bytes to PDF bytes with LibreOffice headless; stamps fixed from the content."""
    program = soffice_path()
    with tempfile.TemporaryDirectory(prefix="delivery-report-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        # A profile of its own: no clash with a LibreOffice the user has open, nothing read from theirs.
        profile = (folder / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(folder / "out"), str(source)]
        # UTC, so the stamp LibreOffice writes always has the same length (fixed_stamps keeps offsets).
        env = {**os.environ, "HOME": str(folder), "TZ": "UTC"}
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise BuildError(f"LibreOffice did not finish the PDF within {timeout:.0f} s; nothing was written") from None
        target = folder / "out" / "report.pdf"
        if result.returncode != 0 or not target.exists():
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise BuildError("LibreOffice could not convert the report to PDF"
                             + (f" ({detail[-1]})" if detail else "") + "; nothing was written")
        return fixed_stamps(target.read_bytes(), as_at, hashlib.sha256(docx).hexdigest())


def fixed_stamps(pdf: bytes, as_at: dt.date, seed: str) -> bytes:
    """Replace the PDF's dates and /ID with content-derived values of exactly the same length."""
    day = as_at.strftime("%Y%m%d000000").encode()

    def date(match: re.Match[bytes]) -> bytes:
        return b"/" + match.group(1) + b"(D:" + day + match.group(3) + b")"

    def ident(match: re.Match[bytes]) -> bytes:
        first, second = match.group(1), match.group(2)
        value = (seed * 4).upper().encode()
        return match.group(0).replace(first, value[: len(first)]).replace(second, value[: len(second)])

    def checksum(match: re.Match[bytes]) -> bytes:
        return b"/DocChecksum /" + (seed * 4).upper().encode()[: len(match.group(1))]

    return _CHECKSUM.sub(checksum, _ID.sub(ident, _DATE.sub(date, pdf)))
