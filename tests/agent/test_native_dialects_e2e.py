"""`artemis run --device sim "Turn on Wi-Fi"` with a Manager served over HTTP that answers only
in its family's native format: UI-TARS-1.5 `Action: click(...)` text, or Qwen2.5-VL
`mobile_use` tool calls (as text, and as the tool calls a server's Hermes parser returns).
The other roles are the offline heuristic. The server answers as a model would: from the
screen (read here from the simulated phone), in pixels of the image it received."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from artemis.agent.trajectory import read_trajectory
from artemis.cli import main
from artemis.device import connect
from artemis.device.uiautomator import parse_ui_xml
from artemis.models.fake_replies import Reply
from artemis.models.fake_server import ChatRequest, FakeChatServer
from artemis.sim.phone import Phone

pytestmark = pytest.mark.real_model  # the real openai client, against a loopback server


def _capture_phones(monkeypatch: pytest.MonkeyPatch) -> list[Phone]:
    """The simulated phones `artemis run --device sim` makes, as they are made."""
    phones: list[Phone] = []

    def new_phone(seed: int) -> Phone:
        phones.append(Phone(seed=seed))
        return phones[-1]

    monkeypatch.setattr(connect, "new_sim_phone", new_phone)
    return phones


def _next_move(phone: Phone) -> tuple[str, tuple[int, int] | None]:
    """What a model would do on the phone's screen: (thought, centre of the element to tap),
    or a point of None when the task is done."""
    if phone.state.settings.wifi:
        return ("Wi-Fi is on: the task is done.", None)
    ui = parse_ui_xml(phone.ui_xml())
    wifi = next((e for e in ui if e.text == "Wi-Fi"), None)
    switches = [e for e in ui if e.checkable]
    if wifi is not None and switches:  # the switch on the Wi-Fi row
        row = min(switches, key=lambda e: abs(e.bounds.center[1] - wifi.bounds.center[1]))
        return ('Tap the "Wi-Fi" switch to turn it on.', row.bounds.center)
    for label in ("Internet", "Network & internet", "Settings"):
        e = next((e for e in ui if e.text == label and e.clickable), None)
        if e is None:
            e = next((e for e in ui if e.text == label), None)
        if e is not None:
            return (f'Tap "{label}".', e.bounds.center)
    raise AssertionError("no way on from this screen")


def _in_image(point: tuple[int, int], request: ChatRequest, phone: Phone) -> tuple[int, int]:
    (w, h) = request.image_sizes()[-1]
    return round(point[0] * w / phone.width), round(point[1] * h / phone.height)


def ui_tars(phones: list[Phone]) -> Callable[[ChatRequest], str]:
    def handle(request: ChatRequest) -> str:
        assert "## Action Space" in request.text  # UI-TARS's own prompt
        thought, point = _next_move(phones[-1])
        if point is None:
            return f"Thought: {thought}\nAction: finished(content='')"
        x, y = _in_image(point, request, phones[-1])
        return f"Thought: {thought}\nAction: click(point='<point>{x} {y}</point>')"

    return handle


def qwen(phones: list[Phone]) -> Callable[[ChatRequest], str]:
    def handle(request: ChatRequest) -> str:
        assert "<tools>" in request.text and '"mobile_use"' in request.text  # Qwen's tool block
        thought, point = _next_move(phones[-1])
        if point is None:
            call = {"name": "mobile_use", "arguments": {"action": "terminate", "status": "success"}}
        else:
            x, y = _in_image(point, request, phones[-1])
            call = {"name": "mobile_use", "arguments": {"action": "click", "coordinate": [x, y]}}
        return f"{thought}\n<tool_call>\n{json.dumps(call)}\n</tool_call>"

    return handle


def as_tool_calls(then: Callable[[ChatRequest], str]) -> Callable[[ChatRequest], Reply]:
    """A server with a Hermes tool parser on: the `<tool_call>` blocks of the text come
    back as the message's `tool_calls`, the text before them as its content."""

    def handle(request: ChatRequest) -> Reply:
        text = then(request)
        before, _, rest = text.partition("<tool_call>")
        call = json.loads(rest.split("</tool_call>", 1)[0])
        return Reply(content=before.strip() or None, tool_calls=[call], finish_reason="tool_calls")

    return handle


@pytest.mark.parametrize(
    ("model", "make", "dialect"),
    [
        ("UI-TARS-1.5-7B", ui_tars, "ui-tars-1.5"),
        ("Qwen2.5-VL-7B-Instruct", qwen, "qwen2.5-vl"),
        ("Qwen2.5-VL-7B-Instruct", lambda p: as_tool_calls(qwen(p)), "qwen2.5-vl"),
    ],
    ids=["ui-tars-1.5-text", "qwen2.5-vl-text", "qwen2.5-vl-tool-calls"],
)
def test_run_turns_on_wifi_with_a_manager_that_speaks_only_its_native_format(
    model: str,
    make: Callable[[list[Phone]], Callable[[ChatRequest], object]],
    dialect: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    phones = _capture_phones(monkeypatch)
    with FakeChatServer(make(phones)) as server:  # type: ignore[arg-type]
        monkeypatch.setenv("ARTEMIS_MODELS__MANAGER", f"openai:{model}")
        monkeypatch.setenv("ARTEMIS_MODELS__BASE_URL", server.base_url)
        monkeypatch.setenv("ARTEMIS_MODELS__API_KEY", "sk-local")
        monkeypatch.setattr(
            sys,
            "argv",
            ["artemis", "run", "--device", "sim", "-m", "heuristic", "-o", str(tmp_path),
             "Turn on Wi-Fi"],
        )  # fmt: skip
        with pytest.raises(SystemExit) as exit_:
            main()
        requests = list(server.chat_requests)
    out = capsys.readouterr()
    assert exit_.value.code in (0, None), out.out + out.err
    assert phones and phones[-1].state.settings.wifi is True
    assert len(requests) >= 4  # Settings, Network & internet, Internet, the switch (, done)
    # The Manager's image was sized by the family's rule: sides a multiple of 28.
    assert all(w % 28 == 0 and h % 28 == 0 for r in requests for w, h in r.image_sizes())
    (episode,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    _, steps = read_trajectory(episode)
    natives = [s["native"] for s in steps if s.get("native")]
    assert natives and all(n["dialect"] == dialect for n in natives)
    assert steps[-1]["action"]["type"] == "finish"
