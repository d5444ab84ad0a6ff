"""Sponsor, Lead and Owner cells: who they name, as the plan writes them.

Whoever is named becomes an entry of people.yaml under exactly that text ('PH', 'Dep PCC', 'Head of
Victim Services', 'Jane Smith'), with no name or role yet: the schema allows it and the report prints
what the plan printed. Only what is not a person at all ('TBC', 'n/a') is kept as text instead.
"""

from __future__ import annotations

import re

_HARD_SPLIT = re.compile(r"\s*(?:/|,|;|\n)\s*")
# '&' and 'and' join two people ('PH & SM') or are part of a role ('Head of Comms & Engagement'): split
# only when every part looks like initials or a short name
_SOFT_SPLIT = re.compile(r"\s*(?:&|\+|\band\b)\s*")
_INITIALS_LIKE = re.compile(r"^[A-Z0-9][A-Za-z0-9.'’-]*(?: [A-Z0-9][A-Za-z0-9.'’-]*)?$")
_NOT_A_PERSON = {"tbc", "tba", "tbd", "to be confirmed", "to be agreed", "to be determined", "to be decided",
                 "n/a", "na", "none", "not applicable", "?", "unknown"}
_NOTHING = {"", "-", "–", "—"}
_QUOTES = "\"'“”‘’"
MAX_PERSON_LENGTH = 60  # longer is a sentence, not someone's initials, name or role


def split_people(lines: list[str]) -> tuple[list[str], list[str]]:
    """(people, not people): the people named in a cell's lines, in order and once each, and the parts that
    name nobody ('TBC', a sentence), which the caller keeps as text."""
    people: list[str] = []
    others: list[str] = []
    for line in lines:
        for part in _HARD_SPLIT.split(line):
            for piece in _soft_split(part):
                piece = " ".join(piece.split()).strip(_QUOTES).strip()
                if piece in _NOTHING:
                    continue
                if piece.lower().rstrip(".") in _NOT_A_PERSON or len(piece) > MAX_PERSON_LENGTH:
                    others.append(piece)
                elif piece not in people:
                    people.append(piece)
    return people, others


def _soft_split(part: str) -> list[str]:
    pieces = [p for p in _SOFT_SPLIT.split(part) if p.strip()]
    if len(pieces) > 1 and all(len(p) <= 20 and _INITIALS_LIKE.match(p.strip()) for p in pieces):
        return pieces
    return [part]
