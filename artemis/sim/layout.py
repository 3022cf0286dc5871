"""Lay out a view tree: give every view its bounds and its visible (clipped) bounds.

A small flex model: columns and rows share what is left among children without a fixed size
(by `flex`); `WRAP` sizes are measured from content; stacks place children by gravity; scroll
containers lay their content out at full height, shifted by the screen's scroll offset, and clip.
"""

from __future__ import annotations

from artemis.sim import fonts
from artemis.sim.views import STICK_TO_END, WRAP, Box, View, box_intersect


def measure_h(v: View, width: int) -> int:
    """The height a view wants at a given width."""
    if v.h is not None and v.h != WRAP:
        return v.h
    pl, pt, pr, pb = v.pad
    inner = max(1, width - pl - pr)
    if not v.children:
        if v.text or v.hint or v.kind == "edit":
            lh = fonts.line_height(v.size)
            if v.max_lines == 1 and not v.multiline:
                return lh + pt + pb
            n = len(fonts.wrap(v.text or v.hint or " ", v.size, inner))
            if v.max_lines > 0:
                n = min(n, v.max_lines)
            return n * lh + pt + pb
        return pt + pb
    if v.layout == "row":
        widths = _row_widths(v, inner)
        return max(
            (measure_h(c, w) for c, w in zip(v.children, widths, strict=True)), default=0
        ) + (pt + pb)
    if v.layout == "stack":
        return max((measure_h(c, _cross(c.w, inner)) for c in v.children), default=0) + pt + pb
    total = sum(measure_h(c, _cross(c.w, inner)) for c in v.children)
    return total + v.gap * max(0, len(v.children) - 1) + pt + pb


def _cross(size: int | None, avail: int) -> int:
    return avail if size is None or size == WRAP else min(size, avail)


def _measure_w(v: View) -> int:
    if v.w is not None and v.w != WRAP:
        return v.w
    pl, _, pr, _ = v.pad
    if v.children and v.layout == "row":
        return sum(_measure_w(c) for c in v.children) + v.gap * (len(v.children) - 1) + pl + pr
    if v.children:
        return max(_measure_w(c) for c in v.children) + pl + pr
    return int(fonts.text_width(v.text or v.hint, v.size)) + pl + pr + 2


def _row_widths(v: View, inner: int) -> list[int]:
    fixed = 0
    flex = 0
    for c in v.children:
        if c.w is None:
            flex += c.flex
        else:
            fixed += _measure_w(c)
    left = max(0, inner - fixed - v.gap * max(0, len(v.children) - 1))
    out: list[int] = []
    given = 0
    flex_seen = 0
    for c in v.children:
        if c.w is None:
            flex_seen += c.flex
            share = left * flex_seen // flex - given if flex else 0
            given += share
            out.append(share)
        else:
            out.append(_measure_w(c))
    return out


def _place_cross(align: str, start: int, avail: int, size: int) -> int:
    if align == "center":
        return start + (avail - size) // 2
    if align == "end":
        return start + avail - size
    return start


def layout(v: View, box: Box, clip: Box) -> None:
    """Set `bounds` and `clip` for v and its subtree; `clip` is the visible area around it."""
    v.bounds = box
    v.clip = box_intersect(box, clip)
    if not v.children:
        return
    x1, y1, x2, y2 = box
    pl, pt, pr, pb = v.pad
    ix1, iy1, ix2, iy2 = x1 + pl, y1 + pt, x2 - pr, y2 - pb
    iw, ih = max(0, ix2 - ix1), max(0, iy2 - iy1)
    inner_clip = v.clip
    if v.layout == "row":
        widths = _row_widths(v, iw)
        x = ix1
        for c, w in zip(v.children, widths, strict=True):
            h = ih if c.h is None else min(measure_h(c, w), ih)
            y = _place_cross(v.align if c.h is not None else "start", iy1, ih, h)
            layout(c, (x, y, x + w, y + h), inner_clip)
            x += w + v.gap
        return
    if v.layout == "stack":
        for c in v.children:
            w = iw if c.w is None else _measure_w(c)
            h = ih if c.h is None else measure_h(c, w)
            g = c.gravity
            dx, dy = c.offset
            if "end" in g:
                x = ix2 - w - dx
            elif "hcenter" in g or g == "center":
                x = ix1 + (iw - w) // 2 + dx
            else:
                x = ix1 + dx
            if "bottom" in g:
                y = iy2 - h - dy
            elif "vcenter" in g or g == "center":
                y = iy1 + (ih - h) // 2 + dy
            else:
                y = iy1 + dy
            layout(c, (x, y, x + w, y + h), inner_clip)
        return
    if v.layout == "hscroll":
        widths = [_measure_w(c) for c in v.children]
        content = sum(widths) + v.gap * max(0, len(widths) - 1)
        v.content_h = content  # for horizontal scrollers: content width
        v.scroll_pos = max(0, min(v.scroll_pos, content - iw))
        v.scrollable = content > iw
        x = ix1 - v.scroll_pos
        for c, w in zip(v.children, widths, strict=True):
            layout(c, (x, iy1, x + w, iy2), box_intersect(inner_clip, (ix1, iy1, ix2, iy2)))
            x += w + v.gap
        return
    # column and scroll
    scroll = v.layout == "scroll"
    heights: list[int | None] = []
    fixed = 0
    flex = 0
    for c in v.children:
        cw = _cross(c.w, iw)
        if c.h is None and not scroll:
            heights.append(None)
            flex += c.flex
        else:
            h = measure_h(c, cw)
            heights.append(h)
            fixed += h
    gaps = v.gap * max(0, len(v.children) - 1)
    left = max(0, ih - fixed - gaps)
    if scroll:
        v.content_h = fixed + gaps
        v.scroll_pos = max(0, min(v.scroll_pos, v.content_h - ih))
        _keep_clamped(v)
        v.scrollable = v.content_h > ih  # as a list reports it: only when it can scroll
        child_clip = box_intersect(inner_clip, (ix1, iy1, ix2, iy2))
        y = iy1 - v.scroll_pos
    else:
        child_clip = inner_clip
        y = iy1
    given = 0
    flex_seen = 0
    for c, h0 in zip(v.children, heights, strict=True):
        if h0 is None:
            flex_seen += c.flex
            h = left * flex_seen // flex - given
            given += h
        else:
            h = h0
        w = _cross(c.w, iw)
        x = _place_cross(v.align if c.w is not None else "start", ix1, iw, w)
        layout(c, (x, y, x + w, y + h), child_clip)
        y += h + v.gap


def _keep_clamped(v: View) -> None:
    store = v.scroll_store
    if store is None or not v.scroll_key:
        return
    stored = store.get(v.scroll_key, 0)
    if v.scroll_pos < stored < STICK_TO_END:
        store[v.scroll_key] = v.scroll_pos


def max_scroll(v: View) -> int:
    """How far a laid-out scroll container can scroll."""
    pl, pt, pr, pb = v.pad
    if v.layout == "hscroll":
        return max(0, v.content_h - (v.bounds[2] - v.bounds[0] - pl - pr))
    return max(0, v.content_h - (v.bounds[3] - v.bounds[1] - pt - pb))
