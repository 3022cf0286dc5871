"""`artemis bench screenspot`: scoring a file, running a model, and the errors users see."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from artemis.bench.screenspot.runner import GroundRequest
from artemis.cli import app, main
from artemis.cli import bench as bench_cli
from artemis.config import Settings
from artemis.models.base import ChatModel
from artemis.models.images import png_size
from artemis.models.testing import Call, FunctionModel
from tests.bench.screenspot_fixtures import V2_FILES, V2_PREDICTIONS, write_annotations, write_image

runner = CliRunner()


@pytest.fixture
def ann(tmp_path: Path) -> Path:
    return write_annotations(tmp_path / "ann", V2_FILES)


def _main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["artemis", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    return int(exc.value.code or 0)


def test_scoring_a_file_prints_the_table_and_writes_json(ann: Path, tmp_path: Path) -> None:
    preds = tmp_path / "p.jsonl"
    preds.write_text("\n".join(V2_PREDICTIONS) + "\n", encoding="utf-8")
    out = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "bench",
            "screenspot",
            "-d",
            "screenspot-v2",
            "-a",
            str(ann),
            "-p",
            str(preds),
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "average over samples: 37.5%  (3/8)" in result.output
    assert "mean of the 5 columns: 30.0%" in result.output
    assert "wrong format: 1" in result.output
    assert "is not in the annotations" in result.output  # problems are shown
    data = json.loads(out.read_text())
    assert data["accuracy"] == {"micro": 0.375, "macro": 0.3}


def test_running_a_model_resumes_in_its_folder(
    ann: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    images = tmp_path / "images"
    write_image(images / "m1.png", (500, 500))
    by_id = {}
    from artemis.bench.screenspot import load_dataset

    by_id = load_dataset("screenspot-v2", ann).by_id()

    def centre(call: Call) -> str:
        request = call.input(GroundRequest)
        s = by_id[request.sample_id]
        w, h = png_size(call.messages[-1].images[-1].png)
        ow, oh = request.image_size
        return f"({s.box.centre[0] * w / ow:.0f}, {s.box.centre[1] * h / oh:.0f})"

    models: list[FunctionModel] = []

    def resolve(spec: str, s: Settings) -> ChatModel:
        assert spec == "test-model"
        models.append(FunctionModel(centre, name=spec))
        return models[-1]

    monkeypatch.setattr(bench_cli, "resolve_model", resolve)
    args = [
        "bench",
        "screenspot",
        "-d",
        "screenspot-v2",
        "-a",
        str(ann),
        "-m",
        "test-model",
        "-i",
        str(images),
        "-o",
        str(tmp_path / "run"),
        "-j",
        "2",
        "-n",
        "3",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "average over samples: 100.0%  (3/3)" in result.output
    assert "3 run now, 0 from before" in result.output
    assert len(models[-1].calls) == 3

    result = runner.invoke(app, args[:-2])  # no --limit: the fourth m1.png sample is new
    assert result.exit_code == 0, result.output
    assert "1 run now, 3 from before" in result.output
    assert len(models[-1].calls) == 1
    assert json.loads((tmp_path / "run" / "report.json").read_text())["counts"]["samples"] == 4


def test_the_default_run_folder_is_under_runs_dir(
    ann: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARTEMIS_RUNS_DIR", str(tmp_path / "runs"))
    images = tmp_path / "images"
    images.mkdir()
    monkeypatch.setattr(
        bench_cli, "resolve_model", lambda spec, s: FunctionModel(lambda c: "(0, 0)", name=spec)
    )
    result = runner.invoke(
        app,
        [
            "bench",
            "screenspot",
            "-d",
            "screenspot-v2",
            "-a",
            str(ann),
            "-m",
            "org/Qwen2.5-VL 7B",
            "-i",
            str(images),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "runs" / "screenspot" / "screenspot-v2-org_Qwen2.5-VL_7B-auto").is_dir()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --predictions FILE (to score) or --model SPEC (to run)"),
        (["-p", "x.jsonl", "-m", "ocr"], "give either --predictions"),
        (["-m", "ocr"], "--model needs --images DIR"),
        (["-p", "missing.jsonl"], "prediction file missing.jsonl does not exist"),
        (["-m", "nope", "-i", "."], "unknown model spec 'nope'"),
        (
            ["-m", "x", "-i", ".", "--dialect", "ui-tars1.5"],
            "unknown dialect 'ui-tars1.5'. Did you mean 'ui-tars-1.5'?",
        ),
    ],
)
def test_wrong_usage_is_one_line_and_exit_code_1(
    ann: Path,
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "--dialect" in args:
        monkeypatch.setattr(
            bench_cli, "resolve_model", lambda spec, s: FunctionModel(lambda c: "", name=spec)
        )
    code = _main(monkeypatch, "bench", "screenspot", "-d", "screenspot-v2", "-a", str(ann), *args)
    err = capsys.readouterr().err
    assert code == 1
    assert message in " ".join(err.split())
    assert "Traceback" not in err


def test_the_ocr_model_without_its_extra_says_how_to_install_it(
    ann: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    code = _main(
        monkeypatch,
        "bench",
        "screenspot",
        "-d",
        "screenspot-v2",
        "-a",
        str(ann),
        "-m",
        "ocr",
        "-i",
        str(tmp_path),
    )
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1 and 'pip install "artemis[ocr]"' in err


def test_a_ray_run_whose_actors_were_all_lost_exits_1_and_keeps_its_folder(
    ann: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from artemis.bench.distributed import screenspot as on_ray
    from artemis.bench.distributed.actors import PoolReport

    class Cluster:
        def nodes(self) -> int:
            return 2

    class NoActorLeft:
        """A pool whose every actor was lost before it finished a batch."""

        def __init__(self, cluster: object, size: int, make_worker: object) -> None:
            pass

        async def run(self, items: list[on_ray.Batch], on_done: object) -> PoolReport[Any]:
            return PoolReport(lost_actors=2, left=list(items))

    monkeypatch.setattr(on_ray, "connect", lambda address: Cluster())
    monkeypatch.setattr(on_ray, "disconnect", lambda cluster: None)
    monkeypatch.setattr(on_ray, "ActorPool", NoActorLeft)
    monkeypatch.setattr(
        bench_cli, "resolve_model", lambda spec, s: FunctionModel(lambda c: "(0, 0)", name=spec)
    )
    images = tmp_path / "images"
    write_image(images / "m1.png", (500, 500))
    out = tmp_path / "run"
    code = _main(
        monkeypatch,
        *("bench", "screenspot", "-d", "screenspot-v2", "-a", str(ann), "-m", "test-model"),
        *("-i", str(images), "-o", str(out), "--ray", "auto"),
    )
    err = capsys.readouterr().err
    assert code == 1, err
    assert "4 sample(s) unfinished: every actor was lost; run the same command again" in " ".join(
        err.split()
    )
    assert "Traceback" not in err
    assert (out / "run.json").is_file() and (out / "report.json").is_file()
