"""Sizes checked before anything is parsed.

A .docx is a zip package and its XML compresses a hundredfold or more, so a file of 212 KB can hold
120 MB of XML, which python-docx and lxml turn into gigabytes of memory before anything fails. The
zip's central directory declares every part's size before a byte is inflated: the package is refused
by those sizes and by how far each part is compressed. A declared size can lie, and Python's zipfile
inflates a part's whole stream in memory before cutting it to the declared size, so each part is then
inflated here a megabyte at a time and refused the moment it holds more than it declares; only then
does python-docx read it, and its reads are bounded by sizes that are true.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024
# The shipped plan's report (67 actions) is 48 KB with 330 KB of XML; Word writes about three times
# as much XML for the same table, so 32 MB is a plan of several thousand actions. Parsed, XML takes
# about ten to twenty times its size in memory.
MAX_PART_BYTES = 32 * MB
MAX_TOTAL_BYTES = 96 * MB  # every part together, pictures included (python-docx reads them all)
MAX_FILE_BYTES = 64 * MB
MAX_PARTS = 2000
# Word's XML compresses about 10:1, a table of one repeated sentence 60:1; a zip bomb 500:1 or more.
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1 * MB  # small parts (styles, settings) may compress very well and cost nothing


class TooLarge(Exception):
    """The package would expand beyond what the importer reads; the message says which part and why."""


def check_package(path: Path) -> None:
    """Refuse a package by its declared sizes before any part is read; raise TooLarge with a plain reason."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"is {_mb(size)}, more than the {_mb(MAX_FILE_BYTES)} the importer reads; save it again "
                       "from Word without pictures (File > Compress Pictures) or split the plan")
    with zipfile.ZipFile(path) as package:
        parts = package.infolist()
        if len(parts) > MAX_PARTS:
            raise TooLarge(f"holds {len(parts)} parts, more than the {MAX_PARTS} a Word document has; "
                           "open it in Word and save it again")
        total = 0
        for part in parts:
            total += part.file_size
            if part.file_size > MAX_PART_BYTES:
                raise TooLarge(f"would expand its part {part.filename} to {_mb(part.file_size)}, more than the "
                               f"{_mb(MAX_PART_BYTES)} the importer reads; if it really is the plan, split it into "
                               "smaller documents")
            if part.file_size > RATIO_CHECKED_ABOVE:
                ratio = part.file_size / max(part.compress_size, 1)
                if ratio > MAX_RATIO:
                    raise TooLarge(f"compresses its part {part.filename} {ratio:.0f} times ({_mb(part.compress_size)} "
                                   f"expanding to {_mb(part.file_size)}), where a Word document's parts compress at "
                                   f"most about {MAX_RATIO // 2} times; it was not made by Word as it stands "
                                   "(open it in Word and save it again)")
        if total > MAX_TOTAL_BYTES:
            raise TooLarge(f"would expand to {_mb(total)}, more than the {_mb(MAX_TOTAL_BYTES)} the importer reads; "
                           "save it again from Word without pictures (File > Compress Pictures) or split the plan")
    with path.open("rb") as raw:
        for part in parts:
            if not _holds_at_most_declared(raw, part):
                raise TooLarge(f"holds more in its part {part.filename} than the {_mb(part.file_size)} its zip directory "
                               "declares; it was altered after it was saved (open it in Word and save it again)")


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # the zip format's local file header, before the name and extra field
_CHUNK = 1 * MB


def _holds_at_most_declared(raw: BinaryIO, part: zipfile.ZipInfo) -> bool:
    """Inflate the part a chunk at a time; False as soon as it yields more than its declared size."""
    if part.flag_bits & 0x1:
        raise TooLarge(f"has an encrypted part {part.filename}; a Word document has none (save it without a password)")
    if part.compress_type == zipfile.ZIP_STORED:
        return part.compress_size <= part.file_size
    if part.compress_type != zipfile.ZIP_DEFLATED:
        raise TooLarge(f"compresses its part {part.filename} in a way Word never does; open it in Word and save it again")
    raw.seek(part.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return True  # not a readable part: zipfile reports the damage when python-docx opens it
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    raw.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left_to_read, inflated = part.compress_size, 0
    try:
        while left_to_read > 0 and not inflater.eof:
            data = raw.read(min(_CHUNK, left_to_read))
            if not data:
                break
            left_to_read -= len(data)
            while data and not inflater.eof:
                inflated += len(inflater.decompress(data, _CHUNK))
                if inflated > part.file_size:
                    return False
                data = inflater.unconsumed_tail
    except zlib.error:
        return True  # damaged: zipfile says so when python-docx opens it
    return True


def _mb(size: int) -> str:
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB"
