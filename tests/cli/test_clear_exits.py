"""How commands end when asked the impossible: one line on stderr and exit 1, refused before
any work; `-v` logs progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from artemis.cli import main
from artemis.cli.common import reset_logging
from tests.bench.screenspot_fixtures import V2_FILES, write_annotations, write_image

SCREENSPOT = ["bench", "screenspot", "-d", "screenspot-v2", "-a", "{ann}"]


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    yield
    reset_logging()


def _fails(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """Run `artemis ARGS` as the console script does; it must exit 1 with one error line."""
    monkeypatch.setenv("ARTEMIS_DEVICE__SETTLE_TIMEOUT_S", "0")
    monkeypatch.setattr(sys, "argv", ["artemis", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    err = capsys.readouterr().err
    assert exc.value.code == 1, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, err
    return errors[0]


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A path under a file: no folder can be made there (even by root)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    return blocker / "out"


def _episode(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "episode.json").write_text('{"id": "e", "task": "t", "status": "done"}')
    (folder / "steps.jsonl").write_text('{"step": 0, "status": "ok"}\n')
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["run", "-d", "sim", "-m", "heuristic", "Turn on Wi-Fi", "--out"],
        ["bench", "sim", "-m", "oracle", "-t", "SettingsWifi", "--out"],
        ["tips", "export", "--out"],
        ["tips", "export", "--out", "{}.yaml"],
        ["report", "{episode}", "--out", "{}.html"],
        [*SCREENSPOT, "-m", "ocr", "-i", "{img}", "--out"],
        [*SCREENSPOT, "-p", "{pred}", "--json", "{}.json"],
    ],
    ids=[
        "run",
        "bench-sim",
        "tips-export-folder",
        "tips-export-file",
        "report",
        "bench-screenspot",
        "screenspot-json",
    ],
)
def test_an_unwritable_out_is_one_line_and_exit_1(
    command: list[str],
    blocked: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    places = {
        "{episode}": str(_episode(tmp_path / "ep")),
        "{ann}": str(write_annotations(tmp_path / "ann", V2_FILES)),
        "{img}": str(write_image(tmp_path / "img" / "m1.png", (50, 50)).parent),
        "{pred}": str(tmp_path / "pred.jsonl"),
    }
    (tmp_path / "pred.jsonl").write_text('{"id": "screenspot_mobile_v2_0", "point": [1, 2]}\n')
    args = [places.get(a, a).replace("{}", str(blocked)) for a in command]
    if args[-1] == "--out":
        args.append(str(blocked))
    line = _fails(args, monkeypatch, capsys)
    assert "a-file" in line and ("cannot" in line), line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "-d", "sim", "-m", "ocr", "Turn on Wi-Fi"], "'ocr' (ScreenSpot's CPU grounding"),
        (["run", "-d", "sim", "-m", "oracle", "Turn on Wi-Fi"], "cannot run agent episodes"),
        (["run", "-d", "sim", "-m", "heuristic", ""], "the task is empty"),
        (["run", "-d", "sim", "-m", "heuristic", "   "], "the task is empty"),
        (["bench", "sim", "-m", "ocr", "-t", "SettingsWifi"], "cannot run SimWorld episodes"),
    ],
)
def test_a_model_or_task_that_cannot_run_is_refused_before_any_work(
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    line = _fails([*args, "--out", str(tmp_path / "runs")], monkeypatch, capsys)
    assert message in line
    assert not (tmp_path / "runs").exists()  # no trajectory, no run folder


def test_the_screenspot_runner_refuses_an_agent_only_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ann = write_annotations(tmp_path / "ann", V2_FILES)
    args = ["bench", "screenspot", "-d", "screenspot-v2", "-a", str(ann), "-m", "heuristic"]
    line = _fails([*args, "-i", str(tmp_path), "-o", str(tmp_path / "o")], monkeypatch, capsys)
    assert "cannot run ScreenSpot grounding" in line


def test_verbose_logs_progress_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> str:
        monkeypatch.setattr(sys, "argv", ["artemis", *args])
        with pytest.raises(SystemExit) as exc:
            main()
        assert exc.value.code in (0, None)
        return capsys.readouterr().err

    quiet = run("tips", "list", "--app", "org.tasks")  # first open: the corpus is imported
    assert "INFO" not in quiet
    monkeypatch.setenv("ARTEMIS_TIPS__PATH", str(tmp_path / "another-store"))
    loud = run("-v", "tips", "list", "--app", "org.tasks")
    assert "INFO artemis.tips" in loud and "imported" in loud
