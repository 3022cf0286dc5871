"""Reading UI trees (names, fuzzy matches, diffs) and drawing actions on screenshots."""

from __future__ import annotations

import io

from PIL import Image

from artemis.actions import ElementTarget, PointTarget, Press, Scroll, Swipe, Tap
from artemis.agent.draw import BOX, MARK, annotate
from artemis.agent.ui import diff_ui, name_of, norm, quoted_names, scroll_gesture, similarity
from artemis.observation import Observation
from tests.agent.fakes import FakeDevice, settings_phone, switch_index


async def _obs(screen: str = "internet", **kw: bool) -> Observation:
    device = FakeDevice(screens=settings_phone(**kw), current=screen)
    return await device.observe()


def test_norm_folds_dashes_case_and_ampersands() -> None:
    assert norm("Wi\u2011Fi") == norm("wi-fi") == "wifi"
    assert norm("Network & internet") == "network and internet"


def test_similarity_finds_a_name_inside_a_sentence() -> None:
    assert similarity("Wi-Fi", "Tap the Wi-Fi switch") == 100
    assert similarity("Battery", "Tap Network & internet") < 60
    assert quoted_names("Tap \u201cNetwork & internet\u201d then 'Internet'") == [
        "Network & internet",
        "Internet",
    ]


async def test_a_bare_switch_is_named_after_its_row() -> None:
    obs = await _obs()
    assert obs.ui is not None
    sw = obs.ui[switch_index(settings_phone()["internet"])]
    assert sw.text == "" and name_of(sw, obs.ui) == "Wi\u2011Fi"


async def test_diff_reports_a_flipped_switch_and_new_screens() -> None:
    off, on = await _obs(wifi_on=False), await _obs(wifi_on=True)
    assert off.ui is not None and on.ui is not None
    diff = diff_ui(off.ui, on.ui)
    assert diff.changed == ('Switch "Wi\u2011Fi": checked False->True',)
    assert not diff.added and not diff.removed
    other = await _obs("network")
    assert other.ui is not None
    d2 = diff_ui(off.ui, other.ui)
    assert 'TextView "Internet"' in d2.added and 'TextView "AndroidWifi"' in d2.removed
    assert diff_ui(off.ui, off.ui).empty
    assert "no visible change" in diff_ui(off.ui, off.ui).text()


def _pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


async def test_annotate_marks_the_tap_point_and_boxes_the_element() -> None:
    obs = await _obs()
    i = switch_index(settings_phone()["internet"])
    assert obs.ui is not None
    x, y = obs.ui[i].bounds.center
    img = _pixels(annotate(obs, Tap(target=ElementTarget(index=i))))
    assert img.size == (obs.width, obs.height)
    assert img.getpixel((x, y)) == MARK
    box = obs.ui[i].bounds
    assert img.getpixel((box.x1, box.y1 + 2)) == BOX


async def test_annotate_draws_an_arrow_for_a_swipe_and_leaves_key_presses_alone() -> None:
    obs = await _obs()
    img = _pixels(
        annotate(obs, Swipe(start=PointTarget(x=135, y=500), end=PointTarget(x=135, y=100)))
    )
    assert img.getpixel((135, 300)) == MARK  # on the shaft
    plain = _pixels(annotate(obs, Press(key="back")))
    assert plain.getpixel((135, 300)) == _pixels(obs.screenshot).getpixel((135, 300))


async def test_scroll_down_moves_the_finger_up() -> None:
    obs = await _obs()
    (_, y1), (_, y2) = scroll_gesture(Scroll(direction="down"), obs)
    assert y1 > y2
