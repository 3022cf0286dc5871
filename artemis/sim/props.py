"""System properties and the `settings` provider of the simulated phone (a Pixel 6, Android 13).

Typed settings (Wi-Fi, Bluetooth, airplane mode, brightness, screen timeout, dark theme) are
read and written through `SettingsState`, so `settings get`, `settings put`, `svc wifi` and the
Settings app always agree. Other keys are kept as strings per namespace.
"""

from __future__ import annotations

from artemis.sim.state import SettingsState

NAMESPACES = ("system", "secure", "global")


def build_props(seed: int) -> dict[str, str]:
    serial = f"{(seed * 2654435761) & 0xFFFFFFFF:08X}SIM"
    return {
        "ro.product.model": "Pixel 6",
        "ro.product.name": "oriole",
        "ro.product.device": "oriole",
        "ro.product.brand": "google",
        "ro.product.manufacturer": "Google",
        "ro.product.cpu.abi": "arm64-v8a",
        "ro.build.version.release": "13",
        "ro.build.version.sdk": "33",
        "ro.build.version.security_patch": "2023-09-05",
        "ro.build.id": "TQ3A.230901.001",
        "ro.build.display.id": "TQ3A.230901.001",
        "ro.build.type": "user",
        "ro.build.tags": "release-keys",
        "ro.build.fingerprint": (
            "google/oriole/oriole:13/TQ3A.230901.001/10750268:user/release-keys"
        ),
        "ro.serialno": serial,
        "ro.sf.lcd_density": "420",
        "ro.hardware": "oriole",
        "ro.debuggable": "0",
        "ro.secure": "1",
        "sys.boot_completed": "1",
        "dev.bootcomplete": "1",
        "init.svc.adbd": "running",
        "persist.sys.timezone": "America/Los_Angeles",
        "persist.sys.locale": "en-US",
        "gsm.sim.operator.alpha": "T-Mobile",
        "net.bt.name": "Android",
    }


def _bool(value: str) -> bool:
    return value.strip() not in ("0", "", "false", "False")


def _int(value: str, default: int) -> int:
    try:
        return int(float(value.strip()))
    except ValueError:
        return default


def settings_get(s: SettingsState, namespace: str, key: str) -> str | None:
    """The value `settings get NAMESPACE KEY` prints (None prints as `null`).

    Raises ValueError for a namespace other than system, secure or global.
    """
    if namespace not in NAMESPACES:
        raise ValueError(f"Invalid namespace: {namespace}")
    typed: dict[tuple[str, str], str] = {
        ("global", "wifi_on"): "1" if s.wifi else "0",
        ("global", "bluetooth_on"): "1" if s.bluetooth else "0",
        ("global", "airplane_mode_on"): "1" if s.airplane_mode else "0",
        ("global", "device_name"): s.device_name,
        ("system", "screen_brightness"): str(s.brightness),
        ("system", "screen_brightness_mode"): "1" if s.adaptive_brightness else "0",
        ("system", "screen_off_timeout"): str(s.screen_timeout_ms),
        ("secure", "ui_night_mode"): "2" if s.dark_theme else "1",
    }
    if (namespace, key) in typed:
        return typed[(namespace, key)]
    return s.extra.get(namespace, {}).get(key)


def settings_put(s: SettingsState, namespace: str, key: str, value: str) -> None:
    """`settings put NAMESPACE KEY VALUE`. Raises ValueError for an unknown namespace."""
    if namespace not in NAMESPACES:
        raise ValueError(f"Invalid namespace: {namespace}")
    if (namespace, key) == ("global", "wifi_on"):
        s.wifi = _bool(value)
    elif (namespace, key) == ("global", "bluetooth_on"):
        s.bluetooth = _bool(value)
    elif (namespace, key) == ("global", "airplane_mode_on"):
        set_airplane(s, _bool(value))
    elif (namespace, key) == ("global", "device_name"):
        s.device_name = value
    elif (namespace, key) == ("system", "screen_brightness"):
        s.brightness = max(0, min(255, _int(value, s.brightness)))
    elif (namespace, key) == ("system", "screen_brightness_mode"):
        s.adaptive_brightness = _bool(value)
    elif (namespace, key) == ("system", "screen_off_timeout"):
        s.screen_timeout_ms = max(0, _int(value, s.screen_timeout_ms))
    elif (namespace, key) == ("secure", "ui_night_mode"):
        s.dark_theme = value.strip() == "2"
    else:
        s.extra.setdefault(namespace, {})[key] = value


def set_airplane(s: SettingsState, on: bool) -> None:
    """Airplane mode turns the radios off and, when it ends, back on as they were."""
    if on == s.airplane_mode:
        return
    if on:
        s.radios_before_airplane = [
            r for r, enabled in (("wifi", s.wifi), ("bluetooth", s.bluetooth)) if enabled
        ]
        s.wifi = False
        s.bluetooth = False
        s.airplane_mode = True
    else:
        s.airplane_mode = False
        s.wifi = s.wifi or "wifi" in s.radios_before_airplane
        s.bluetooth = s.bluetooth or "bluetooth" in s.radios_before_airplane
        s.radios_before_airplane = []


def default_extra(seed: int) -> dict[str, dict[str, str]]:
    android_id = f"{(seed * 0x9E3779B97F4A7C15 + 0x1234567) & 0xFFFFFFFFFFFFFFFF:016x}"
    return {
        "system": {"font_scale": "1.0", "time_12_24": "12", "haptic_feedback_enabled": "1"},
        "secure": {
            "android_id": android_id,
            "default_input_method": "com.android.inputmethod.latin/.LatinIME",
            "enabled_input_methods": "com.android.inputmethod.latin/.LatinIME",
            "location_mode": "3",
            "user_setup_complete": "1",
        },
        "global": {
            "adb_enabled": "1",
            "auto_time": "1",
            "auto_time_zone": "1",
            "development_settings_enabled": "1",
            "stay_on_while_plugged_in": "0",
            "window_animation_scale": "1.0",
            "transition_animation_scale": "1.0",
            "animator_duration_scale": "1.0",
            "mobile_data": "1",
            "data_roaming": "0",
        },
    }
