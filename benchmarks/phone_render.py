"""How fast the simulated phone draws and dumps its screens, in process (no ADB).

    python benchmarks/phone_render.py [--rounds N]

For each app's first screen it times a fresh screenshot (build, render, PNG), a cached one,
`ui_xml()`, and a tap followed by a screenshot. It also encodes the same frames with Pillow's
PNG writer, side by side, and prints the ratio. A real emulator takes about 300-500 ms per
`screencap -p` and 1-4 s per `uiautomator dump`.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from artemis.png import encode_png
from artemis.sim.apps import APPS
from artemis.sim.phone import Phone


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def measure(phone: Phone, package: str, rounds: int) -> dict[str, float]:
    phone.reset()
    phone.launch(package)

    def fresh() -> None:
        phone._png = None  # forget the cached frame
        phone.screencap_png()

    def tap_then_png() -> None:
        phone.tap(540, 1300)
        phone.screencap_png()
        phone.reset()
        phone.launch(package)

    img = phone.screenshot()
    return {
        "fresh": median_ms(fresh, rounds),
        "cached": median_ms(phone.screencap_png, rounds),
        "xml": median_ms(phone.ui_xml, rounds),
        "tap": median_ms(tap_then_png, rounds),
        "ours": median_ms(lambda: encode_png(img), rounds),
        "pillow": median_ms(lambda: img.save(io.BytesIO(), format="PNG", compress_level=1), rounds),
        "kB": len(phone.screencap_png()) / 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    phone = Phone(seed=0)
    header = f"{'app':<12} {'fresh png':>10} {'cached':>8} {'ui_xml':>8} {'tap+png':>8}"
    header += f" {'our enc':>8} {'Pillow':>8} {'ratio':>6} {'png kB':>7}"
    print(header)
    rows = []
    for app in APPS.values():
        r = measure(phone, app.package, args.rounds)
        rows.append(r)
        print(
            f"{app.label:<12} {r['fresh']:>8.1f}ms {r['cached']:>6.2f}ms {r['xml']:>6.2f}ms"
            f" {r['tap']:>6.1f}ms {r['ours']:>6.1f}ms {r['pillow']:>6.1f}ms"
            f" {r['pillow'] / r['ours']:>5.1f}x {r['kB']:>7.0f}"
        )
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(
        f"median: fresh screenshot {med['fresh']:.1f} ms, cached {med['cached']:.2f} ms,"
        f" ui_xml {med['xml']:.2f} ms; our PNG encoder is {med['pillow'] / med['ours']:.1f}x"
        " Pillow's (compress_level=1)"
    )


if __name__ == "__main__":
    main()
