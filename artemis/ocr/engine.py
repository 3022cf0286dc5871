"""OCR engines: an image in, axis-aligned text boxes out.

The production engine is rapidocr-onnxruntime (PP-OCRv4 on ONNX Runtime), which ships its
models in the wheel and so works offline. It is an optional extra: `pip install
"artemis[ocr]"`. Engines are synchronous and CPU-heavy; call them through `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from artemis.errors import ConfigError, DependencyMissingError

INSTALL_HINT = (
    'install the OCR extra: pip install "artemis[ocr]" (from a checkout: pip install -e ".[ocr]")'
)


@dataclass(frozen=True, slots=True)
class TextBox:
    """A line of recognised text and its bounding box in image pixels."""

    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    confidence: float = 1.0

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    def contains(self, x: float, y: float) -> bool:
        return self.x1 <= x <= self.x2 and self.y1 <= y <= self.y2

    def distance(self, x: float, y: float) -> float:
        """Distance from a point to the box (0 inside)."""
        dx = max(self.x1 - x, 0.0, x - self.x2)
        dy = max(self.y1 - y, 0.0, y - self.y2)
        return float((dx * dx + dy * dy) ** 0.5)


@runtime_checkable
class OcrEngine(Protocol):
    name: str

    def read(self, image: bytes) -> list[TextBox]:
        """The text boxes of an encoded image (PNG, JPEG, ...), in reading order."""
        ...


class RapidOcrEngine:
    """PP-OCRv4 through rapidocr-onnxruntime. One instance can be shared by threads."""

    name = "rapidocr-onnxruntime"

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ModuleNotFoundError as exc:
            raise DependencyMissingError(f"OCR is not available ({exc}); {INSTALL_HINT}") from exc
        except ImportError as exc:  # installed, but a library under it does not load
            raise DependencyMissingError(
                f"OCR is installed but does not load ({exc}); OpenCV needs system libraries "
                "such as libGL (Debian: apt-get install libgl1)"
            ) from exc
        self._ocr: Any = RapidOCR()
        # ONNX Runtime already spreads one call over the cores; one call at a time is enough
        # and keeps the engine's buffers from being shared.
        self._lock = threading.Lock()

    def read(self, image: bytes) -> list[TextBox]:
        import numpy as np
        from PIL import Image

        with Image.open(io.BytesIO(image)) as img:
            # RapidOCR wants BGR arrays, as OpenCV decodes them.
            rgb = np.asarray(img.convert("RGB"))
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        with self._lock:
            result, _ = self._ocr(bgr)
        boxes = []
        for quad, text, score in result or []:
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            if text.strip():
                boxes.append(TextBox(text, min(xs), min(ys), max(xs), max(ys), float(score)))
        return boxes


_ENGINES = {"rapidocr": RapidOcrEngine}


def load_engine(name: str = "rapidocr") -> OcrEngine:
    """An OCR engine by name; raises `DependencyMissingError` when its package is missing."""
    try:
        cls = _ENGINES[name]
    except KeyError:
        raise ConfigError(f"unknown OCR engine {name!r}; known: {', '.join(_ENGINES)}") from None
    return cls()
