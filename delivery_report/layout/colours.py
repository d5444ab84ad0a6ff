"""The colours the report's cells and progress updates are drawn in, shared by the DOCX and the XLSX.

templates/_style.css.j2 gives the HTML the same colours (its comment states their contrast ratios).
"""

from __future__ import annotations

from ..model import Rag, Responder, for_every

# (fill, text) of an R/A/G cell, chosen for at least 4.5:1 contrast between the word and its fill;
# an action not assessed has no fill (the cell stays white, with 'Not assessed' for screen readers).
RAG_FILLS = for_every(Rag, {
    Rag.RED: ("C00000", "FFFFFF"),
    Rag.AMBER: ("FFC000", "000000"),
    Rag.GREEN: ("00B050", "000000"),
    Rag.WHITE: ("FFFFFF", "000000"),
    Rag.COMPLETE: ("00B050", "000000"),
    Rag.NOT_ASSESSED: None,
})
# The text colour of each responder's progress updates, as in the Panel's own table.
RESPONDER_COLOURS = for_every(Responder, {
    Responder.PANEL: "1F4E9E", Responder.PCC: "000000", Responder.CHIEF_CONSTABLE: "C00000",
})
