"""Does snapping a predicted tap onto matching OCR text help? Measured on the real
ScreenSpot-v2 screenshots in shared/ (needs the `ocr` extra).

Two kinds of imperfect grounder, both scripted and seeded:

- *jitter*: the true box centre plus Gaussian noise of sigma = 2%, 5% and 10% of the image's
  shorter side (a grounder that finds the right place, roughly);
- *confused*: the centre of another sample's box on the same screenshot (a grounder that picks
  the wrong element).

For each, accuracy before and after `snap_to_text`, for text and icon samples, with and
without a distance limit. Also the OCR baseline alone (no grounder), for reference.

    python benchmarks/screenspot_snap.py [--draws 50]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

from artemis.bench.screenspot.data import Sample, find_image, load_dataset
from artemis.ocr import TextBox, best_match, load_engine, snap_to_text

REPO = Path(__file__).resolve().parent.parent
CANDIDATES = [
    b / "shared" / "data" / "screenspot" / "v2" for b in (REPO.parent, REPO.parent.parent)
]

Point = tuple[float, float]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, default=50, help="noisy points per sample")
    args = ap.parse_args()
    root = next((c for c in CANDIDATES if (c / "annotations").is_dir()), None)
    if root is None:
        sys.exit("shared/data/screenspot/v2 is not beside this checkout")
    ds = load_dataset("screenspot-v2", root / "annotations")
    engine = load_engine()
    found = [(s, find_image(root / "images", s)) for s in ds.samples]
    samples = [(s, p) for s, p in found if p is not None]
    ocr: dict[Path, list[TextBox]] = {}
    sizes: dict[Path, tuple[int, int]] = {}
    for _, path in samples:
        if path not in ocr:
            from PIL import Image

            ocr[path] = engine.read(path.read_bytes())
            with Image.open(path) as img:
                sizes[path] = img.size
    print(f"{len(samples)} samples on {len(ocr)} real screenshots; OCR: {engine.name}\n")

    baseline = {
        s.id: (m is not None and s.box.contains(*m.point))
        for s, p in samples
        for m in [best_match(s.instruction, ocr[p])]
    }
    print("OCR baseline alone: " + _split(samples, lambda s: [baseline[s.id]]) + "\n")

    policies: list[tuple[str, float | None]] = [("snap anywhere", None), ("snap <= 15%", 0.15)]
    header = f"{'grounder':26}{'':8}{'before':>16}" + "".join(f"{n:>20}" for n, _ in policies)
    print("after snapping: accuracy, +points fixed / -points broken")
    print(header)
    print("-" * len(header))
    for sigma in (0.02, 0.05, 0.10):
        rng = random.Random(int(sigma * 1000))

        def jitter(s: Sample, p: Path, rng: random.Random = rng, sigma: float = sigma) -> Point:
            w, h = sizes[p]
            sd = sigma * min(w, h)
            cx, cy = s.box.centre
            return (cx + rng.gauss(0, sd), cy + rng.gauss(0, sd))

        draws = {s.id: [jitter(s, p) for _ in range(args.draws)] for s, p in samples}
        _row(f"jitter {sigma:.0%}", samples, draws, ocr, sizes, policies)
    confused = {
        s.id: [o.box.centre for o, q in samples if q == p and o.id != s.id] for s, p in samples
    }
    _row("confused (other element)", samples, confused, ocr, sizes, policies)


def _row(
    name: str,
    samples: list[tuple[Sample, Path]],
    draws: dict[str, list[Point]],
    ocr: dict[Path, list[TextBox]],
    sizes: dict[Path, tuple[int, int]],
    policies: list[tuple[str, float | None]],
) -> None:
    for ui in ("text", "icon"):
        subset = [(s, p) for s, p in samples if s.ui_type == ui]
        before = [s.box.contains(*pt) for s, _ in subset for pt in draws[s.id]]
        cells = [_pct(before)]
        for _, limit in policies:
            after = []
            for s, p in subset:
                w, h = sizes[p]
                max_d = None if limit is None else limit * max(w, h)
                for pt in draws[s.id]:
                    r = snap_to_text(pt, s.instruction, ocr[p], max_distance=max_d)
                    after.append(s.box.contains(*r.point))
            fixed = sum(a and not b for a, b in zip(after, before, strict=True))
            broken = sum(b and not a for a, b in zip(after, before, strict=True))
            cells.append(f"{_pct(after, n=False)} +{fixed}/-{broken}")
        print(f"{name if ui == 'text' else '':26}{ui:8}" + "".join(f"{c:>16}" for c in cells[:1])
              + "".join(f"{c:>20}" for c in cells[1:]))  # fmt: skip


def _pct(hits: list[bool], n: bool = True) -> str:
    if not hits:
        return "-"
    return f"{100 * sum(hits) / len(hits):5.1f}%" + (f" (n={len(hits)})" if n else "")


def _split(samples: list[tuple[Sample, Path]], ok: Callable[[Sample], list[bool]]) -> str:
    parts = []
    for ui in ("text", "icon"):
        hits = [h for s, _ in samples if s.ui_type == ui for h in ok(s)]
        parts.append(f"{ui} {sum(hits)}/{len(hits)}")
    total = [h for s, _ in samples for h in ok(s)]
    return ", ".join(parts) + f", all {sum(total)}/{len(total)}"


if __name__ == "__main__":
    main()
