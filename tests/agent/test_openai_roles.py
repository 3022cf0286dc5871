"""The roles through the real `openai:` backend against the local chat-completions service (in
memory), on the simulated phone: prompts, images, structured output and coordinates fit
together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from artemis.agent import run_episode
from artemis.agent.trajectory import read_trajectory
from artemis.config import Settings
from artemis.device.connect import open_device
from artemis.models.fake_server import ChatRequest, FakeChatServer
from artemis.models.fake_transport import openai_specs_served_by
from artemis.models.roles import build_role_models
from artemis.sim.phone import Phone
from tests.agent.fakes import FakeClock


async def _no_wait(seconds: float) -> None:
    return None


async def test_an_episode_through_the_openai_backend_converts_points_from_the_sent_image(
    tmp_path: Path,
) -> None:
    sent: list[tuple[int, int]] = []
    manager_calls = 0

    def handle(request: ChatRequest) -> dict[str, Any]:
        nonlocal manager_calls
        text = request.text
        if text.startswith("You check a phone agent"):
            return {"consistent": True, "reason": "the marker is on the Settings icon"}
        if text.startswith("You reflect"):
            return {"success": True, "analysis": "Settings opened", "guidance": ""}
        manager_calls += 1
        ((w, h),) = request.image_sizes()
        sent.append((w, h))
        if manager_calls == 1:
            # the launcher's Settings icon, in the pixels of the image the model was sent
            x, y = settings_icon
            point = {"x": round(x * w / 1080), "y": round(y * h / 2400)}
            return {"thought": 'Tap "Settings"', "action": {"type": "tap", "target": point}}
        return {"thought": "Settings is open.", "action": {"type": "finish", "status": "success"}}

    phone = Phone(seed=0)
    icon = phone.find("Settings")
    assert icon is not None
    x1, y1, x2, y2 = icon.bounds
    settings_icon = ((x1 + x2) // 2, (y1 + y2) // 2)
    with openai_specs_served_by(FakeChatServer(handle)):
        settings = Settings.model_validate(
            {
                "model": "openai:qwen2.5-vl-7b-instruct",
                "data_dir": tmp_path / "data",
                "models": {
                    "base_url": "http://chat.test/v1",
                    "api_key": "sk",
                    "max_retries": 0,
                    "dialect": "artemis",
                },
                "agent": {"tac_skip_when_confident": False},
            }
        )
        roles = build_role_models(settings)
        clock = FakeClock()
        async with open_device(settings, "sim", phone=phone, sleep=_no_wait) as device:
            result = await run_episode(
                "Open Settings",
                device,
                roles,
                None,
                settings,
                tmp_path / "runs",
                clock=clock,
                sleep=clock.sleep,
            )
        await roles.aclose()
    assert result.success, result.reason
    assert phone.foreground()[0] == "com.android.settings"
    assert sent[0] != (1080, 2400) and sent[0][0] % 28 == 0  # resized to Qwen's patch grid
    _, steps = read_trajectory(result.path)
    tapped = steps[0]["executed"]["target"]
    assert abs(tapped["x"] - settings_icon[0]) <= 1080 / sent[0][0] + 1
    assert abs(tapped["y"] - settings_icon[1]) <= 2400 / sent[0][1] + 1
    assert result.usage["by_role"]["manager"]["calls"] == 2
    assert steps[0]["tac"]["decided_by"] == "model"
