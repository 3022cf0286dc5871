"""The pages in a real headless browser: Debian's chromium, driven by Playwright.

One browser serves the whole module. Skipped, with the reason, when chromium or Playwright is
not installed (`apt-get install chromium`; Playwright comes with the `dev` extra; its own
browser download is never used).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from artemis.report import Report, build_report
from tests.report.episodes import NAMES

CHROMIUM = os.environ.get("ARTEMIS_CHROMIUM") or shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@dataclass
class Tab:
    """A page with everything it logged."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def js(self, expr: str) -> Any:
        return self.page.evaluate(expr)

    def current_step(self) -> str:
        return str(self.js("document.querySelector('section.step.current').id"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    t = Tab(page)
    page.on("console", lambda m: t.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: t.errors.append(str(e)))
    yield t
    context.close()


@pytest.fixture(scope="module")
def report(recorded_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return build_report(recorded_run, tmp_path_factory.mktemp("site") / "index.html")


@pytest.fixture(scope="module")
def sim_report(sim_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return build_report(sim_run, tmp_path_factory.mktemp("sim-site") / "index.html")


def page_of(report: Report, name: str) -> Path:
    return next(p for p in report.pages if p.stem == name)


IMAGES = """() => Array.from(document.images).map(i => [i.complete, i.naturalWidth])"""


def test_an_episode_page_renders_its_screenshots_and_steps(report: Report, tab: Tab) -> None:
    tab.open(page_of(report, "01-wifi"))
    images = tab.js(IMAGES)
    assert len(images) == 6 and all(done and width == 270 for done, width in images)
    assert tab.js("document.querySelectorAll('section.step').length") == 4
    thought = tab.js("document.querySelector('#step-1 .thought .text').textContent")
    assert "<script>window.__pwned = 1</script>" in thought  # shown as text ...
    assert tab.js("window.__pwned === undefined")  # ... and never run
    assert tab.js("document.getElementById('task').textContent") == "Turn on Wi-Fi"
    assert tab.current_step() == "step-1"
    assert tab.errors == []


def test_full_size_screens_of_the_simulated_phone_decode(report: Report, tab: Tab) -> None:
    tab.open(page_of(report, "07-sim-wifi"))
    decoded = tab.page.evaluate(
        "Promise.all(Array.from(document.images).map(i => i.decode().then(() => i.naturalWidth)))"
    )
    steps = tab.js("document.querySelectorAll('section.step').length")
    assert steps >= 3 and decoded == [1080] * (steps + 1)  # one per step, and the final screen
    assert tab.errors == []


def test_keys_move_the_focused_step(report: Report, tab: Tab) -> None:
    tab.open(page_of(report, "01-wifi"))
    keys = tab.page.keyboard
    keys.press("j")
    assert tab.current_step() == "step-2"
    assert tab.js("document.activeElement.id") == "step-2"
    assert tab.js("location.hash") == "#step-2"
    assert tab.js("document.querySelector('#stepnav .chip.current').textContent") == "2"
    keys.press("ArrowRight")
    assert tab.current_step() == "step-3"
    top = tab.js("document.getElementById('step-3').getBoundingClientRect().top")
    assert 0 <= top < 120  # scrolled to it, below the sticky key bar
    keys.press("k")
    keys.press("ArrowLeft")
    keys.press("ArrowLeft")  # stays on the first
    assert tab.current_step() == "step-1"
    keys.press("End")
    assert tab.current_step() == "step-4"
    keys.press("Home")
    assert tab.current_step() == "step-1"
    assert tab.js("document.querySelectorAll('section.step.current').length") == 1
    tab.page.click("#stepnav .chip >> nth=2")
    assert tab.current_step() == "step-3"
    assert tab.errors == []


def test_a_step_in_the_address_is_selected_on_load(report: Report, tab: Tab) -> None:
    tab.page.goto(page_of(report, "01-wifi").as_uri() + "#step-3")
    assert tab.current_step() == "step-3"


def test_keys_move_between_episodes_and_to_the_index(report: Report, tab: Tab) -> None:
    first, second = report.pages[:2]  # in the index's order
    tab.open(first)
    with tab.page.expect_navigation():
        tab.page.keyboard.press("n")
    assert tab.page.url == second.as_uri()
    with tab.page.expect_navigation():
        tab.page.keyboard.press("p")
    assert tab.page.url == first.as_uri()
    with tab.page.expect_navigation():
        tab.page.keyboard.press("u")
    assert tab.page.url == report.out.as_uri()
    assert tab.errors == []


def test_broken_episodes_render_with_what_is_missing(report: Report, tab: Tab) -> None:
    tab.open(page_of(report, "05-crashed"))
    assert "The episode crashed" in tab.js("document.querySelector('.banner').textContent")
    assert all(w > 0 for _, w in tab.js(IMAGES))
    tab.open(page_of(report, "06-no-screens"))
    holes = tab.js("Array.from(document.querySelectorAll('.hole')).map(h => h.textContent)")
    assert holes and all("log_screens off" in h for h in holes)
    assert tab.js("document.images.length") == 0
    assert tab.errors == []


def test_the_index_sorts_filters_and_opens_episodes_from_the_keyboard(
    report: Report, tab: Tab
) -> None:
    tab.open(report.out)
    rows = "Array.from(document.querySelectorAll('#episodes tbody tr'))"
    assert tab.js(f"{rows}.length") == len(NAMES)
    tab.page.click("#episodes th:has-text('steps')")
    steps = tab.js(f"{rows}.map(r => Number(r.cells[3].dataset.v))")
    assert steps == sorted(steps) and steps != tab.js("[]")
    tab.page.click("#episodes th:has-text('steps')")
    assert tab.js(f"{rows}.map(r => Number(r.cells[3].dataset.v))") == sorted(steps, reverse=True)

    tab.page.fill("#filter", "battery")
    assert tab.js(f"{rows}.filter(r => !r.hidden).length") == 2
    tab.page.fill("#filter", "")
    tab.page.check("#only-failed")
    shown = tab.js(f"{rows}.filter(r => !r.hidden).map(r => r.cells[2].dataset.v)")
    assert shown and "success" not in shown
    tab.page.uncheck("#only-failed")

    tab.page.click("h1")  # leave the filter box
    tab.page.keyboard.press("j")
    tab.page.keyboard.press("j")
    target = tab.js("document.querySelector('#episodes tr.current').dataset.href")
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    assert tab.page.url == (report.out.parent / target).as_uri()
    assert tab.js("document.querySelectorAll('section.step').length") > 0
    assert tab.errors == []


def test_a_simworld_run_from_the_index_to_its_last_step(sim_report: Report, tab: Tab) -> None:
    tab.open(sim_report.out)
    rows = "Array.from(document.querySelectorAll('#episodes tbody tr'))"
    scores = tab.js(f"{rows}.map(r => r.cells[3].textContent)")
    assert scores == ["1", "1"]
    tab.page.keyboard.press("j")
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    assert tab.page.url == sim_report.pages[0].as_uri()
    decoded = tab.page.evaluate(
        "Promise.all(Array.from(document.images).map(i => i.decode().then(() => i.naturalWidth)))"
    )
    steps = tab.js("document.querySelectorAll('section.step').length")
    assert decoded == [1080] * (steps + 1)
    tab.page.keyboard.press("End")
    assert tab.current_step() == f"step-{steps}"
    assert "benchmark case" in tab.js("document.querySelector('.case').textContent")
    assert tab.errors == []
