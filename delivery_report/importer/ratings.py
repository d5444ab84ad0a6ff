"""R/A/G ratings as plans show them: a word in the cell, a letter, or the cell's shading alone.

They are read onto the default scale (model.DEFAULT_SCALE: red, amber, green, white, complete), and the ratings
found, with the office's own shading, become plan.md's `ratings` (`ScaleFound.ratings`). A word or colour that is not on it is never matched to the nearest: the row says so, and
the import's summary lists every word and colour found with what each became.
"""

from __future__ import annotations

import colorsys
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import DEFAULT_SCALE, Rating

# The default scale's ids, as the importer reads words and shading onto them.
RED, AMBER, GREEN, WHITE, COMPLETE = DEFAULT_SCALE.ids

_WORD = re.compile(r"\b(red|amber|green|white|completed?)\b|\(c\)", re.IGNORECASE)
# Two ratings in one ('Amber/Green', the national five-point scale's in-betweens) are not on the scale
_BETWEEN = re.compile(r"\b(red|amber|green)\s*(?:/|-|–|to)\s*(red|amber|green)\b", re.IGNORECASE)
_LETTERS = {"r": RED, "a": AMBER, "g": GREEN, "w": WHITE, "c": COMPLETE}
_WORDS = {"red": RED, "amber": AMBER, "green": GREEN, "white": WHITE, "complete": COMPLETE, "completed": COMPLETE,
          "(c)": COMPLETE}


def scale() -> tuple[str, ...]:
    """The ratings words and shading are read onto, worst to best (red, amber, green, white, complete)."""
    return DEFAULT_SCALE.ids


def rating_of_text(text: str) -> tuple[str | None, bool]:
    """(rating, understood): the rating a cell's words give; (None, True) for an empty cell, (None, False) for
    words that are not a rating on the scale ('Blue', 'Amber/Green', 'On track')."""
    text = " ".join(text.split())
    if not text:
        return None, True
    if _BETWEEN.search(text):
        return None, False
    word = _WORD.search(text)
    if word:
        rating = _WORDS[word.group(0).lower()]
        return (rating, True) if rating in scale() else (None, False)
    letter = text.lower().strip(".()")
    if letter in _LETTERS and _LETTERS[letter] in scale():
        return _LETTERS[letter], True
    return None, False


def rating_of_fill(fill: str) -> str | None:
    """red, amber, green or white from a cell's fill colour (hex RRGGBB); None for any other colour.

    By hue, so Word's own colours (FF0000, C00000, FFC000, FFFF00, 00B050, 92D050) and the pale ones
    spreadsheets use (FFC7CE, FFEB9C, C6EFCE) all read; grey, black, blue and purple are not ratings."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    red, green, blue = (int(fill[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    degrees = hue * 360
    if saturation < 0.12:
        return WHITE if value >= 0.9 else None
    if value < 0.35:
        return None  # too dark to be a rating's fill
    if degrees < 15 or degrees >= 335:
        return RED
    if degrees < 66:
        return AMBER  # orange to yellow: plans shade amber yellow as often as orange
    if degrees < 170:
        return GREEN
    return None


def colour_name(fill: str) -> str:
    """A plain name for a fill that is not a rating ('blue', 'grey'), for the reports."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return f"#{fill}"
    red, green, blue = (int(fill[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.12:
        return "grey" if value >= 0.35 else "black"
    degrees = hue * 360
    if value < 0.35:
        return "dark"
    return "turquoise" if degrees < 190 else "blue" if degrees < 260 else "purple" if degrees < 300 else "pink"


@dataclass
class ScaleFound:
    """Every rating word and shading colour met, with how many cells and what each became (None: not on the scale)."""

    words: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    fills: Counter[tuple[str, str | None]] = field(default_factory=Counter)

    def word(self, text: str, rating: str | None) -> None:
        self.words[(" ".join(text.split()), rating)] += 1

    def fill(self, colour: str, rating: str | None) -> None:
        self.fills[(colour.upper(), rating)] += 1

    def ratings(self) -> tuple[Rating, ...]:
        """The scale found, for plan.md's `ratings`: each rating of the default scale that the plan's words or
        shading gave, worst to best, in the shade the plan used most for it (the default colour where only words
        gave it), with the default's words and meaning; and the complete rating, found or not, as a scale needs
        one. Nothing when the plan showed no rating at all (plan.md then has no `ratings`: the default scale)."""
        found = {rating_id for (_, rating_id) in (*self.words, *self.fills) if rating_id}
        if not found:
            return ()
        shades: Counter[tuple[str, str]] = Counter()
        for (colour, shaded), count in self.fills.items():
            if shaded:
                shades[(shaded, colour)] += count
        chosen: list[Rating] = []
        for rating in DEFAULT_SCALE.ratings:
            if rating.id not in found and not rating.complete:
                continue
            counted = sorted((-count, colour) for (shaded, colour), count in shades.items() if shaded == rating.id)
            chosen.append(dataclasses.replace(rating, colour=counted[0][1]) if counted else rating)
        return tuple(chosen)

    def lines(self) -> list[str]:
        """The summary: one line for the words, one for the colours, one for what is not on the scale."""
        out: list[str] = []
        if self.words:
            found = ", ".join(f"'{text}' x{count} -> {rating}" for (text, rating), count in
                              sorted(self.words.items(), key=_order) if rating)
            if found:
                out.append(f"R/A/G words found: {found}")
        if self.fills:
            found = ", ".join(f"#{colour} x{count} -> {rating}" for (colour, rating), count in
                              sorted(self.fills.items(), key=_order) if rating)
            if found:
                out.append(f"R/A/G shading found: {found}")
        off_scale = [f"'{text}' x{count}" for (text, rating), count in sorted(self.words.items(), key=_order) if not rating]
        off_scale += [f"#{colour} ({colour_name(colour)}) x{count}" for (colour, rating), count in
                      sorted(self.fills.items(), key=_order) if not rating]
        if off_scale:
            out.append(f"Not on the report's scale ({', '.join(scale())}), so left unrated and kept as text: "
                       f"{', '.join(off_scale)}")
        if out:
            out.append(f"(The report's scale is {', '.join(scale())}; the words and colours above were read onto it.)")
        written = self.ratings()
        if written:
            listed = ", ".join(f"{r.label} #{r.colour}" for r in written)
            out.append(f"plan.md: 'ratings' lists the scale found, worst to best: {listed}; edit a rating's label, "
                       "colour or meaning there (docs/content-format.md)")
        return out


def _order(item: tuple[tuple[str, str | None], int]) -> tuple[int, int, str]:
    (text, rating), count = item
    position = scale().index(rating) if rating in scale() else len(scale())
    return (position, -count, text)
