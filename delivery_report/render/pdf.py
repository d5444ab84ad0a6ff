"""The report pack as PDF: the DOCX converted by LibreOffice headless (what many councils publish).

Exported as PDF/UA (tagged: headings, tables with header cells, lists, figures' alt text and links in a
structure tree; the title shown instead of the file name; XMP metadata), which the UK public-sector
accessibility regulations expect of a published PDF. The language is the DOCX's (en-GB) and every
link of the DOCX is kept (the DOCX gives link text a character style: see render/docx/reference.py).

LibreOffice stamps the PDF with the clock (/CreationDate and the XMP's xmp:CreateDate), a document /ID
and a /DocChecksum. All are overwritten in place with values of the same length taken from the content
(the as-at day and a hash of the DOCX), so the cross-reference offsets and stream lengths stay valid
and the same commit gives the same bytes.

`bookmark_pages` reads back the page LibreOffice laid each heading out on (from the same export, with each
bookmark also written as a named destination), so the DOCX's Contents can carry its page numbers already
filled in (see pipeline.render_outputs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..issues import BuildError

if TYPE_CHECKING:
    from ..layout import Report
    from ..model import Snapshot

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


# Only to read pages back: every bookmark of the DOCX also a named destination of the PDF, under its own name.
# Not in the PDF that is published, whose links and outline do not need them.
_PAGE_READING_OPTIONS = {**EXPORT_OPTIONS, "ExportBookmarksToPDFDestination": True}


def libreoffice_installed() -> bool:
    """Whether LibreOffice's program is on the PATH (soffice_path would find it)."""
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def soffice_path() -> str:
    """The LibreOffice program, or a BuildError saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise BuildError(INSTALL_HINT)
    return found


def docx_to_pdf(docx: bytes, as_at: dt.date, timeout: float = 180) -> bytes:
    """Convert DOCX bytes to PDF bytes with LibreOffice headless; stamps fixed from the content."""
    return fixed_stamps(_libreoffice_pdf(docx, EXPORT_OPTIONS, timeout), as_at, hashlib.sha256(docx).hexdigest())


def paginated_docx(report: Report, snapshot: Snapshot, timeout: float = 180) -> bytes:
    """The report's DOCX with the Contents' page numbers filled in: the DOCX is rendered, LibreOffice lays it out,
    and it is rendered again with the page each Contents entry's heading fell on as its PAGEREF field's result.

    Word shows those numbers as they are (no F9 needed, so the bytes signed stay the bytes opened) and can still
    update the fields; LibreOffice lays the filled DOCX out on the same pages (its PDF shows the same numbers).
    Needs LibreOffice (soffice_path); the numbers are those of its layout, so of the fonts it finds."""
    from .docx import contents_bookmarks, render_docx

    docx = render_docx(report, snapshot)
    bookmarks = contents_bookmarks(report)
    if not bookmarks:
        return docx
    try:
        pages = bookmark_pages(docx, bookmarks, timeout)
    except BuildError as error:
        raise BuildError(f"the Contents' page numbers are read from LibreOffice's layout of the report, which failed: "
                         f"{error} (build with --no-page-numbers to leave them for Word to fill in)") from None
    return render_docx(report, snapshot, pages)


def bookmark_pages(docx: bytes, bookmarks: Iterable[str], timeout: float = 180) -> dict[str, int]:
    """The page number (1 for the first page: the report never restarts its numbering) of each bookmark
    asked for, as LibreOffice lays the DOCX out; a bookmark it did not export is left out."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_libreoffice_pdf(docx, _PAGE_READING_OPTIONS, timeout)))
    destinations = {name.lstrip("/"): destination for name, destination in reader.named_destinations.items()}
    pages: dict[str, int] = {}
    for bookmark in bookmarks:
        # LibreOffice writes a destination's name with each character other than A-Z, a-z, 0-9 and '-' as its
        # code in hexadecimal ('_Toc_x' -> '5FToc5Fx'); the name as it is, should a later version not.
        destination = destinations.get(destination_name(bookmark), destinations.get(bookmark))
        if destination is not None:
            index = reader.get_destination_page_number(destination)
            if index is not None and index >= 0:
                pages[bookmark] = index + 1
    return pages


def destination_name(bookmark: str) -> str:
    """The named destination LibreOffice's PDF export writes for a bookmark (vcl's appendDestinationName)."""
    out = []
    for char in bookmark:
        if char.isascii() and (char.isalnum() or char == "-"):
            out.append(char)
        else:
            code = ord(char)
            out.append((f"{code >> 8:02X}" if code > 0xFF else "") + f"{code & 0xFF:02X}")
    return "".join(out)


def _libreoffice_pdf(docx: bytes, options: Mapping[str, bool], timeout: float) -> bytes:
    """LibreOffice's PDF of the DOCX, exported with these options, as LibreOffice wrote it."""
    program = soffice_path()
    with tempfile.TemporaryDirectory(prefix="delivery-report-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        # A profile of its own: no clash with a LibreOffice the user has open, nothing read from theirs.
        profile = (folder / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", f"pdf:writer_pdf_Export:{filter_options(options)}", "--outdir", str(folder / "out"),
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
        return target.read_bytes()


def filter_options(options: Mapping[str, bool] = EXPORT_OPTIONS) -> str:
    """Export options in the JSON form --convert-to takes: {"Name": {"type": "boolean", "value": "true"}}."""
    return json.dumps({name: {"type": "boolean", "value": str(value).lower()}
                       for name, value in options.items()}, separators=(",", ":"))


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
