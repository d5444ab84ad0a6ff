"""Small bar charts of a measure's values per period: SVG for the HTML and the DOCX, with a PNG fallback.

Both are drawn from one geometry (`bars`), in a few lines of our own rather than with a plotting
library: a chart of two to forty bars needs no more, and the output is byte-identical for the same
values by construction. The SVG is the chart (vector, in the report's fonts); the PNG, rasterised
with Pillow's own font, is for programs that cannot read SVG in a DOCX. The figures themselves are
never only in the picture: the layout gives every chart a text alternative that states them and a
table of the same numbers.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from .. import layout

WIDTH, HEIGHT = 480, 250
# Room for the value labels above the bars, the period names below them and the axis label at the left.
_TOP, _BOTTOM, _LEFT, _RIGHT = 26, 58, 46, 12
BAR_COLOUR = "1F4E9E"  # the Panel blue of the DOCX (at least 4.5:1 against white)
EARLIER_COLOUR = "8EA9DB"
TARGET_COLOUR = "C00000"
AXIS_COLOUR = "595959"
# The report's own fonts (Arial in the DOCX and the HTML), with the metric-compatible Liberation Sans.
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
PERIOD_FONT = 11.0
# Below this width a bar's period name is written at a slant (many periods); above it, level, on two lines.
_LEVEL_SLOT = 64.0


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

    @property
    def slot(self) -> float:
        """The width each bar has, with its gap."""
        return (WIDTH - _LEFT - _RIGHT) / max(len(self.bars), 1)


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


def period_lines(label: str, slot: float) -> tuple[str, ...]:
    """A period's name under its bar: whole, on one or two lines of words when the bar is wide enough; cut with
    '…' only when a single word is longer than the room (the table beside the chart has it in full)."""
    room = max(int(slot / (PERIOD_FONT * 0.55)), 4)
    words = label.split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return tuple(line if len(line) <= room else line[: room - 1] + "…" for line in lines)


def slanted(slot: float) -> bool:
    """Whether the period names are written at a slant (too many bars for level names)."""
    return slot < _LEVEL_SLOT


def labelled(index: int, count: int, label: str, slot: float) -> bool:
    """Whether a bar's value is printed above it: when it fits at the smallest size, and always for the first
    and last bars (the alt text and the table beside the chart give every value)."""
    return index in (0, count - 1) or slot >= 0.62 * 6 * len(label)


def value_font_size(label: str, slot: float) -> float:
    """The value labels' size: 12 units, smaller when many bars leave too little room (about 0.6 em a digit)."""
    return max(6.0, min(12.0, slot / (0.62 * max(len(label), 1))))


def slanted_font_size(slot: float) -> float:
    """Slanted period names: as large as the bars' spacing allows, 6 to 10 units."""
    return max(6.0, min(10.0, slot * 0.9))


def svg(chart: layout.Chart, standalone: bool = False) -> Markup:
    """The chart as SVG: inline in the HTML (role="img" with the text alternative as its accessible name), or
    `standalone` for the DOCX's vector picture. Bars, values, every period's name and a labelled value axis,
    in the report's fonts."""
    shape = bars(chart)
    slot = shape.slot
    head = '<?xml version="1.0" encoding="UTF-8"?>' if standalone else ""
    parts = [
        f'{head}<svg class="chart" role="img" aria-label="{escape(chart.alt)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg" data-chart="{escape(chart.id)}" '
        f'font-family="{FONT_FAMILY}">',
    ]
    if standalone:
        parts.append(f"<title>{escape(chart.alt)}</title>")
    count = len(shape.bars)
    for index, bar in enumerate(shape.bars):
        colour = BAR_COLOUR if bar.current else EARLIER_COLOUR
        middle = bar.x + bar.width / 2
        parts.append(
            f'<rect x="{_n(bar.x)}" y="{_n(bar.y)}" width="{_n(bar.width)}" height="{_n(bar.height)}" '
            f'fill="#{colour}" data-label="{escape(bar.period_label)}" data-value="{escape(bar.value_label)}"/>'
        )
        if labelled(index, count, bar.value_label, slot):
            parts.append(f'<text x="{_n(middle)}" y="{_n(bar.y - 6)}" text-anchor="middle" '
                         f'font-size="{_n(value_font_size(bar.value_label, slot))}" '
                         f'font-weight="bold" fill="#000">{escape(bar.value_label)}</text>')
        base = shape.zero_y + 14
        if slanted(slot):
            size = slanted_font_size(slot)
            parts.append(f'<text x="{_n(middle)}" y="{_n(base)}" text-anchor="end" font-size="{_n(size)}" fill="#000" '
                         f'transform="rotate(-40 {_n(middle)} {_n(base)})" class="period">{escape(bar.period_label)}</text>')
        else:
            for number, text in enumerate(period_lines(bar.period_label, slot)):
                parts.append(f'<text x="{_n(middle)}" y="{_n(base + number * (PERIOD_FONT + 2))}" text-anchor="middle" '
                             f'font-size="{_n(PERIOD_FONT)}" fill="#000" class="period">{escape(text)}</text>')
    # The value axis: a line up the left of the bars, named by what is counted.
    parts.append(f'<line x1="{_LEFT}" y1="{_TOP - 6}" x2="{_LEFT}" y2="{_n(shape.zero_y)}" '
                 f'stroke="#{AXIS_COLOUR}" stroke-width="1"/>')
    if chart.axis_label:
        middle_y = (_TOP + shape.zero_y) / 2
        parts.append(f'<text x="16" y="{_n(middle_y)}" text-anchor="middle" font-size="11" fill="#000" '
                     f'transform="rotate(-90 16 {_n(middle_y)})" class="axis">{escape(chart.axis_label)}</text>')
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


# --- PNG -----------------------------------------------------------------------------------------
# The DOCX's fallback picture for programs that do not read its SVG (LibreOffice 7.4 prints the fallback in
# the PDF): the same drawing rasterised with Pillow and the font Pillow ships (so every machine draws the
# same pixels for the same Pillow), its pixels written as a PNG by the few lines below (no clock, no chunk
# that could vary between builds).

PNG_SCALE = 2  # pixels per chart unit: sharp enough printed at 12 cm wide


# Pillow's own font has no typographic dashes, quotes or ellipsis: the fallback picture draws their plain
# forms (the SVG, the alt text and the table keep the text exactly as typed).
_PLAIN_FORMS = str.maketrans({"–": "-", "—": "-", "−": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def _plain(text: str) -> str:
    return text.translate(_PLAIN_FORMS)


def _font(size: float) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size * PNG_SCALE)


def _hex(colour: str) -> tuple[int, int, int]:
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _slanted_text(image: Any, text: str, x: float, y: float, size: float, angle: float, anchor: str) -> None:
    """Text turned by `angle` degrees, its `anchor` end at (x, y) in pixels."""
    from PIL import Image, ImageDraw

    font = _font(size)
    _, _, right, bottom = font.getbbox(_plain(text))
    box = Image.new("L", (right + 4, bottom + 4), 0)
    ImageDraw.Draw(box).text((2, 2), _plain(text), font=font, fill=255)
    turned = box.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    ink = Image.new("RGB", turned.size, (0, 0, 0))
    if anchor == "end":  # the text's end at (x, y): for -40 degrees that is the turned box's top right
        at = (round(x - turned.size[0]), round(y - 4))
    else:  # "middle" of a vertical axis label
        at = (round(x - turned.size[0] / 2), round(y - turned.size[1] / 2))
    image.paste(ink, at, turned)


def png(chart: layout.Chart) -> bytes:
    """The chart as PNG bytes for the DOCX's fallback picture: the SVG's drawing, pixel for pixel the same
    geometry, with values, period names and the axis label."""
    from PIL import Image, ImageDraw

    s = PNG_SCALE
    shape = bars(chart)
    slot = shape.slot
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    count = len(shape.bars)
    for index, bar in enumerate(shape.bars):
        colour = _hex(BAR_COLOUR if bar.current else EARLIER_COLOUR)
        draw.rectangle((round(bar.x * s), round(bar.y * s), round((bar.x + bar.width) * s) - 1,
                        round((bar.y + max(bar.height, 0.5)) * s) - 1), fill=colour)
        middle = (bar.x + bar.width / 2) * s
        if labelled(index, count, bar.value_label, slot):
            draw.text((middle, (bar.y - 6) * s), _plain(bar.value_label), font=_font(value_font_size(bar.value_label, slot)),
                      fill=(0, 0, 0), anchor="ms")
        base = shape.zero_y + 14
        if slanted(slot):
            _slanted_text(image, bar.period_label, middle, base * s, slanted_font_size(slot), 40, "end")
        else:
            for number, text in enumerate(period_lines(bar.period_label, slot)):
                draw.text((middle, (base + number * (PERIOD_FONT + 2)) * s), _plain(text), font=_font(PERIOD_FONT),
                          fill=(0, 0, 0), anchor="ms")
    axis = _hex(AXIS_COLOUR)
    draw.rectangle((_LEFT * s, (_TOP - 6) * s, _LEFT * s + s - 1, round(shape.zero_y * s)), fill=axis)
    draw.rectangle((_LEFT * s, round(shape.zero_y * s), (WIDTH - _RIGHT) * s, round(shape.zero_y * s) + s - 1), fill=axis)
    if chart.axis_label:
        _slanted_text(image, chart.axis_label, 16 * s, (_TOP + shape.zero_y) / 2 * s, 11, 90, "middle")
    if shape.target_y is not None:
        target = _hex(TARGET_COLOUR)
        x = float(_LEFT)
        while x < WIDTH - _RIGHT:
            draw.rectangle((round(x * s), round((shape.target_y - 1) * s), round(min(x + 6, WIDTH - _RIGHT) * s) - 1,
                            round((shape.target_y + 1) * s) - 1), fill=target)
            x += 10
        draw.text(((WIDTH - _RIGHT) * s, (shape.target_y - 4) * s), _plain(f"Target {chart.target_shown}"), font=_font(10),
                  fill=target, anchor="rs")
    return _png_bytes(image.width, image.height, image.tobytes())


def _png_bytes(width: int, height: int, pixels: bytes) -> bytes:
    """RGB pixels as a PNG file (8-bit RGB, filter 0 on every row, no ancillary chunks: nothing varies)."""
    stride = width * 3
    raw = b"".join(b"\x00" + pixels[row * stride:(row + 1) * stride] for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
