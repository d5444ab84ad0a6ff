"""R/A/G ratings as plans show them: a word in the cell, a letter, or the cell's shading alone.

The words of the scales offices use are known (`KNOWN`): the default scale's (red, amber, green, white,
complete), the national five-point scale's in-betweens (Amber/Red, Amber/Green) and Dorset's (Yellow, Blue).
Each word read is kept as its rating's id; the ratings found, worst to best and in the office's own shading,
become plan.md's `ratings` (`ScaleFound.ratings`), so an office's scale is imported as the plan shows it. A
word that is no rating the importer knows ('On track') is never matched to the nearest: the row says so, the
word is kept as text, and the import's summary lists every word and colour found with what each became.
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


@dataclass(frozen=True)
class KnownRating:
    """A rating word offices use: the rating plan.md gets when a plan shows it, where it stands from worst (0)
    to best, and the default scale's fills (by hue) that agree with it (Amber/Green cells are shaded amber or
    green)."""

    rating: Rating
    rank: float
    fills: frozenset[str]


_DEFAULT = {rating.id: rating for rating in DEFAULT_SCALE.ratings}
KNOWN: dict[str, KnownRating] = {known.rating.id: known for known in (
    KnownRating(_DEFAULT[RED], 0, frozenset({RED})),
    KnownRating(Rating("amber-red", "Amber/Red", "FF6600", "Delivery at risk: significant issues that need action"),
                1, frozenset({RED, AMBER})),
    KnownRating(_DEFAULT[AMBER], 2, frozenset({AMBER})),
    KnownRating(Rating("yellow", "Yellow", "FFFF00", "In progress"), 2, frozenset({AMBER})),
    KnownRating(Rating("amber-green", "Amber/Green", "92D050", "Delivery likely: minor issues being managed"),
                3, frozenset({AMBER, GREEN})),
    KnownRating(_DEFAULT[GREEN], 4, frozenset({GREEN})),
    KnownRating(_DEFAULT[WHITE], 4.5, frozenset({WHITE})),
    KnownRating(Rating("blue", "Blue", "0070C0", "Complete; no further monitoring", complete=True), 5, frozenset()),
    KnownRating(_DEFAULT[COMPLETE], 6, frozenset({GREEN})),
)}

_WORD = re.compile(r"\b(red|amber|yellow|green|white|blue|completed?)\b|\(c\)", re.IGNORECASE)
# Two ratings in one: the national five-point scale's in-betweens ('Amber/Green', 'Red/Amber', 'Amber - Red')
_BETWEEN = re.compile(r"\b(red|amber|green)\s*(?:/|-|–|to)\s*(red|amber|green)\b", re.IGNORECASE)
_BETWEENS = {frozenset({"amber", "green"}): "amber-green", frozenset({"amber", "red"}): "amber-red"}
_LETTERS = {"r": RED, "a": AMBER, "g": GREEN, "w": WHITE, "c": COMPLETE, "y": "yellow", "b": "blue",
            "a/g": "amber-green", "g/a": "amber-green", "ag": "amber-green",
            "a/r": "amber-red", "r/a": "amber-red", "ar": "amber-red"}
_WORDS = {"red": RED, "amber": AMBER, "yellow": "yellow", "green": GREEN, "white": WHITE, "blue": "blue",
          "complete": COMPLETE, "completed": COMPLETE, "(c)": COMPLETE}


def scale() -> tuple[str, ...]:
    """The rating words the importer knows, worst to best (as the messages list them)."""
    return tuple(known.rating.label for known in sorted(KNOWN.values(), key=lambda k: k.rank))


def scale_ids() -> tuple[str, ...]:
    """The default scale's ids (red, amber, green, white, complete)."""
    return DEFAULT_SCALE.ids


def agrees(rating_id: str, fill_rating: str) -> bool:
    """True when a cell shaded as `fill_rating` (by hue) agrees with the rating its words give."""
    known = KNOWN.get(rating_id)
    return known is not None and fill_rating in known.fills


def rating_of_text(text: str) -> tuple[str | None, bool]:
    """(rating id, understood): the rating a cell's words give; (None, True) for an empty cell, (None, False) for
    words that are no rating the importer knows ('On track', 'Red/Green')."""
    text = " ".join(text.split())
    if not text:
        return None, True
    between = _BETWEEN.search(text)
    if between:
        pair = _BETWEENS.get(frozenset(word.lower() for word in between.groups()))
        return (pair, True) if pair else (None, False)
    word = _WORD.search(text)
    if word:
        return _WORDS[word.group(0).lower()], True
    letter = text.lower().strip(".()").replace(" ", "")
    if letter in _LETTERS:
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
        """The scale found, for plan.md's `ratings`: each rating the plan's words or shading gave, worst to best,
        in the shade the plan used most for it (the known colour where only words gave it), with the known words
        and meaning; and a complete rating, found or not, as a scale needs one. Nothing when the plan showed no
        rating at all (plan.md then has no `ratings`: the default scale)."""
        found = {rating_id for (_, rating_id) in (*self.words, *self.fills) if rating_id}
        if not found:
            return ()
        if not any(KNOWN[rating_id].rating.complete for rating_id in found):
            found.add(COMPLETE)
        shades: Counter[tuple[str, str]] = Counter()
        for (colour, shaded), count in self.fills.items():
            if shaded:
                shades[(shaded, colour)] += count
        chosen: list[Rating] = []
        for known in sorted((KNOWN[rating_id] for rating_id in found), key=lambda k: (k.rank, k.rating.id)):
            rating = known.rating
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
            out.append(f"Not a rating the import knows ({', '.join(scale())}), so left unrated and kept as text: "
                       f"{', '.join(off_scale)}")
        written = self.ratings()
        if written:
            listed = ", ".join(f"{r.label} #{r.colour}" for r in written)
            out.append(f"plan.md: 'ratings' lists the scale found, worst to best: {listed}; edit a rating's label, "
                       "colour or meaning there (docs/content-format.md)")
        return out


def _order(item: tuple[tuple[str, str | None], int]) -> tuple[float, int, str]:
    (text, rating), count = item
    position = KNOWN[rating].rank if rating in KNOWN else len(KNOWN)
    return (position, -count, text)
