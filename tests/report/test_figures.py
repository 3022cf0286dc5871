"""Each step's images: the checker's drawing when recorded, else the agent's drawing code."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from artemis.agent.draw import BOX, MARK
from artemis.report.figures import (
    Figure,
    data_uri,
    final_figure,
    step_figures,
    unrecorded_figures,
)
from artemis.report.load import load_episode
from tests.report.episodes import BATTERY


def pixels(fig: Figure) -> Image.Image:
    assert fig.uri is not None, fig.missing
    header, b64 = fig.uri.split(",", 1)
    assert header.startswith("data:image/") and header.endswith(";base64")
    return Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")


def png(path: Path) -> Image.Image:
    return Image.open(path).convert("RGB")


def test_embedding_keeps_every_pixel_and_is_smaller_than_the_png(recorded_run: Path) -> None:
    path = recorded_run / "01-wifi" / "screens" / "000.png"
    raw = path.read_bytes()
    uri, w, h = data_uri(raw)
    fig = Figure("x", uri, width=w, height=h)
    assert pixels(fig).tobytes() == png(path).tobytes()
    assert (w, h) == png(path).size
    assert len(base64.b64decode(uri.split(",", 1)[1])) <= len(raw)


def test_the_checkers_image_is_used_and_a_corrected_action_is_drawn_too(
    recorded_run: Path,
) -> None:
    folder = recorded_run / "01-wifi"
    ep = load_episode(folder, "x")
    planned, executed = step_figures(folder, ep.steps[0])
    assert planned.caption == "planned action, as the checker saw it"
    assert pixels(planned).tobytes() == png(folder / "screens" / "000-action.png").tobytes()
    assert executed.caption == "executed action (corrected)"
    img = pixels(executed)
    assert img.getpixel((100, 120)) == MARK  # the corrected tap, drawn by the viewer
    assert img.getpixel((100, 320)) != MARK  # not the rejected one
    [only] = step_figures(folder, ep.steps[1])  # checked, not corrected
    assert only.caption == "action, as the checker saw it"
    assert pixels(only).tobytes() == png(folder / "screens" / "001-action.png").tobytes()


def test_without_a_checker_image_the_viewer_draws_taps_and_scrolls(recorded_run: Path) -> None:
    folder = recorded_run / "02-scroll"
    ep = load_episode(folder, "x")
    assert not list((folder / "screens").glob("*-action.png"))
    [scroll] = step_figures(folder, ep.steps[0])
    img, raw = pixels(scroll), png(folder / "screens" / "000.png")
    assert img.size == raw.size
    assert img.getpixel((135, 300)) == MARK  # the arrow runs through the middle
    assert raw.getpixel((135, 300)) != MARK
    [tap] = step_figures(folder, ep.steps[1])
    assert pixels(tap).getpixel((100, 120)) == MARK
    [back] = step_figures(folder, ep.steps[2])
    assert back.note == "press back: nothing to draw"
    assert pixels(back).tobytes() == png(folder / "screens" / "002.png").tobytes()


def test_an_element_target_is_drawn_where_the_step_recorded_it(recorded_run: Path) -> None:
    folder = recorded_run / "05-crashed"
    ep = load_episode(folder, "x")
    step = ep.steps[0]
    assert step["executed"] == {"type": "tap", "target": {"index": BATTERY}}
    assert not (folder / "screens" / "000-action.png").exists()
    [fig] = step_figures(folder, step)
    img = pixels(fig)
    assert img.getpixel((135, 325)) == MARK  # the centre of "Battery" (0,300)-(270,350)
    assert img.getpixel((0, 300)) == BOX and img.getpixel((269, 349)) == BOX
    assert fig.note is None


def test_an_element_target_without_its_bounds_is_explained_not_guessed(
    recorded_run: Path,
) -> None:
    folder = recorded_run / "05-crashed"
    step = dict(load_episode(folder, "x").steps[0])
    del step["elements"]  # as recorded before steps kept them
    [fig] = step_figures(folder, step)
    assert fig.note == (
        f"tap #{BATTERY}: the trajectory does not record where that element is, "
        "so it cannot be drawn"
    )
    assert pixels(fig).tobytes() == png(folder / "screens" / "000.png").tobytes()


def test_the_screen_of_a_step_that_never_finished_is_shown(recorded_run: Path) -> None:
    folder = recorded_run / "05-crashed"
    ep = load_episode(folder, "x")
    [fig] = unrecorded_figures(folder, ep.steps)
    assert fig.caption == "step 2 began on this screen and was not recorded"
    assert pixels(fig).size == (270, 600)
    finished = load_episode(recorded_run / "01-wifi", "y")
    assert unrecorded_figures(finished.folder, finished.steps) == []


def test_missing_broken_and_unkept_screenshots_say_why(
    run_copy: Callable[[], Path], recorded_run: Path
) -> None:
    run = run_copy()
    folder = run / "02-scroll"
    ep = load_episode(folder, "x")
    (folder / "screens" / "001.png").unlink()
    (folder / "screens" / "002.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    [gone] = step_figures(folder, ep.steps[1])
    assert gone.uri is None and gone.missing == "screens/001.png is missing"
    [broken] = step_figures(folder, ep.steps[2])
    assert broken.uri is None and broken.missing is not None
    assert broken.missing.startswith("screens/002.png cannot be decoded")
    [outside] = step_figures(folder, {**ep.steps[0], "screen": "../01-wifi/screens/000.png"})
    assert outside.uri is None and "outside the episode folder" in (outside.missing or "")

    unkept = load_episode(recorded_run / "06-no-screens", "y")
    [none] = step_figures(unkept.folder, unkept.steps[0], screens_kept=False)
    assert none.missing == "no screenshot: screenshots were not kept (log_screens off)"
    assert final_figure(unkept.folder) is None
    assert final_figure(recorded_run / "01-wifi") is not None


def test_on_the_simulated_phone_every_element_tap_is_drawn_on_its_element(
    recorded_run: Path,
) -> None:
    folder = recorded_run / "07-sim-wifi"
    ep = load_episode(folder, "x")
    taps = [s for s in ep.steps if (s["executed"] or {}).get("type") == "tap"]
    assert len(taps) >= 2
    for step in taps:
        index = str(step["executed"]["target"]["index"])
        x1, y1, x2, y2 = step["elements"][index]["bounds"]
        [fig] = step_figures(folder, step)
        img = pixels(fig)
        assert img.size == (1080, 2400) and fig.note is None
        assert img.getpixel(((x1 + x2) // 2, (y1 + y2) // 2)) == MARK
