"""The agent's view of the device's screen across steps (`Screens`): a screen observed afresh
or the settled one kept from the last step, the fingerprint of the last screen seen (so that
settling after an action knows what the screen looked like before it), and whether the last
screens settled at their first poll (so that the next one is observed beside that poll:
`artemis.agent.settle`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from artemis.agent.settle import Polled, Settled, Signalled, wait_for_settle, within
from artemis.config import DeviceSettings
from artemis.device.base import Device
from artemis.observation import Observation


class Screens:
    def __init__(
        self,
        device: Device,
        settings: DeviceSettings,
        *,
        on_screen: Callable[[Observation], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.device = device
        self.settings = settings
        #: Called with each screen settling observes, as soon as it arrives.
        self.on_screen = on_screen
        self.clock = clock
        self.sleep = sleep
        #: The settled screen after the last action, reused as the next step's observation.
        self.fresh: Observation | None = None
        #: A screen and its fingerprint, when the device has one.
        self._signal: tuple[Observation, str] | None = None
        #: Observe beside the first settling poll: the last screen was final at its first.
        self._observe_first = True

    @property
    def _observe_timeout_s(self) -> float:
        return self.settings.command_timeout_s + self.settings.uidump_timeout_s

    @property
    def _by_signal(self) -> bool:
        return self.settings.settle_signal != "observe"

    async def observe(self) -> Observation:
        """The kept screen, else the device's screen now (and its fingerprint)."""
        if self.fresh is not None:
            obs, self.fresh = self.fresh, None
            return obs
        timeout = self._observe_timeout_s
        if not (self._by_signal and isinstance(self.device, Signalled)):
            return await within(timeout, self.device.observe(), "return a screen")
        # The fingerprint of the screen before the next action, for settling after it; the
        # observation reuses what it read, where the device can (`Polled`).
        signal = await within(timeout, self.device.screen_signal(), "return a screen")
        device = self.device
        call = device.observe_polled(signal) if isinstance(device, Polled) else device.observe()
        obs = await within(timeout, call, "return a screen")
        self._signal = (obs, signal)
        return obs

    async def settle(self, before: Observation | None = None) -> Settled:
        """The screen once it has settled after an action (`wait_for_settle`)."""
        d = self.settings
        known = self._signal
        settled = await wait_for_settle(
            self.device,
            before=before,
            before_signal=known[1] if known is not None and known[0] is before else None,
            use_signal=self._by_signal,
            observe_first=self._observe_first,
            on_screen=self.on_screen,
            timeout_s=d.settle_timeout_s,
            interval_s=d.settle_interval_s,
            observe_timeout_s=self._observe_timeout_s,
            clock=self.clock,
            sleep=self.sleep,
        )
        if settled.signal is not None:
            self._signal = (settled.observation, settled.signal)
        self._observe_first = settled.final_at_first
        return settled
