"""Text on screenshots: an OCR engine that ships its models, and matching text to a request.

`load_engine()` gives an `OcrEngine` (rapidocr-onnxruntime, the optional `ocr` extra).
`best_match` finds the text box an instruction names; `snap_to_text` moves a predicted tap onto
a text box that matches the instruction well, when the prediction is not on one already.
Neither needs a model service; the agent and the ScreenSpot baseline both use them.
"""

from artemis.ocr.engine import OcrEngine, TextBox, load_engine
from artemis.ocr.match import Match, SnapResult, best_match, match_text, snap_to_text

__all__ = [
    "Match",
    "OcrEngine",
    "SnapResult",
    "TextBox",
    "best_match",
    "load_engine",
    "match_text",
    "snap_to_text",
]
