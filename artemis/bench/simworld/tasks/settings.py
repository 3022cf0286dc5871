"""Settings tasks: switches a few screens deep, a radio list, Wi-Fi networks, a question."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import ClassVar, Literal

from artemis.bench.simworld.ops import Find, Launch, Op, Remember, Reply, tap
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask, same_text
from artemis.bench.simworld.tasks.common import SETTINGS, pick
from artemis.sim import props
from artemis.sim.apps.settings import NETWORKS, timeout_label
from artemis.sim.phone import Phone
from artemis.sim.state import SCREEN_TIMEOUTS_MS


class OnOff(Params):
    state: Literal["on", "off"]

    @property
    def on(self) -> bool:
        return self.state == "on"


def _open(*rows: str) -> list[Op]:
    return [Launch("Settings"), *(tap(r) for r in rows)]


class SwitchTask(SimTask[OnOff]):
    """Turn one of Settings' switches on or off; the set-up turns it the other way first."""

    apps = (SETTINGS,)
    params_type = OnOff
    #: The `SettingsState` field the switch sets.
    setting: ClassVar[str]
    #: The rows to tap from the first screen of Settings, the switch last.
    rows: ClassVar[tuple[str, ...]]
    #: A radio that airplane mode turns off: the set-up turns airplane mode off first.
    radio: ClassVar[bool] = False

    @classmethod
    def random_params(cls, rng: random.Random) -> OnOff:
        return OnOff(state=pick(rng, ("on", "off")))

    def setup(self, phone: Phone) -> None:
        s = phone.state.settings
        if self.radio:
            props.set_airplane(s, False)
        setattr(s, self.setting, not self.params.on)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return bool(getattr(phone.state.settings, self.setting) == self.params.on)

    def solution(self) -> Sequence[Op]:
        return _open(*self.rows)


@template
class SettingsWifi(SwitchTask):
    template = "Turn Wi-Fi {state}."
    kinds = ("toggle", "navigation")
    setting = "wifi"
    rows = ("Network & internet", "Internet", "Wi-Fi")
    radio = True


@template
class SettingsBluetooth(SwitchTask):
    template = "Turn Bluetooth {state}."
    kinds = ("toggle", "navigation")
    complexity = 1.2
    setting = "bluetooth"
    rows = ("Connected devices", "Connection preferences", "Bluetooth", "Use Bluetooth")
    radio = True


@template
class SettingsAirplaneMode(SwitchTask):
    template = "Turn airplane mode {state}."
    kinds = ("toggle",)
    setting = "airplane_mode"
    rows = ("Network & internet", "Airplane mode")

    def setup(self, phone: Phone) -> None:
        props.set_airplane(phone.state.settings, not self.params.on)


@template
class SettingsDarkTheme(SwitchTask):
    template = "Turn the dark theme {state}."
    kinds = ("toggle", "navigation")
    setting = "dark_theme"
    rows = ("Display", "Dark theme")


@template
class SettingsAdaptiveBrightness(SwitchTask):
    template = "Turn adaptive brightness {state}."
    kinds = ("toggle", "navigation")
    setting = "adaptive_brightness"
    rows = ("Display", "Adaptive brightness")


class Timeout(Params):
    label: str

    @property
    def ms(self) -> int:
        return next(ms for ms in SCREEN_TIMEOUTS_MS if timeout_label(ms) == self.label)


@template
class SettingsScreenTimeout(SimTask[Timeout]):
    template = "Set the screen timeout to {label}."
    apps = (SETTINGS,)
    kinds = ("navigation",)
    complexity = 1.2
    params_type = Timeout

    @classmethod
    def random_params(cls, rng: random.Random) -> Timeout:
        return Timeout(label=timeout_label(pick(rng, SCREEN_TIMEOUTS_MS)))

    def setup(self, phone: Phone) -> None:
        others = [ms for ms in SCREEN_TIMEOUTS_MS if ms != self.params.ms]
        phone.state.settings.screen_timeout_ms = others[len(self.params.label) % len(others)]

    def check(self, phone: Phone, answer: str | None) -> bool:
        return phone.state.settings.screen_timeout_ms == self.params.ms

    def solution(self) -> Sequence[Op]:
        return _open("Display", "Screen timeout", self.params.label)


class Network(Params):
    network: str


@template
class SettingsJoinNetwork(SimTask[Network]):
    template = 'Connect to the Wi-Fi network "{network}".'
    apps = (SETTINGS,)
    kinds = ("navigation", "search")
    complexity = 1.2
    params_type = Network

    @classmethod
    def random_params(cls, rng: random.Random) -> Network:
        return Network(network=pick(rng, NETWORKS[1:]))

    def setup(self, phone: Phone) -> None:
        s = phone.state.settings
        props.set_airplane(s, False)
        s.wifi = True
        s.wifi_network = NETWORKS[0]

    def check(self, phone: Phone, answer: str | None) -> bool:
        s = phone.state.settings
        return s.wifi and s.wifi_network == self.params.network

    def solution(self) -> Sequence[Op]:
        return _open("Network & internet", "Internet", self.params.network)


class NoParams(Params):
    pass


@template
class SettingsAndroidVersion(SimTask[NoParams]):
    template = "Which Android version does this phone run? Answer with the version number."
    apps = (SETTINGS,)
    kinds = ("question", "navigation")
    traps = ("below_fold",)
    params_type = NoParams

    @classmethod
    def random_params(cls, rng: random.Random) -> NoParams:
        return NoParams()

    def setup(self, phone: Phone) -> None:
        pass

    def check(self, phone: Phone, answer: str | None) -> bool:
        return same_text(answer, phone.getprop("ro.build.version.release") or "")

    def solution(self) -> Sequence[Op]:
        return [
            *_open("About phone"),
            Remember(Find(rid="summary", under=Find(text="Android version")), key="version"),
            Reply(lambda m: m["version"]),
        ]
