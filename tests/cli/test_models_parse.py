"""`artemis models parse` and `artemis models dialects`: what a raw reply means, in screen
pixels; one line and exit status 1 for a reply that cannot be read."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from artemis.cli import main


def _run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["artemis", "models", *args])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# UI-TARS-1.5-7B, bytedance/UI-TARS@582f3a7e:README_deploy.md ("Expected Output").
TARS = "Thought: I see the Preferences window.\nAction: click(start_box='(177,549)')"
# A vLLM chat-completion message with a parsed `mobile_use` call (Qwen2.5-VL space: pixels of
# the 1092x2408 image its processor makes of a 1080x2400 screen).
QWEN_MESSAGE = {
    "role": "assistant",
    "content": "I will open the app drawer.",
    "tool_calls": [
        {
            "id": "chatcmpl-tool-1",
            "type": "function",
            "function": {
                "name": "mobile_use",
                "arguments": '{"action": "click", "coordinate": [935, 406]}',
            },
        }
    ],
}


def test_a_text_reply_becomes_an_artemis_action_in_screen_pixels(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        monkeypatch,
        capsys,
        "parse",
        "--dialect",
        "ui-tars-1.5",
        "--image",
        "1092x2408",
        "--screen",
        "1080x2400",
        stdin=TARS,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["thought"] == "I see the Preferences window."
    assert data["action"]["type"] == "tap"
    assert data["action"]["target"] == {"x": 175, "y": 547}  # 177*1080/1092, 549*2400/2408
    assert data["image"] == [1092, 2408] and data["screen"] == [1080, 2400]


def test_a_chat_completion_message_with_tool_calls_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reply = tmp_path / "reply.json"
    completion = {"choices": [{"index": 0, "message": QWEN_MESSAGE, "finish_reason": "tool_calls"}]}
    size = ["--image", "1092x2408", "--screen", "1080x2400"]
    for body in (QWEN_MESSAGE, completion):
        reply.write_text(json.dumps(body), encoding="utf-8")
        code, out, err = _run(monkeypatch, capsys, "parse", "-d", "qwen2.5-vl", *size, str(reply))
        assert code == 0, err
        data = json.loads(out)
        assert data["action"] == {"type": "tap", "target": {"x": 924, "y": 404}}
        assert data["thought"] == "I will open the app drawer."
    # Without --image, Qwen2.5-VL's own resize rule (28-pixel sides, within
    # models.max_image_pixels) applies to the screen: this point is outside that image.
    code, out, err = _run(monkeypatch, capsys, "parse", "-d", "qwen2.5-vl", str(reply))
    assert code == 1 and "x must be in [0, 672)" in err


def test_without_a_dialect_the_configured_manager_model_decides(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARTEMIS_MODEL", "openai:UI-TARS-1.5-7B")
    code, out, _ = _run(monkeypatch, capsys, "parse", "--image", "1080x2400", stdin=TARS)
    assert code == 0 and json.loads(out)["dialect"] == "ui-tars-1.5"
    monkeypatch.delenv("ARTEMIS_MODEL")
    code, out, _ = _run(
        monkeypatch,
        capsys,
        "parse",
        stdin='{"thought": "t", "action": {"type": "press", "key": "back"}}',
    )
    assert code == 0 and json.loads(out)["dialect"] == "artemis"
    assert json.loads(out)["action"] == {"type": "press", "key": "back"}


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["-d", "ui-tars-1.5"], "Action: hotkey(key='ctrl c')", "has no equivalent"),
        (["-d", "qwen2.5-vl"], "I would tap the button.", "no <tool_call> block"),
        (["-d", "ui-tars-1.5"], "Action: click(start_box='(nan,5)')", "must be"),
        (["-d", "ui-tars-1.5", "--image", "100x100"], "Action: click(start_box='(500,5)')",
         "off the screen"),
        (["-d", "uitars"], "x", "Did you mean 'ui-tars-1.5'?"),
        (["--image", "wide"], "x", "--image wants WIDTHxHEIGHT"),
        (["-d", "artemis"], "", "holds no reply"),
        (["-d", "artemis", "/no/such/file"], None, "cannot read /no/such/file"),
        (["-d", "artemis"], "{" * 100_000, "at most 65,536 are read"),
        (["-d", "artemis"], "{" * 60_000, "no JSON object"),
    ],
)  # fmt: skip
def test_a_reply_it_cannot_read_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str | None,
    message: str,
) -> None:
    code, out, err = _run(monkeypatch, capsys, "parse", *args, stdin=stdin)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_the_dialects_are_listed_and_the_roles_show_theirs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(monkeypatch, capsys, "dialects")
    assert code == 0
    for name in ("artemis", "qwen2.5-vl", "ui-tars-1.5", "mai-ui", "openai-tools"):
        assert name in out
    monkeypatch.setenv("ARTEMIS_MODEL", "openai:GUI-Owl-32B")
    monkeypatch.setenv("ARTEMIS_MODELS__TAC", "heuristic")
    code, out, _ = _run(monkeypatch, capsys, "list")
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 3}
    assert "gui-owl" in rows["manager"] and "pixels" in rows["manager"]
    assert "artemis" in rows["tac"] and "artemis" in rows["sra"]
