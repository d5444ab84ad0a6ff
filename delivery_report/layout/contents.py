"""The contents page: the appendices and the business areas, each linking to its heading."""

from __future__ import annotations

from .nodes import Contents, ContentsEntry, Part, PartKind, Section, SectionKind, Title


def contents_part(appendices: list[Part]) -> Part:
    """'Contents': the appendices and the business areas, each linking to its heading."""
    entries: list[ContentsEntry] = []
    for part in appendices:
        if part.title is not None and part.title.id:
            entries.append(ContentsEntry(1, part.title.text, part.title.id))
        for node in part.children:
            if isinstance(node, Section) and node.title.id and node.kind == SectionKind.BUSINESS_AREA:
                entries.append(ContentsEntry(2, node.title.text, node.title.id))
    return Part("contents", Title(2, "Contents", id="contents-title"), (Contents(tuple(entries)),),
                kind=PartKind.CONTENTS, contents_label="Contents", labelledby="contents-title")

