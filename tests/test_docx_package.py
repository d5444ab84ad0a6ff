"""The DOCX body is written into the package piece by piece, checked as it goes, and gives the same bytes."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from delivery_report.render.docx.package import RenderError, add_marker, normalised_package
from delivery_report.render.zipped import fixed_package


def _package_with_markers(count: int) -> bytes:
    document = docx.Document()
    document.add_paragraph("Before the blocks")
    for index in range(count):
        add_marker(document, index)
    document.add_paragraph("After the blocks")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(text: str) -> bytes:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'.encode()


def test_blocks_take_their_markers_places_in_order() -> None:
    blocks = [_paragraph(f"Block {n} \u2013 caf\u00e9") for n in range(3)]
    package = normalised_package(_package_with_markers(3), blocks)
    texts = [p.text for p in docx.Document(io.BytesIO(package)).paragraphs]
    assert texts == ["Before the blocks", "Block 0 \u2013 caf\u00e9", "Block 1 \u2013 caf\u00e9", "Block 2 \u2013 caf\u00e9",
                     "After the blocks"]
    with zipfile.ZipFile(io.BytesIO(package)) as parts:
        assert parts.testzip() is None
        assert b"@@block-" not in parts.read("word/document.xml")


def test_a_part_written_in_pieces_is_the_part_written_whole() -> None:
    source = _package_with_markers(0)
    big = b"<x>" + b"words of a status, " * 200_000 + b"</x>"

    def whole(name: str, payload: bytes) -> bytes:
        return big if name == "word/document.xml" else payload

    def in_pieces(name: str, payload: bytes) -> bytes | list[bytes]:
        if name != "word/document.xml":
            return payload
        return [big[start : start + 7_919] for start in range(0, len(big), 7_919)]

    assert fixed_package(source, in_pieces) == fixed_package(source, whole)


def test_a_malformed_block_fails_instead_of_reaching_word() -> None:
    blocks = [_paragraph("fine"), b"<w:p><w:r><w:t>broken</w:r></w:p>"]
    with pytest.raises(RenderError, match="malformed XML"):
        normalised_package(_package_with_markers(2), blocks)


def test_a_block_without_its_marker_fails_instead_of_being_lost() -> None:
    with pytest.raises(RenderError, match="placed 2 of the report's 3 blocks"):
        normalised_package(_package_with_markers(2), [_paragraph(str(n)) for n in range(3)])
