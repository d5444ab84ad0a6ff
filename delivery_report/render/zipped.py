"""Office packages (DOCX, XLSX) rewritten so the same content always gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable

# Zip members carry a date and a mode; fixed ones make the package depend only on its parts.
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_FIXED_MODE = 0o644 << 16


def fixed_package(data: bytes, rewrite: Callable[[str, bytes], bytes | Iterable[bytes]] | None = None) -> bytes:
    """The package with fixed member dates and modes; `rewrite(name, payload)` may change any part, giving its
    bytes or its bytes piece by piece (written as they come, so a large part is never held whole)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = _FIXED_MODE
            original = source.read(info.filename)
            payload = rewrite(info.filename, original) if rewrite is not None else original
            if isinstance(payload, bytes):
                target.writestr(member, payload)
            else:
                # The same bytes as writestr: one deflate stream, whatever the pieces.
                with target.open(member, "w") as stream:
                    for piece in payload:
                        stream.write(piece)
    return out.getvalue()
