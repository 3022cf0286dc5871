"""Draw a laid-out view tree with Pillow.

Every view paints from its own attributes (background, text, icon, widget kind), then its
children; scroll containers paint into their own layer so that their content is clipped exactly
as `clip` says. Nothing here reads the clock or any state: the same tree gives the same pixels.

Text is the costly part of a screen, and screens repeat their labels: each string is drawn once
per size, weight and sub-pixel offset into a coverage mask (`_text_mask`), which later frames
paste in their colour.
"""

from __future__ import annotations

import functools

from PIL import Image, ImageDraw

from artemis.sim import fonts
from artemis.sim.icons import draw_icon
from artemis.sim.views import Box, Color, View

HINT = (110, 113, 118)
OUTLINE = (154, 160, 166)
DISABLED_ALPHA = 0.38


def _mix(a: Color, b: Color, t: float) -> Color:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


class _Canvas:
    def __init__(self, img: Image.Image, dx: int = 0, dy: int = 0) -> None:
        self.img = img
        self.d = ImageDraw.Draw(img, "RGBA")
        self.dx = dx
        self.dy = dy

    def box(self, b: Box) -> Box:
        return (b[0] - self.dx, b[1] - self.dy, b[2] - self.dx, b[3] - self.dy)

    def rect(
        self,
        b: Box,
        fill: Color | tuple[int, int, int, int] | None,
        radius: int = 0,
        outline: Color | None = None,
        width: int = 1,
    ) -> None:
        x1, y1, x2, y2 = self.box(b)
        if x2 <= x1 or y2 <= y1:
            return
        xy = (x1, y1, x2 - 1, y2 - 1)
        if not radius and outline is None and fill is not None and len(fill) == 3:
            self.img.paste(fill, (x1, y1, x2, y2))  # opaque and square: no blending needed
            return
        if radius:
            r = min(radius, (x2 - x1) // 2, (y2 - y1) // 2)
            self.d.rounded_rectangle(xy, r, fill=fill, outline=outline, width=width)
        else:
            self.d.rectangle(xy, fill=fill, outline=outline, width=width)

    def text(self, x: float, y: float, s: str, size: int, color: Color, bold: bool) -> None:
        x, y = x - self.dx, y - self.dy
        ix, iy = int(x), int(y)  # as Pillow places text: whole pixels, then the fraction
        mask, left, top = _text_mask(s, size, bold, round(x - ix, 3), round(y - iy, 3))
        if mask is not None:
            self.img.paste(color, (ix + left, iy + top), mask)

    def icon(self, name: str, b: Box, color: Color) -> None:
        draw_icon(self.d, name, self.box(b), color)


#: Text masks kept (each a few kB: a label's width by its line height).
TEXT_MASKS_KEPT = 4096
_PAD = 2


@functools.lru_cache(maxsize=TEXT_MASKS_KEPT)
def _text_mask(
    s: str, size: int, bold: bool, fx: float, fy: float
) -> tuple[Image.Image | None, int, int]:
    """How much of each pixel `s` covers when drawn at the sub-pixel offset (fx, fy): an "L"
    image (None when nothing shows), and where its top-left corner goes relative to the
    whole-pixel position. Drawn at positive coordinates, as Pillow draws from there exactly
    as it would on the screen (it takes a coordinate's whole part towards zero)."""
    font = fonts.font(size)
    stroke = 1 if bold else 0
    left, top, right, bottom = (int(v) for v in font.getbbox(s, stroke_width=stroke))
    x0, y0 = _PAD + max(0, -left), _PAD + max(0, -top)
    canvas = Image.new("L", (x0 + right + _PAD, y0 + bottom + _PAD), 0)
    ImageDraw.Draw(canvas).text(
        (x0 + fx, y0 + fy), s, font=font, fill=255, stroke_width=stroke, stroke_fill=255
    )
    found = canvas.getbbox()
    if found is None:
        return None, 0, 0
    return canvas.crop(found), found[0] - x0, found[1] - y0


def render(root: View, size: tuple[int, int], bg: Color = (255, 255, 255)) -> Image.Image:
    img = Image.new("RGB", size, bg)
    _paint(_Canvas(img), root)
    return img


def paint_into(img: Image.Image, root: View) -> None:
    """Paint a tree over an existing image (windows stacked on one screen)."""
    _paint(_Canvas(img), root)


def _paint(cv: _Canvas, v: View) -> None:
    if not v.visible:
        return
    _paint_self(cv, v)
    if v.layout in ("scroll", "hscroll") and v.children:
        x1, y1, _x2, _y2 = v.clip
        layer = cv.img.crop(cv.box(v.clip))
        sub = _Canvas(layer, x1, y1)
        for c in v.children:
            _paint(sub, c)
        cv.img.paste(layer, cv.box(v.clip)[:2])
    else:
        for c in v.children:
            _paint(cv, c)
    if v.focused and v.kind != "edit":
        cv.rect(v.bounds, None, radius=max(v.radius, 12), outline=v.accent, width=5)
    if v.dim:
        cv.rect(v.bounds, (0, 0, 0, 110))


def _fg(v: View) -> Color:
    if v.enabled:
        return v.fg
    return _mix(v.bg or (255, 255, 255), v.fg, DISABLED_ALPHA)


def _paint_self(cv: _Canvas, v: View) -> None:
    if v.bg is not None or v.border is not None:
        cv.rect(v.bounds, v.bg, v.radius, v.border, 3)
    if v.pressed:
        cv.rect(v.bounds, (0, 0, 0, 38), v.radius)
    kind = v.kind
    if kind == "switch":
        _switch(cv, v)
    elif kind == "checkbox":
        _checkbox(cv, v)
    elif kind == "radio":
        _radio(cv, v)
    elif kind == "edit":
        _edit(cv, v)
    elif kind == "seekbar":
        _seekbar(cv, v)
    elif kind == "avatar":
        _avatar(cv, v)
    elif kind == "appicon":
        _appicon(cv, v)
    elif kind == "image":
        _image(cv, v)
    else:
        _icon_and_text(cv, v)


def _inner(v: View) -> Box:
    x1, y1, x2, y2 = v.bounds
    pl, pt, pr, pb = v.pad
    return (x1 + pl, y1 + pt, x2 - pr, y2 - pb)


def _icon_and_text(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = _inner(v)
    if v.icon:
        isz = v.icon_size or min(x2 - x1, y2 - y1, 63)
        color = v.icon_fg or _fg(v)
        if not v.enabled:
            color = _mix(v.bg or (255, 255, 255), color, DISABLED_ALPHA)
        if v.text and not v.children:
            cy = (y1 + y2) // 2
            cv.icon(v.icon, (x1, cy - isz // 2, x1 + isz, cy + isz // 2), color)
            x1 += isz + 24
        else:
            cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
            cv.icon(v.icon, (cx - isz // 2, cy - isz // 2, cx + isz // 2, cy + isz // 2), color)
            return
    if v.text and not v.children:
        draw_text(
            cv, v.text, (x1, y1, x2, y2), v.size, _fg(v), v.bold, v.talign, v.valign, v.max_lines
        )


def draw_text(
    cv: _Canvas,
    text: str,
    box: Box,
    size: int,
    color: Color,
    bold: bool = False,
    talign: str = "left",
    valign: str = "center",
    max_lines: int = 1,
) -> None:
    x1, y1, x2, y2 = box
    width = max(1, x2 - x1)
    lh = fonts.line_height(size)
    if max_lines == 1:
        lines: list[str] = [fonts.ellipsize(text.replace("\n", " "), size, width)]
    else:
        lines = list(fonts.wrap(text, size, width))
        fit = max(1, (y2 - y1) // lh)
        limit = fit if max_lines <= 0 else min(max_lines, fit)
        if len(lines) > limit:
            lines = lines[:limit]
            lines[-1] = fonts.ellipsize(lines[-1] + "…", size, width)
    total = lh * len(lines)
    y = y1 + (y2 - y1 - total) // 2 if valign == "center" else y1
    asc = size * 0.12
    for line in lines:
        w = fonts.text_width(line, size)
        if talign == "center":
            x = x1 + (width - w) / 2
        elif talign == "right":
            x = x2 - w
        else:
            x = x1
        cv.text(x, y + (lh - size) / 2 - asc, line, size, color, bold)
        y += lh


def _switch(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = _inner(v)
    cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
    tw, th = 110, 60
    track = (cx - tw // 2, cy - th // 2, cx + tw // 2, cy + th // 2)
    on = v.checked
    acc = v.accent if v.enabled else _mix((255, 255, 255), v.accent, DISABLED_ALPHA)
    if on:
        cv.rect(track, acc, radius=th // 2)
        kx = track[2] - th // 2
        knob: Color = (255, 255, 255)
        r = 22
    else:
        cv.rect(track, (231, 233, 236), radius=th // 2, outline=(116, 119, 117), width=4)
        kx = track[0] + th // 2
        knob = (116, 119, 117)
        r = 15
    cv.d.ellipse(cv.box((kx - r, cy - r, kx + r, cy + r)), fill=knob)
    if on:
        cv.icon("check", (kx - 14, cy - 14, kx + 14, cy + 14), acc)


def _checkbox(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = _inner(v)
    s = 48
    bx = x1 if v.text else (x1 + x2 - s) // 2
    cy = (y1 + y2) // 2
    b = (bx, cy - s // 2, bx + s, cy + s // 2)
    if v.checked:
        cv.rect(b, v.accent, radius=6)
        cv.icon("check", (b[0] + 6, b[1] + 6, b[2] - 6, b[3] - 6), (255, 255, 255))
    else:
        cv.rect(b, None, radius=6, outline=(95, 99, 104), width=5)
    if v.text:
        draw_text(cv, v.text, (bx + s + 32, y1, x2, y2), v.size, _fg(v))


def _radio(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = _inner(v)
    cy = (y1 + y2) // 2
    r = 25
    cx = x1 + r
    color = v.accent if v.checked else (95, 99, 104)
    cv.d.ellipse(cv.box((cx - r, cy - r, cx + r, cy + r)), outline=color, width=5)
    if v.checked:
        cv.d.ellipse(cv.box((cx - 12, cy - 12, cx + 12, cy + 12)), fill=color)
    if v.text:
        draw_text(cv, v.text, (cx + r + 40, y1, x2, y2), v.size, _fg(v))


def _edit(cv: _Canvas, v: View) -> None:
    x1, _y1, x2, y2 = v.bounds
    if v.border is None and v.bg is None:
        color = v.accent if v.focused else OUTLINE
        cv.rect(v.bounds, None, radius=12, outline=color, width=5 if v.focused else 3)
    elif v.focused:
        cv.rect((x1, y2 - 6, x2, y2), v.accent)
    ix1, iy1, ix2, iy2 = _inner(v)
    width = max(1, ix2 - ix1)
    lh = fonts.line_height(v.size)
    text = "*" * len(v.text) if v.password else v.text
    if not text:
        if v.hint:
            valign = "top" if v.multiline else "center"
            draw_text(
                cv,
                v.hint,
                (ix1, iy1, ix2, iy2),
                v.size,
                HINT,
                False,
                "left",
                valign,
                1 if not v.multiline else 0,
            )
        if v.focused:
            top = iy1 if v.multiline else (iy1 + iy2 - lh) // 2
            cv.rect((ix1, top + 4, ix1 + 4, top + lh - 4), v.accent)
        return
    caret = v.cursor if v.focused else -1
    if v.multiline:
        _multiline(cv, v, text, (ix1, iy1, ix2, iy2), caret)
        return
    # Single line: show the end of the text when it is wider than the field, as a field
    # that scrolls to its caret would.
    shown = text
    start = 0
    while fonts.text_width(shown, v.size) > width and len(shown) > 1:
        shown = shown[1:]
        start += 1
    ty = (iy1 + iy2 - lh) // 2
    if v.sel_all and v.focused:
        sw = fonts.text_width(shown, v.size)
        cv.rect((ix1, ty, ix1 + int(sw) + 2, ty + lh), _mix((255, 255, 255), v.accent, 0.3))
    draw_text(cv, shown, (ix1, iy1, ix2 + 2, iy2), v.size, _fg(v), v.bold, "left", "center")
    if caret >= 0 and not v.sel_all:
        cx = ix1 + int(fonts.text_width(shown[: max(0, caret - start)], v.size))
        cv.rect((cx, ty + 4, cx + 4, ty + lh - 4), v.accent)


def _multiline(cv: _Canvas, v: View, text: str, box: Box, caret: int) -> None:
    ix1, iy1, ix2, iy2 = box
    width = max(1, ix2 - ix1)
    lh = fonts.line_height(v.size)
    spans = fonts.wrap_spans(text, v.size, width)
    caret_line = 0
    for i, (a, _) in enumerate(spans):
        if a <= caret:
            caret_line = i
    fit = max(1, (iy2 - iy1) // lh)
    first = max(0, caret_line - fit + 1) if caret >= 0 else 0
    y = iy1
    sel = _mix((255, 255, 255), v.accent, 0.3)
    for i in range(first, min(len(spans), first + fit)):
        a, b = spans[i]
        line = text[a:b]
        if v.sel_all and v.focused:
            cv.rect((ix1, y, ix1 + int(fonts.text_width(line, v.size)) + 2, y + lh), sel)
        draw_text(cv, line, (ix1, y, ix2 + 2, y + lh), v.size, _fg(v))
        if caret >= 0 and i == caret_line and not v.sel_all:
            cx = ix1 + int(fonts.text_width(text[a : min(caret, b)], v.size))
            cv.rect((cx, y + 4, cx + 4, y + lh - 4), v.accent)
        y += lh


def _seekbar(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = _inner(v)
    cy = (y1 + y2) // 2
    cv.rect((x1, cy - 8, x2, cy + 8), (218, 220, 224), radius=8)
    px = x1 + round((x2 - x1) * max(0.0, min(1.0, v.value)))
    cv.rect((x1, cy - 8, px, cy + 8), v.accent, radius=8)
    cv.d.ellipse(cv.box((px - 26, cy - 26, px + 26, cy + 26)), fill=v.accent)


def _avatar(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = v.bounds
    s = min(x2 - x1, y2 - y1)
    cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
    cv.d.ellipse(
        cv.box((cx - s // 2, cy - s // 2, cx + s // 2, cy + s // 2)),
        fill=v.icon_fg or (66, 133, 244),
    )
    letter = v.icon[:1].upper()
    draw_text(
        cv,
        letter,
        (cx - s // 2, cy - s // 2, cx + s // 2, cy + s // 2),
        s // 2,
        (255, 255, 255),
        True,
        "center",
    )


def _appicon(cv: _Canvas, v: View) -> None:
    x1, y1, x2, y2 = v.bounds
    s = 150
    cx = (x1 + x2) // 2
    top = y1 + 16
    cv.d.ellipse(cv.box((cx - s // 2, top, cx + s // 2, top + s)), fill=v.icon_fg or (66, 133, 244))
    cv.icon(v.icon, (cx - 42, top + s // 2 - 42, cx + 42, top + s // 2 + 42), (255, 255, 255))
    draw_text(cv, v.text, (x1 + 4, top + s + 8, x2 - 4, y2), v.size, _fg(v), False, "center", "top")


def _image(cv: _Canvas, v: View) -> None:
    if not isinstance(v.image, Image.Image):
        return
    x1, y1, x2, y2 = cv.box(v.bounds)
    if x2 <= x1 or y2 <= y1:
        return
    scaled = v.image.resize((x2 - x1, y2 - y1), Image.Resampling.BILINEAR)
    cv.img.paste(scaled, (x1, y1))
