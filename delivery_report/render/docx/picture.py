"""An inline picture in WordprocessingML (DrawingML), written as text like the rest of the body."""

from __future__ import annotations


def quoteattr(data: str) -> str:
    """`data` as a quoted XML attribute value, exactly as xml.sax.saxutils.quoteattr writes it: importing
    xml.sax.saxutils imports urllib.request and http.client too (about 20 ms of every build's start-up)."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    data = data.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))


EMU_PER_CM = 360000
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


# Word 2016 and later draw an SVG picture from this extension of the blip, the PNG being the fallback.
_SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def inline_picture(relationship_id: str, picture_id: int, name: str, alt: str, width_cm: float, height_cm: float,
                   svg_relationship_id: str = "") -> str:
    """A paragraph holding one inline picture; `alt` is its alternative text (docPr descr), read by screen readers.

    The namespaces are declared on the elements themselves, so the XML does not depend on what the
    document's root happens to declare."""
    cx, cy = round(width_cm * EMU_PER_CM), round(height_cm * EMU_PER_CM)
    svg = (f'<a:extLst><a:ext uri="{_SVG_EXTENSION}"><asvg:svgBlip xmlns:asvg="{_ASVG}" '
           f'r:embed={quoteattr(svg_relationship_id)}/></a:ext></a:extLst>') if svg_relationship_id else ""
    return (
        f'<w:p><w:r><w:drawing><wp:inline xmlns:wp="{_WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{picture_id}" name={quoteattr(name)} descr={quoteattr(alt)}/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}"><pic:pic xmlns:pic="{_PIC}">'
        f'<pic:nvPicPr><pic:cNvPr id="{picture_id}" name={quoteattr(name)} descr={quoteattr(alt)}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed={quoteattr(relationship_id)}>{svg}</a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f"</wp:inline></w:drawing></w:r></w:p>"
    )
