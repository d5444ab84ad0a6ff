"""Small bar charts of a measure's values per period: SVG markup for the HTML, PNG bytes for the DOCX.

Both are drawn from one geometry (`bars`), in a few lines of our own rather than with a plotting
library: a chart of two to forty bars needs no more, the output is byte-identical for the same
values by construction (no fonts, clocks or hash salts involved), and the build stays free of a
large dependency. The figures themselves are never only in the picture: the layout gives every
chart a text alternative that states them and a table of the same numbers.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from markupsafe import Markup, escape

from .. import layout

WIDTH, HEIGHT = 360, 180
_TOP, _BOTTOM, _LEFT, _RIGHT = 26, 34, 10, 10
BAR_COLOUR = "1F4E9E"  # the Panel blue of the DOCX (at least 4.5:1 against white)
EARLIER_COLOUR = "8EA9DB"
TARGET_COLOUR = "C00000"
AXIS_COLOUR = "595959"


@dataclass(frozen=True)
class Bar:
    """One bar in chart units (0..WIDTH, 0..HEIGHT, y downwards) with its labels."""

    x: float
    y: float
    width: float
    height: float
    value_label: str
    period_label: str
    current: bool


@dataclass(frozen=True)
class Geometry:
    """Where the bars, the zero line and the target line (if any) are drawn."""

    bars: tuple[Bar, ...]
    zero_y: float
    target_y: float | None


def bars(chart: layout.Chart) -> Geometry:
    """The chart's bars: heights from zero (or the lowest negative value) to the highest value or target."""
    values = [p.value for p in chart.points]
    extremes = values + ([chart.target] if chart.target is not None else [])
    top = max(max(extremes), 0.0)
    bottom = min(min(extremes), 0.0)
    span = (top - bottom) or 1.0
    plot_height = HEIGHT - _TOP - _BOTTOM
    scale = plot_height / span

    def y_of(value: float) -> float:
        return _TOP + (top - value) * scale

    zero_y = y_of(0.0)
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(values), 1)
    width = slot * 0.6
    out = []
    for index, point in enumerate(chart.points):
        y = y_of(point.value)
        out.append(Bar(x=_LEFT + slot * index + (slot - width) / 2, y=min(y, zero_y), width=width,
                       height=abs(zero_y - y), value_label=point.shown, period_label=point.label,
                       current=index == len(chart.points) - 1))
    return Geometry(tuple(out), zero_y, y_of(chart.target) if chart.target is not None else None)


def _n(number: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (stable text for the same input)."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _short(label: str, width: float) -> str:
    """A period label cut to fit under its bar (about 5 units a character); the table has it in full."""
    most = max(int(width / 5), 3)
    return label if len(label) <= most else label[: most - 1] + "…"


def labelled(index: int, count: int, label: str, slot: float) -> bool:
    """Whether a bar's value is printed above it: when it fits at the smallest size, and always for the first
    and last bars (the alt text and the table beside the chart give every value)."""
    return index in (0, count - 1) or slot >= 0.62 * 6 * len(label)


def value_font_size(label: str, slot: float) -> float:
    """The value labels' size: 12 units, smaller when many bars leave too little room (about 0.6 em a digit)."""
    return max(6.0, min(12.0, slot / (0.62 * max(len(label), 1))))


def svg(chart: layout.Chart) -> Markup:
    """The chart as inline SVG: role="img" with the text alternative as its accessible name."""
    shape = bars(chart)
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(shape.bars), 1)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(chart.alt)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg" data-chart="{escape(chart.id)}">',
    ]
    count = len(shape.bars)
    for index, bar in enumerate(shape.bars):
        colour = BAR_COLOUR if bar.current else EARLIER_COLOUR
        middle = _n(bar.x + bar.width / 2)
        parts.append(
            f'<rect x="{_n(bar.x)}" y="{_n(bar.y)}" width="{_n(bar.width)}" height="{_n(bar.height)}" '
            f'fill="#{colour}" data-label="{escape(bar.period_label)}" data-value="{escape(bar.value_label)}"/>'
        )
        if labelled(index, count, bar.value_label, slot):
            parts.append(f'<text x="{middle}" y="{_n(bar.y - 6)}" text-anchor="middle" '
                         f'font-size="{_n(value_font_size(bar.value_label, slot))}" '
                         f'font-weight="bold" fill="#000">{escape(bar.value_label)}</text>')
        if slot >= 30 or index in (0, count - 1):  # beyond 11 bars only the first and last period are named
            parts.append(f'<text x="{middle}" y="{HEIGHT - 12}" text-anchor="middle" font-size="10" '
                         f'fill="#000">{escape(_short(bar.period_label, max(slot, 60)))}</text>')
    parts.append(f'<line x1="{_LEFT}" y1="{_n(shape.zero_y)}" x2="{WIDTH - _RIGHT}" y2="{_n(shape.zero_y)}" '
                 f'stroke="#{AXIS_COLOUR}" stroke-width="1"/>')
    if shape.target_y is not None:
        parts.append(f'<line x1="{_LEFT}" y1="{_n(shape.target_y)}" x2="{WIDTH - _RIGHT}" y2="{_n(shape.target_y)}" '
                     f'stroke="#{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4" '
                     f'data-target="{escape(chart.target_shown)}"/>')
        parts.append(f'<text x="{WIDTH - _RIGHT}" y="{_n(shape.target_y - 4)}" text-anchor="end" font-size="10" '
                     f'fill="#{TARGET_COLOUR}">Target {escape(chart.target_shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# --- PNG ------------------------------------------------------------------------------------------

# A 3x5 pixel font for the value labels (digits and the signs a formatted value uses).
_GLYPHS = {
    "0": ("111", "101", "101", "101", "111"), "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"), "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"), "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"), "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"), "9": ("111", "101", "111", "001", "111"),
    ",": ("000", "000", "000", "010", "010"), ".": ("000", "000", "000", "000", "010"),
    "%": ("101", "001", "010", "100", "101"), "-": ("000", "000", "111", "000", "000"),
    "−": ("000", "000", "111", "000", "000"), " ": ("000", "000", "000", "000", "000"),
}
PNG_SCALE = 2  # pixels per chart unit: sharp enough printed at 9 cm wide


class _Canvas:
    """An RGB pixel buffer with filled rectangles."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = bytearray(b"\xff" * (width * height * 3))

    def rect(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        """Fill a rectangle given in pixels (clipped to the canvas)."""
        rgb = bytes.fromhex(colour)
        left, right = max(round(x), 0), min(round(x + width), self.width)
        top, bottom = max(round(y), 0), min(round(y + height), self.height)
        if right <= left:
            return
        run = rgb * (right - left)
        for row in range(top, bottom):
            start = (row * self.width + left) * 3
            self.pixels[start:start + len(run)] = run

    def text(self, centre_x: float, bottom_y: float, text: str, colour: str, size: int) -> None:
        """Draw text centred on `centre_x` with its baseline at `bottom_y`, `size` pixels per font dot."""
        shown = [c for c in text if c in _GLYPHS]
        advance = 4 * size
        x = centre_x - (len(shown) * advance - size) / 2
        top = bottom_y - 5 * size
        for char in shown:
            for row, bits in enumerate(_GLYPHS[char]):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        self.rect(x + col * size, top + row * size, size, size, colour)
            x += advance

    def png(self) -> bytes:
        """The canvas as a PNG file (8-bit RGB, no ancillary chunks: nothing varies between builds)."""
        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[row * stride:(row + 1) * stride]) for row in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def png(chart: layout.Chart) -> bytes:
    """The chart as PNG bytes for the DOCX: the same bars, value labels in a pixel font, the target dashed.

    Period labels are left out of the picture (the alt text and the table beside it give them)."""
    shape = bars(chart)
    s = PNG_SCALE
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(shape.bars), 1)
    canvas = _Canvas(WIDTH * s, HEIGHT * s)
    for index, bar in enumerate(shape.bars):
        canvas.rect(bar.x * s, bar.y * s, bar.width * s, max(bar.height * s, 1), BAR_COLOUR if bar.current else EARLIER_COLOUR)
        # The pixel font's dot: 2 chart units, smaller when many bars leave little room for the label.
        dot = max(1, min(2 * s, int(slot * s / (4 * max(len(bar.value_label), 1)))))
        if labelled(index, len(shape.bars), bar.value_label, slot):
            canvas.text((bar.x + bar.width / 2) * s, (bar.y - 6) * s, bar.value_label, "000000", dot)
    canvas.rect(_LEFT * s, shape.zero_y * s, (WIDTH - _LEFT - _RIGHT) * s, s, AXIS_COLOUR)
    if shape.target_y is not None:
        x = float(_LEFT)
        while x < WIDTH - _RIGHT:
            canvas.rect(x * s, (shape.target_y - 1) * s, min(6, WIDTH - _RIGHT - x) * s, 2 * s, TARGET_COLOUR)
            x += 10
    return canvas.png()
