"""Invariants that hold on every screen: the XML matches the view tree that is drawn and hit.

A seeded monkey walks every app (taps on clickable nodes, swipes, text, keys) and after each
step checks that the dump parses, that bounds nest and lie on the screen, that a tap at a
clickable node's centre reaches that node (or something drawn over it), and that rendering
works. It also checks that a snapshot taken anywhere restores the same screen.
"""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET

import pytest

from artemis.sim.apps import APPS
from artemis.sim.phone import Phone
from tests.sim.helpers import parse_bounds, pixels


def check_xml(phone: Phone) -> list[ET.Element]:
    xml = phone.ui_xml()
    assert "\n" not in xml
    root = ET.fromstring(xml)
    assert root.tag == "hierarchy"

    def walk(el: ET.Element, outer: tuple[int, int, int, int]) -> None:
        for child in el.findall("node"):
            b = parse_bounds(child.attrib["bounds"])
            assert 0 <= b[0] < b[2] <= 1080 and 0 <= b[1] < b[3] <= 2400, child.attrib
            assert outer[0] <= b[0] and outer[1] <= b[1] and b[2] <= outer[2] and b[3] <= outer[3]
            walk(child, b)

    walk(root, (0, 0, 1080, 2400))
    return list(root.iter("node"))


def check_hits(phone: Phone, nodes: list[ET.Element]) -> None:
    """The dump is the active window's visible views, in order; a tap at a clickable node's
    centre reaches that node's view, or a view drawn over it (a floating button over a row)."""
    frame = phone.frame()
    views = [v for v in frame.active.root.walk() if v.visible]
    assert len(views) == len(nodes)
    order = {id(v): i for i, v in enumerate(views)}
    for n, view in zip(nodes, views, strict=True):
        assert parse_bounds(n.attrib["bounds"]) == view.clip
        assert n.attrib["class"] == view.cls
        if n.attrib["clickable"] != "true":
            continue
        b = view.clip
        _, hit = phone._target(frame, (b[0] + b[2]) // 2, (b[1] + b[3]) // 2, long=False)
        assert hit is not None, n.attrib
        if hit is not view:
            assert order.get(id(hit), -1) > order[id(view)], (n.attrib, hit.text, hit.desc)


def monkey_step(phone: Phone, rng: random.Random, nodes: list[ET.Element]) -> str:
    clickable = [n for n in nodes if n.attrib["clickable"] == "true"]
    r = rng.random()
    if clickable and r < 0.55:
        n = rng.choice(clickable)
        b = parse_bounds(n.attrib["bounds"])
        phone.tap((b[0] + b[2]) // 2, (b[1] + b[3]) // 2)
        return f"tap {n.attrib['text'] or n.attrib['content-desc']}"
    if r < 0.65:
        phone.swipe(540, 1600, 540, 900 if rng.random() < 0.7 else 2000, 300)
        return "swipe"
    if r < 0.75:
        phone.input_text(rng.choice(["hello", "42", "Oct 20, 2025", "3:15 PM", "x y"]))
        return "text"
    if r < 0.8:
        long = [n for n in nodes if n.attrib["long-clickable"] == "true"]
        if long:
            b = parse_bounds(rng.choice(long).attrib["bounds"])
            phone.swipe((b[0] + b[2]) // 2, (b[1] + b[3]) // 2, (b[0] + b[2]) // 2,
                        (b[1] + b[3]) // 2, 700)  # fmt: skip
            return "long press"
    key = rng.choice([4, 4, 66, 67, 61, 82, 187, 3, 122, 123])
    phone.keyevent(key)
    return f"key {key}"


@pytest.mark.parametrize("package", sorted(APPS))
def test_monkey_keeps_every_invariant(package: str) -> None:
    phone = Phone(seed=11)
    rng = random.Random(package)
    phone.launch(package)
    history: list[str] = []
    for step in range(60):
        if phone.foreground()[0] != package and rng.random() < 0.5:
            phone.launch(package)
        nodes = check_xml(phone)
        check_hits(phone, nodes)
        if step % 15 == 0:
            assert len(phone.screencap_png()) > 1000
        history.append(monkey_step(phone, rng, nodes))
    snap = json.loads(json.dumps(phone.snapshot()))
    copy = Phone.from_snapshot(snap)
    assert copy.ui_xml() == phone.ui_xml(), history[-5:]
    assert pixels(copy) == pixels(phone), history[-5:]


def test_same_inputs_same_pixels_in_every_app() -> None:
    a, b = Phone(seed=3), Phone(seed=3)
    for package in APPS:
        for p in (a, b):
            p.launch(package)
            p.swipe(540, 1600, 540, 1100, 300)
            p.tap(540, 700)
        assert pixels(a) == pixels(b), package
