"""Fonts and text measurement for the simulated phone.

Pillow's bundled scalable font (`ImageFont.load_default(size=...)`) needs no system fonts, so
the phone renders the same everywhere. Layout and rendering share `wrap`, so measured heights
match what is drawn.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont:
    f = ImageFont.load_default(size=size)
    if not isinstance(f, ImageFont.FreeTypeFont):  # Pillow built without FreeType
        raise RuntimeError("Pillow needs FreeType support to render the simulated phone")
    return f


def line_height(size: int) -> int:
    return round(size * 1.3)


@lru_cache(maxsize=8192)
def text_width(text: str, size: int) -> float:
    return float(font(size).getlength(text))


@lru_cache(maxsize=4096)
def wrap_spans(text: str, size: int, width: int) -> tuple[tuple[int, int], ...]:
    """Break text into lines no wider than `width`; each line is `text[start:end]`.

    Lines break at spaces (the space is dropped) and at newlines; a word wider than the line
    is split between characters.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        start = pos
        end_para = pos + len(para)
        line_start = start
        i = start
        last_fit = line_start  # end of the last word that fits on the current line
        while i <= end_para:
            j = text.find(" ", i, end_para)
            j = end_para if j < 0 else j
            if text_width(text[line_start:j], size) <= width:
                last_fit = j
                i = j + 1
                continue
            if last_fit > line_start:
                spans.append((line_start, last_fit))
                line_start = last_fit + 1
                last_fit = line_start
                continue
            # A single word wider than the line: split it between characters.
            k = line_start + 1
            while k < j and text_width(text[line_start : k + 1], size) <= width:
                k += 1
            spans.append((line_start, k))
            line_start = k
            last_fit = k
            i = k
        spans.append((line_start, max(line_start, min(last_fit, end_para))))
        pos = end_para + 1
    return tuple(spans)


def wrap(text: str, size: int, width: int) -> tuple[str, ...]:
    """The lines of `wrap_spans`, as strings."""
    return tuple(text[a:b] for a, b in wrap_spans(text, size, width))


def ellipsize(text: str, size: int, width: int) -> str:
    if text_width(text, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + "…", size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"
