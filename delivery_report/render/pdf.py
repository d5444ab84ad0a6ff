"""The report pack as PDF: the DOCX converted by LibreOffice headless (what many councils publish).

Exported as PDF/UA (tagged: headings, tables with header cells, lists, figures' alt text and links in a
structure tree; the title shown instead of the file name; XMP metadata), which the UK public-sector
accessibility regulations expect of a published PDF. The language is the DOCX's (en-GB) and every
link of the DOCX is kept (the DOCX gives link text a character style: see render/docx/reference.py).

LibreOffice stamps the PDF with the clock (/CreationDate and the XMP's xmp:CreateDate), a document /ID
and a /DocChecksum. All are overwritten in place with values of the same length taken from the content
(the as-at day and a hash of the DOCX), so the cross-reference offsets and stream lengths stay valid
and the same commit gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
# XMP dates: 'YYYY-MM-DDThh:mm:ss' then the zone ('Z' under TZ=UTC), kept as written.
_XMP_DATE = re.compile(rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})")
# LibreOffice's PDF export options (writer_pdf_Export's filter data, as JSON: LibreOffice 7.4 and later).
# PDFUACompliance implies the tags; UseTaggedPDF is named as well so the intent reads plainly.
EXPORT_OPTIONS = {
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "ExportBookmarks": True,  # the PDF's outline (bookmarks pane) from the headings
    # The charts are drawings of flat colour and text: kept lossless, never as JPEG (which blurs the
    # figures' edges, and which LibreOffice picked for some charts and not others).
    "UseLosslessCompression": True,
}


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
                   "--convert-to", f"pdf:writer_pdf_Export:{filter_options()}", "--outdir", str(folder / "out"),
                   str(source)]
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


def filter_options() -> str:
    """EXPORT_OPTIONS in the JSON form --convert-to takes: {"Name": {"type": "boolean", "value": "true"}}."""
    return json.dumps({name: {"type": "boolean", "value": str(value).lower()}
                       for name, value in EXPORT_OPTIONS.items()}, separators=(",", ":"))


def fixed_stamps(pdf: bytes, as_at: dt.date, seed: str) -> bytes:
    """Replace the PDF's dates (in the info dictionary and the XMP metadata) and /ID with
    content-derived values of exactly the same length."""
    day = as_at.strftime("%Y%m%d000000").encode()
    xmp_day = as_at.strftime("%Y-%m-%dT00:00:00").encode()

    def date(match: re.Match[bytes]) -> bytes:
        return b"/" + match.group(1) + b"(D:" + day + match.group(3) + b")"

    def ident(match: re.Match[bytes]) -> bytes:
        first, second = match.group(1), match.group(2)
        value = (seed * 4).upper().encode()
        return match.group(0).replace(first, value[: len(first)]).replace(second, value[: len(second)])

    def checksum(match: re.Match[bytes]) -> bytes:
        return b"/DocChecksum /" + (seed * 4).upper().encode()[: len(match.group(1))]

    def xmp_date(match: re.Match[bytes]) -> bytes:
        return b"<xmp:" + match.group(1) + b">" + xmp_day

    return _XMP_DATE.sub(xmp_date, _CHECKSUM.sub(checksum, _ID.sub(ident, _DATE.sub(date, pdf))))
