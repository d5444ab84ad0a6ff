"""The colours the report's cells and progress updates are drawn in, shared by the DOCX and the XLSX.

templates/_style.css.j2 gives the HTML the same colours (its comment states their contrast ratios); the
ratings' rules there are written from `rating_fills`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import RatingScale, Responder, for_every

BLACK = "000000"
WHITE = "FFFFFF"
# A fill whose contrast with the white page is below this is outlined, so the cell still shows as a rating.
_OUTLINE_BELOW = 1.1


@dataclass(frozen=True, slots=True)
class RatingFill:
    """How a rating's cells are drawn: its fill, the text colour on it, and whether the cell is outlined."""

    id: str
    fill: str
    text: str
    outlined: bool = False


def relative_luminance(colour: str) -> float:
    """WCAG 2.2's relative luminance of a colour written as six hex digits."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.2's contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (white on C00000, black on FFC000 and 00B050)."""
    return WHITE if contrast_ratio(fill, WHITE) > contrast_ratio(fill, BLACK) else BLACK


def rating_fills(ratings: RatingScale) -> tuple[RatingFill, ...]:
    """Each rating's fill and text colour, worst to best; an action not assessed has none (its cell stays white,
    with 'Not assessed' for screen readers)."""
    return tuple(RatingFill(r.id, r.colour, text_on(r.colour), contrast_ratio(r.colour, WHITE) < _OUTLINE_BELOW)
                 for r in ratings.ratings)


# The text colour of each responder's progress updates, as in the Panel's own table.
RESPONDER_COLOURS = for_every(Responder, {
    Responder.PANEL: "1F4E9E", Responder.PCC: "000000", Responder.CHIEF_CONSTABLE: "C00000",
})
