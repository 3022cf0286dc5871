"""Simple vector icons, drawn with Pillow primitives on a 24-unit grid (as Material icons are).

`draw_icon(draw, name, box, color)` draws one; unknown names draw a small filled circle, so a
typo shows up on screen rather than raising mid-render.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import ImageDraw

from artemis.sim.views import Box, Color


class _Pen:
    def __init__(self, d: ImageDraw.ImageDraw, box: Box, color: Color) -> None:
        x1, y1, x2, y2 = box
        side = min(x2 - x1, y2 - y1)
        self.d = d
        self.s = side / 24.0
        self.ox = x1 + (x2 - x1 - side) / 2
        self.oy = y1 + (y2 - y1 - side) / 2
        self.c = color
        self.lw = max(2, round(2 * self.s))

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (self.ox + x * self.s, self.oy + y * self.s)

    def line(self, *pts: tuple[float, float], w: float = 0) -> None:
        width = max(1, round(w * self.s)) if w else self.lw
        self.d.line([self.p(*q) for q in pts], fill=self.c, width=width, joint="curve")

    def poly(self, *pts: tuple[float, float]) -> None:
        self.d.polygon([self.p(*q) for q in pts], fill=self.c)

    def rect(self, x1: float, y1: float, x2: float, y2: float, fill: bool = True) -> None:
        a, b = self.p(x1, y1), self.p(x2, y2)
        if fill:
            self.d.rectangle((a, b), fill=self.c)
        else:
            self.d.rectangle((a, b), outline=self.c, width=self.lw)

    def circle(self, cx: float, cy: float, r: float, fill: bool = True) -> None:
        a, b = self.p(cx - r, cy - r), self.p(cx + r, cy + r)
        if fill:
            self.d.ellipse((a, b), fill=self.c)
        else:
            self.d.ellipse((a, b), outline=self.c, width=self.lw)

    def arc(self, cx: float, cy: float, r: float, start: float, end: float) -> None:
        a, b = self.p(cx - r, cy - r), self.p(cx + r, cy + r)
        self.d.arc((a, b), start, end, fill=self.c, width=self.lw)


def _back(p: _Pen) -> None:
    p.line((20, 12), (5, 12))
    p.line((11, 5.5), (4.5, 12), (11, 18.5))


def _forward(p: _Pen) -> None:
    p.line((4, 12), (19, 12))
    p.line((13, 5.5), (19.5, 12), (13, 18.5))


def _chevron_right(p: _Pen) -> None:
    p.line((9, 5), (16, 12), (9, 19))


def _chevron_left(p: _Pen) -> None:
    p.line((15, 5), (8, 12), (15, 19))


def _chevron_down(p: _Pen) -> None:
    p.line((5, 9), (12, 16), (19, 9))


def _close(p: _Pen) -> None:
    p.line((6, 6), (18, 18))
    p.line((18, 6), (6, 18))


def _add(p: _Pen) -> None:
    p.line((12, 4), (12, 20))
    p.line((4, 12), (20, 12))


def _check(p: _Pen) -> None:
    p.line((4.5, 12.5), (9.5, 17.5), (19.5, 6.5))


def _search(p: _Pen) -> None:
    p.circle(10, 10, 6, fill=False)
    p.line((14.5, 14.5), (20, 20), w=2.5)


def _more(p: _Pen) -> None:
    for y in (5, 12, 19):
        p.circle(12, y, 2)


def _menu(p: _Pen) -> None:
    for y in (6, 12, 18):
        p.line((3, y), (21, y))


def _delete(p: _Pen) -> None:
    p.rect(6, 7, 18, 21, fill=False)
    p.line((4, 6), (20, 6))
    p.line((9, 3.5), (15, 3.5))
    p.line((10, 10), (10, 18), w=1.5)
    p.line((14, 10), (14, 18), w=1.5)


def _edit(p: _Pen) -> None:
    p.poly((4, 20), (5, 15), (16, 4), (20, 8), (9, 19))


def _send(p: _Pen) -> None:
    p.poly((3, 20), (21, 12), (3, 4), (3, 10), (15, 12), (3, 14))


def _star(p: _Pen, fill: bool = True) -> None:
    pts = []
    for i in range(10):
        r = 9.5 if i % 2 == 0 else 4
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((12 + r * math.cos(a), 12.5 + r * math.sin(a)))
    if fill:
        p.poly(*pts)
    else:
        p.line(*pts, pts[0], w=1.6)


def _wifi(p: _Pen) -> None:
    p.poly((12, 20), (1, 8), (5, 5), (12, 3.5), (19, 5), (23, 8))


def _wifi_off(p: _Pen) -> None:
    p.line((12, 20), (1, 8), (5, 5), (12, 3.5), (19, 5), (23, 8), (12, 20), w=1.5)
    p.line((3, 3), (21, 21), w=1.8)


def _bluetooth(p: _Pen) -> None:
    p.line((6, 7), (17, 17), (12, 21), (12, 3), (17, 7), (6, 17))


def _airplane(p: _Pen) -> None:
    p.poly(
        (11, 2),
        (13, 2),
        (13.5, 9),
        (22, 14),
        (22, 16),
        (13.5, 13.5),
        (13.5, 19),
        (16, 21),
        (16, 22),
        (12, 21),
        (8, 22),
        (8, 21),
        (10.5, 19),
        (10.5, 13.5),
        (2, 16),
        (2, 14),
        (10.5, 9),
    )


def _sun(p: _Pen) -> None:
    p.circle(12, 12, 4.5)
    for i in range(8):
        a = i * math.pi / 4
        p.line(
            (12 + 7 * math.cos(a), 12 + 7 * math.sin(a)),
            (12 + 10 * math.cos(a), 12 + 10 * math.sin(a)),
            w=1.8,
        )


def _clock(p: _Pen) -> None:
    p.circle(12, 12, 9, fill=False)
    p.line((12, 6.5), (12, 12), (16, 14))


def _alarm(p: _Pen) -> None:
    p.circle(12, 13, 8, fill=False)
    p.line((12, 9), (12, 13), (15, 15))
    p.line((3, 6), (6.5, 3))
    p.line((21, 6), (17.5, 3))


def _timer(p: _Pen) -> None:
    p.circle(12, 13.5, 8, fill=False)
    p.line((12, 13.5), (12, 9))
    p.line((9, 2.5), (15, 2.5))


def _stopwatch(p: _Pen) -> None:
    p.circle(12, 13.5, 8, fill=False)
    p.line((12, 13.5), (15, 10))
    p.line((12, 2.5), (12, 5.5))


def _person(p: _Pen) -> None:
    p.circle(12, 8, 4.5)
    p.d.chord((p.p(3.5, 14), p.p(20.5, 30)), 180, 360, fill=p.c)


def _folder(p: _Pen) -> None:
    p.poly((2, 5), (9, 5), (11, 7), (22, 7), (22, 20), (2, 20))


def _file(p: _Pen) -> None:
    p.poly((5, 2), (14, 2), (19, 7), (19, 22), (5, 22))


def _note(p: _Pen) -> None:
    p.rect(4, 3, 20, 21, fill=False)
    for y in (8, 12, 16):
        p.line((7.5, y), (16.5, y), w=1.5)


def _message(p: _Pen) -> None:
    p.poly((3, 3), (21, 3), (21, 17), (7, 17), (3, 21))


def _calendar(p: _Pen) -> None:
    p.rect(3, 5, 21, 21, fill=False)
    p.rect(3, 5, 21, 9)
    p.line((8, 2), (8, 6))
    p.line((16, 2), (16, 6))


def _call(p: _Pen) -> None:
    p.poly(
        (5, 3),
        (9, 3),
        (10, 8),
        (8, 10),
        (14, 16),
        (16, 14),
        (21, 15),
        (21, 19),
        (18, 21),
        (10, 18),
        (6, 14),
        (3, 6),
    )


def _gear(p: _Pen) -> None:
    for i in range(8):
        a = i * math.pi / 4
        p.line(
            (12 + 6 * math.cos(a), 12 + 6 * math.sin(a)),
            (12 + 10 * math.cos(a), 12 + 10 * math.sin(a)),
            w=3.2,
        )
    p.circle(12, 12, 7)


def _money(p: _Pen) -> None:
    p.rect(2, 6, 22, 18, fill=False)
    p.circle(12, 12, 3)


def _info(p: _Pen) -> None:
    p.circle(12, 12, 9.5, fill=False)
    p.line((12, 10.5), (12, 17))
    p.circle(12, 7.2, 1.3)


def _phone_device(p: _Pen) -> None:
    p.rect(6.5, 2, 17.5, 22, fill=False)
    p.line((10.5, 19), (13.5, 19), w=1.5)


def _apps(p: _Pen) -> None:
    for x in (5, 12, 19):
        for y in (5, 12, 19):
            p.rect(x - 2.2, y - 2.2, x + 2.2, y + 2.2)


def _battery(p: _Pen) -> None:
    p.rect(7, 4, 17, 22)
    p.rect(10, 2, 14, 4)


def _storage(p: _Pen) -> None:
    for y in (4, 10, 16):
        p.rect(3, y, 21, y + 4.5, fill=False)


def _sound(p: _Pen) -> None:
    p.poly((3, 9), (7, 9), (12, 4), (12, 20), (7, 15), (3, 15))
    p.arc(12, 12, 5, -50, 50)
    p.arc(12, 12, 9, -50, 50)


def _lock(p: _Pen) -> None:
    p.rect(5, 10, 19, 21)
    p.arc(12, 10, 5, 180, 360)


def _location(p: _Pen) -> None:
    p.poly((12, 22), (5.5, 12), (5, 8), (8, 3.5), (12, 2), (16, 3.5), (19, 8), (18.5, 12))


def _bell(p: _Pen) -> None:
    p.poly(
        (5, 18), (6.5, 15), (6.5, 10), (9, 5), (12, 4), (15, 5), (17.5, 10), (17.5, 15), (19, 18)
    )
    p.circle(12, 20, 2)


def _accessibility(p: _Pen) -> None:
    p.circle(12, 4, 2)
    p.line((4, 8), (20, 8))
    p.line((12, 8), (12, 14), (8, 21))
    p.line((12, 14), (16, 21))


def _palette(p: _Pen) -> None:
    p.circle(12, 12, 9.5, fill=False)
    for x, y in ((8, 9), (12, 7), (16, 9), (8.5, 14)):
        p.circle(x, y, 1.5)


def _shield(p: _Pen) -> None:
    p.poly((12, 2), (20, 5), (20, 11), (17, 18), (12, 22), (7, 18), (4, 11), (4, 5))


def _key(p: _Pen) -> None:
    p.circle(7, 12, 4, fill=False)
    p.line((11, 12), (21, 12), (21, 16))
    p.line((17, 12), (17, 15))


def _google(p: _Pen) -> None:
    p.circle(12, 12, 9, fill=False)


def _emergency(p: _Pen) -> None:
    p.rect(9.5, 3, 14.5, 21)
    p.rect(3, 9.5, 21, 14.5)


def _system(p: _Pen) -> None:
    p.circle(12, 12, 9.5, fill=False)
    p.line((12, 11), (12, 17))
    p.circle(12, 7.5, 1.3)


def _nav_back(p: _Pen) -> None:
    p.line((17, 4), (6, 12), (17, 20), (17, 4), w=2.2)


def _nav_home(p: _Pen) -> None:
    p.circle(12, 12, 8, fill=False)


def _nav_recents(p: _Pen) -> None:
    p.rect(5, 5, 19, 19, fill=False)


def _backspace(p: _Pen) -> None:
    p.line((8, 5), (22, 5), (22, 19), (8, 19), (2, 12), (8, 5))
    p.line((12, 9), (18, 15))
    p.line((18, 9), (12, 15))


def _shift(p: _Pen) -> None:
    p.line((12, 3), (21, 12), (16, 12), (16, 20), (8, 20), (8, 12), (3, 12), (12, 3))


def _shift_on(p: _Pen) -> None:
    p.poly((12, 3), (21, 12), (16, 12), (16, 20), (8, 20), (8, 12), (3, 12))


def _enter(p: _Pen) -> None:
    p.line((20, 4), (20, 14), (5, 14))
    p.line((9, 10), (5, 14), (9, 18))


def _play(p: _Pen) -> None:
    p.poly((7, 4), (20, 12), (7, 20))


def _pause(p: _Pen) -> None:
    p.rect(6, 4, 10, 20)
    p.rect(14, 4, 18, 20)


def _stop(p: _Pen) -> None:
    p.rect(6, 6, 18, 18)


def _replay(p: _Pen) -> None:
    p.arc(12, 13, 7.5, 200, 520)
    p.poly((2.5, 7), (9, 8.5), (4.5, 13))


def _image(p: _Pen) -> None:
    p.rect(3, 4, 21, 20, fill=False)
    p.poly((5, 18), (10, 11), (14, 16), (16, 13), (19, 18))


def _music(p: _Pen) -> None:
    p.line((10, 18), (10, 4), (19, 3), (19, 16))
    p.circle(7.5, 18, 3)
    p.circle(16.5, 16, 3)


def _video(p: _Pen) -> None:
    p.rect(2, 6, 16, 18)
    p.poly((16, 11), (22, 7), (22, 17), (16, 13))


def _download(p: _Pen) -> None:
    p.line((12, 3), (12, 15))
    p.line((6.5, 10), (12, 15.5), (17.5, 10))
    p.line((4, 20), (20, 20))


def _move(p: _Pen) -> None:
    p.poly((2, 5), (9, 5), (11, 7), (22, 7), (22, 20), (2, 20))


def _label(p: _Pen) -> None:
    p.poly((3, 6), (16, 6), (21, 12), (16, 18), (3, 18))


def _sort(p: _Pen) -> None:
    p.line((3, 6), (21, 6))
    p.line((3, 12), (15, 12))
    p.line((3, 18), (9, 18))


def _dot(p: _Pen) -> None:
    p.circle(12, 12, 4)


def _signal(p: _Pen) -> None:
    p.poly((21, 3), (21, 21), (3, 21))


def _today(p: _Pen) -> None:
    _calendar(p)
    p.rect(7, 12, 11, 16)


def _save(p: _Pen) -> None:
    p.rect(3, 3, 21, 21, fill=False)
    p.rect(7, 3, 16, 9)


def _rename(p: _Pen) -> None:
    p.line((3, 20), (21, 20), w=1.5)
    _edit(p)


_ICONS: dict[str, Callable[[_Pen], None]] = {
    "back": _back,
    "forward": _forward,
    "chevron_right": _chevron_right,
    "chevron_left": _chevron_left,
    "chevron_down": _chevron_down,
    "close": _close,
    "add": _add,
    "check": _check,
    "search": _search,
    "more": _more,
    "menu": _menu,
    "delete": _delete,
    "edit": _edit,
    "send": _send,
    "star": _star,
    "star_outline": lambda p: _star(p, fill=False),
    "wifi": _wifi,
    "wifi_off": _wifi_off,
    "bluetooth": _bluetooth,
    "airplane": _airplane,
    "brightness": _sun,
    "clock": _clock,
    "alarm": _alarm,
    "timer": _timer,
    "stopwatch": _stopwatch,
    "person": _person,
    "folder": _folder,
    "file": _file,
    "note": _note,
    "message": _message,
    "calendar": _calendar,
    "call": _call,
    "settings": _gear,
    "money": _money,
    "info": _info,
    "phone": _phone_device,
    "apps": _apps,
    "battery": _battery,
    "storage": _storage,
    "sound": _sound,
    "lock": _lock,
    "location": _location,
    "bell": _bell,
    "accessibility": _accessibility,
    "palette": _palette,
    "shield": _shield,
    "key": _key,
    "google": _google,
    "emergency": _emergency,
    "system": _system,
    "nav_back": _nav_back,
    "nav_home": _nav_home,
    "nav_recents": _nav_recents,
    "backspace": _backspace,
    "shift": _shift,
    "shift_on": _shift_on,
    "enter": _enter,
    "play": _play,
    "pause": _pause,
    "stop": _stop,
    "replay": _replay,
    "image": _image,
    "music": _music,
    "video": _video,
    "download": _download,
    "move": _move,
    "label": _label,
    "sort": _sort,
    "dot": _dot,
    "signal": _signal,
    "today": _today,
    "save": _save,
    "rename": _rename,
}

ICON_NAMES = frozenset(_ICONS)


def draw_icon(d: ImageDraw.ImageDraw, name: str, box: Box, color: Color) -> None:
    _ICONS.get(name, _dot)(_Pen(d, box, color))
