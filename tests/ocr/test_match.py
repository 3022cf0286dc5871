"""Matching instructions to text boxes, and snapping taps onto matching text."""

from __future__ import annotations

import pytest

from artemis.ocr import TextBox, best_match, snap_to_text
from artemis.ocr.match import match_text, query_of

SCREEN = [
    TextBox("Scan", 90, 440, 200, 490),
    TextBox("Pay/Collect", 320, 436, 556, 492),
    TextBox("Transport", 630, 436, 830, 492),
    TextBox("7", 2280, 150, 2300, 190),
    TextBox("My AccountMy Wish List 55 itemsSign Out", 1543, 23, 2156, 60),
    TextBox("Proceed to Checkout", 1830, 410, 2480, 470),
    TextBox("Message", 760, 2380, 880, 2430),
]


def test_queries_keep_the_content_words_of_an_instruction() -> None:
    assert query_of("Open the Pay/Collect button") == "pay collect"
    assert query_of("click on it") == "click on it"  # nothing but fillers: keep it all
    assert query_of("打开设置") == "打开设置"


@pytest.mark.parametrize(
    ("instruction", "text"),
    [
        ("open pay/collect", "Pay/Collect"),
        ("tap the scan icon", "Scan"),
        ("checkout", "Proceed to Checkout"),
        ("check messages", "Message"),
        ("sign out", "My AccountMy Wish List 55 itemsSign Out"),
    ],
)
def test_the_best_match_is_the_named_text(instruction: str, text: str) -> None:
    m = best_match(instruction, SCREEN)
    assert m is not None and m.box.text == text


def test_a_short_text_inside_a_long_instruction_scores_low() -> None:
    query = query_of("delete the item with 7 units in the cart")
    assert match_text(query, SCREEN[3]).score < 60


def test_the_point_lands_on_the_matched_part_of_a_long_line() -> None:
    m = best_match("sign out", SCREEN)
    assert m is not None
    assert m.x > 2050  # "Sign Out" ends the line; the line's middle is at 1850
    assert m.box.contains(m.x, m.y)


def test_no_match_at_all_is_none() -> None:
    assert best_match("anything", []) is None
    assert best_match("zzz", [TextBox("", 0, 0, 1, 1)]) is None


def test_snap_moves_a_point_off_text_onto_the_matching_text() -> None:
    r = snap_to_text((400, 600), "open pay/collect", SCREEN)
    assert r.snapped and r.match is not None
    assert SCREEN[1].contains(*r.point)


def test_snap_keeps_a_point_already_on_matching_text() -> None:
    r = snap_to_text((500, 460), "open pay/collect", SCREEN)
    assert not r.snapped and r.point == (500, 460)
    assert r.reason == "the point is already on matching text"


def test_snap_keeps_the_point_when_nothing_matches_well_or_the_text_is_far() -> None:
    weak = snap_to_text((10, 10), "close the cart", SCREEN)
    assert not weak.snapped and weak.point == (10, 10)
    far = snap_to_text((3000, 3000), "open pay/collect", SCREEN, max_distance=300)
    assert not far.snapped and far.reason == "the matching text is too far from the point"
    near = snap_to_text((600, 700), "open pay/collect", SCREEN, max_distance=300)
    assert near.snapped


def test_snap_leaves_a_point_on_other_text_when_that_text_matches_too() -> None:
    boxes = [TextBox("Wi-Fi", 0, 0, 100, 40), TextBox("Wi-Fi settings", 0, 100, 300, 140)]
    r = snap_to_text((50, 20), "wifi settings", boxes)
    assert r.snapped  # "Wi-Fi" matches far worse than "Wi-Fi settings"
    r2 = snap_to_text((50, 120), "wifi settings", boxes)
    assert not r2.snapped
