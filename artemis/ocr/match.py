"""Matching an instruction to recognised text, and snapping a tap onto matching text.

An instruction such as "open pay/collect" is reduced to its content words ("pay collect"),
then scored against each text box with rapidfuzz: the best partial alignment of the shorter
string inside the longer, weighted by how much of the longer one it explains. Short texts
that merely occur inside a long instruction ("7", "cart") score low; a text that is the
instruction's object ("Pay/Collect") scores near 100. When the query matches only part of a
long line ("Sign Out" in "My Account My Wish List Sign Out"), the point is placed on that part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from artemis.ocr.engine import TextBox

# Verbs and fillers of GUI instructions, and generic widget nouns; never the element's name.
_FILLER_WORDS = (
    "a an the this that these those my your its it to on in into at of for from with by and or "
    "please click tap press select choose open view check go show see find hit use get "
    "button icon link tab item option field element"
)
_FILLER = frozenset(_FILLER_WORDS.split(" "))
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def query_of(instruction: str) -> str:
    """The content words of an instruction (all of it, if nothing else is left)."""
    words = normalise(instruction).split()
    kept = [w for w in words if w not in _FILLER]
    return " ".join(kept or words)


@dataclass(frozen=True, slots=True)
class Match:
    """How well a text box matches a query (0-100), and the point on the matching text."""

    box: TextBox
    score: float
    x: float
    y: float

    @property
    def point(self) -> tuple[float, float]:
        return (self.x, self.y)


def match_text(query: str, box: TextBox) -> Match:
    """Score one box against a normalised query (see `query_of`)."""
    text = normalise(box.text)
    cx, cy = box.centre
    if not text or not query:
        return Match(box, 0.0, cx, cy)
    aligned = fuzz.partial_ratio_alignment(query, text)
    if aligned is None:  # only when a score cutoff is given; kept for the type checker
        return Match(box, 0.0, cx, cy)
    short, long_ = sorted((len(query), len(text)))
    score = aligned.score * (0.5 + 0.5 * short / long_)
    x = cx
    if len(query) < len(text) and aligned.score > 0:
        # Put the point on the matched part of a long line, not at its middle.
        middle = (aligned.dest_start + aligned.dest_end) / 2 / len(text)
        x = box.x1 + middle * (box.x2 - box.x1)
    return Match(box, score, x, cy)


def best_match(instruction: str, boxes: Sequence[TextBox]) -> Match | None:
    """The box that best matches `instruction`, or None when nothing matches at all."""
    query = query_of(instruction)
    best: Match | None = None
    for box in boxes:
        m = match_text(query, box)
        if m.score > 0 and (best is None or m.score > best.score):
            best = m
    return best


@dataclass(frozen=True, slots=True)
class SnapResult:
    """Where a tap ends up, and why."""

    point: tuple[float, float]
    snapped: bool
    reason: str
    match: Match | None = None


def snap_to_text(
    point: tuple[float, float],
    instruction: str,
    boxes: Sequence[TextBox],
    *,
    min_score: float = 80.0,
    max_distance: float | None = None,
    keep_margin: float = 10.0,
) -> SnapResult:
    """Move `point` onto the text box that matches `instruction`, when that is a safe bet.

    The point moves only when a box matches with at least `min_score`, the point is not
    already on a box that matches almost as well (within `keep_margin`), and the best box is
    within `max_distance` pixels of the point (any distance when None). Otherwise the point
    is returned unchanged: for icons, whose instruction names no visible text, keeping the
    model's guess is the better bet.
    """
    query = query_of(instruction)
    matches = sorted((match_text(query, b) for b in boxes), key=lambda m: m.score, reverse=True)
    good = [m for m in matches if m.score >= min_score]
    if not good:
        return SnapResult(point, False, "no text box matches the instruction well enough")
    best = good[0]
    x, y = point
    under = [m for m in matches if m.box.contains(x, y)]
    if any(m.score >= best.score - keep_margin for m in under):
        return SnapResult(point, False, "the point is already on matching text", best)
    if max_distance is not None and best.box.distance(x, y) > max_distance:
        return SnapResult(point, False, "the matching text is too far from the point", best)
    return SnapResult(best.point, True, f"snapped to {best.box.text!r}", best)
