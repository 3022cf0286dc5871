"""The tip corpus on disk: YAML files of tips, one app per YAML document.

A file holds one or more YAML documents (separated by `---`), each of this shape:

```yaml
app: com.android.settings     # Android package name, or "*" for every app
name: Settings                # optional, for people
tips:
  - text: "Wi-Fi is under Network & internet > Internet; the switch is at the top."
    tags: [wifi, network]      # optional
    task_kinds: [toggle]       # optional
    source: {kind: hand}       # optional; learnt tips: {kind: learnt, episode, step, date}
    status: accepted           # optional; `candidate` for learnt tips not yet accepted
```

File names are free: the `app` key decides, so one app may have several files (the bundled
corpus has `com.android.settings.yaml` and `com.android.settings.aw.yaml`). Loading never
stops at a bad file or a bad tip: each problem becomes a `TipCorpusError` naming the file and
line, and the rest loads. Duplicate tips (same app and text) are loaded once, with a warning;
a package outside the known table is loaded with a warning.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artemis.apps import KNOWN_APPS
from artemis.errors import TipCorpusError
from artemis.tips.base import GENERAL_APP, Tip, TipSource, is_app_key, is_known_app

CORPUS_SUFFIXES = (".yaml", ".yml")
_MARKER = "_general.yaml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1000)
    tags: list[str] = Field(default_factory=list)
    task_kinds: list[str] = Field(default_factory=list)
    source: TipSource = Field(default_factory=TipSource)
    status: Literal["accepted", "candidate"] = "accepted"


@dataclass
class CorpusLoad:
    """What a load produced: the tips, and every problem met on the way."""

    tips: list[Tip] = field(default_factory=list)
    errors: list[TipCorpusError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)  # tip id -> "file:line"

    def extend(self, other: CorpusLoad) -> None:
        for tip in other.tips:
            if tip.id in self.where:
                self.warnings.append(
                    f"{other.where[tip.id]}: duplicate tip, already at {self.where[tip.id]}"
                )
                continue
            self.tips.append(tip)
            self.where[tip.id] = other.where[tip.id]
        self.errors += other.errors
        self.warnings += other.warnings
        self.files += other.files


def corpus_files(path: Path) -> list[Path]:
    """The YAML files a path stands for: itself, or those under a folder, sorted."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in CORPUS_SUFFIXES and p.is_file())
    raise TipCorpusError(f"{path}: no such file or folder")


def fingerprint(files: Iterable[Path]) -> str:
    """A digest of the files' names and contents: it changes when the corpus does."""
    digest = hashlib.sha256()
    for f in sorted(files):
        digest.update(f.name.encode() + b"\0")
        try:
            digest.update(f.read_bytes())
        except OSError as exc:
            digest.update(repr(exc).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def load_corpus(path: Path) -> CorpusLoad:
    """Load every tip under `path` (a YAML file or a folder)."""
    out = CorpusLoad()
    try:
        files = corpus_files(path)
    except TipCorpusError as exc:
        out.errors.append(exc)
        return out
    if not files:
        out.warnings.append(f"{path}: no .yaml files")
    for f in files:
        out.extend(load_file(f))
    return out


def load_file(path: Path) -> CorpusLoad:
    """Load one YAML file; syntax errors lose this file only, bad tips lose that tip only."""
    out = CorpusLoad(files=[path])
    try:
        docs_nodes = _documents(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        out.errors.append(TipCorpusError(f"{path}{line}: malformed YAML: {problem}"))
        return out
    except (OSError, UnicodeDecodeError) as exc:
        out.errors.append(TipCorpusError(f"{path}: cannot read: {exc}"))
        return out
    if not docs_nodes:
        out.warnings.append(f"{path}: empty file")
    for doc, node in docs_nodes:
        out.extend(_load_document(path, doc, node))
    return out


#: libyaml's parser where PyYAML was built with it (six times as fast), else PyYAML's own.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _documents(text: str) -> list[tuple[Any, Any]]:
    """Each non-empty document of `text`, as a value and as the node it was built from (whose
    marks give the lines that errors cite); one parse for both."""
    loader = _LOADER(text)
    try:
        found = []
        while loader.check_node():
            node = loader.get_node()
            doc = loader.construct_document(node)
            if doc is not None:
                found.append((doc, node))
        return found
    finally:
        loader.dispose()


def _line(node: Any, key: str | int | None = None) -> int:
    """1-based line of `node`, or of its child `key` (a mapping key or a sequence index)."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return int(v.start_mark.line) + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return int(node.value[key].start_mark.line) + 1
    return int(node.start_mark.line) + 1


def _child(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return node


def _load_document(path: Path, doc: Any, node: Any) -> CorpusLoad:
    out = CorpusLoad()
    where = f"{path}:{_line(node)}"
    if not isinstance(doc, dict):
        out.errors.append(TipCorpusError(f"{where}: expected a mapping with 'app' and 'tips'"))
        return out
    unknown = sorted(set(doc) - {"app", "name", "tips"})
    if unknown:
        out.errors.append(
            TipCorpusError(f"{where}: unknown keys {unknown}; expected app, name, tips")
        )
        return out
    app = doc.get("app")
    app_where = f"{path}:{_line(node, 'app')}"
    if not isinstance(app, str) or not is_app_key(app):
        out.errors.append(
            TipCorpusError(
                f"{app_where}: 'app' must be an Android package name (like com.android.settings)"
                f' or "*" for every app, not {app!r}'
            )
        )
        return out
    if not is_known_app(app):
        out.warnings.append(f"{app_where}: app {app} is not one artemis knows; loaded anyway")
    tips = doc.get("tips")
    tips_node = _child(node, "tips")
    if tips is None:
        out.warnings.append(f"{where}: no tips for {app}")
        return out
    if not isinstance(tips, list):
        out.errors.append(
            TipCorpusError(f"{path}:{_line(node, 'tips')}: 'tips' must be a list of tips")
        )
        return out
    for i, raw in enumerate(tips):
        line = f"{path}:{_line(tips_node, i)}"
        if isinstance(raw, str):
            raw = {"text": raw}
        try:
            entry = _Entry.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'tip'}: {e['msg']}" for e in exc.errors()
            )
            out.errors.append(TipCorpusError(f"{line}: bad tip: {problems}"))
            continue
        tip = Tip(
            app=app,
            text=" ".join(entry.text.split()),
            tags=tuple(entry.tags),
            task_kinds=tuple(entry.task_kinds),
            source=entry.source,
            status=entry.status,
        ).with_id()
        if tip.id in out.where:
            out.warnings.append(f"{line}: duplicate tip, already at {out.where[tip.id]}")
            continue
        out.tips.append(tip)
        out.where[tip.id] = line
    return out


def dump_corpus(tips: Iterable[Tip]) -> str:
    """Tips as YAML in the corpus format: one document per app, apps sorted, '*' first."""
    by_app: dict[str, list[Tip]] = {}
    for tip in tips:
        by_app.setdefault(tip.app, []).append(tip)
    docs: list[dict[str, Any]] = []
    for app in sorted(by_app, key=lambda a: (a != GENERAL_APP, a)):
        doc: dict[str, Any] = {"app": app}
        name = "All apps" if app == GENERAL_APP else KNOWN_APPS.get(app)
        if name:
            doc["name"] = name
        doc["tips"] = [_entry(t) for t in by_app[app]]
        docs.append(doc)
    return yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True, width=100)


def _entry(tip: Tip) -> dict[str, Any]:
    entry: dict[str, Any] = {"text": tip.text}
    if tip.tags:
        entry["tags"] = list(tip.tags)
    if tip.task_kinds:
        entry["task_kinds"] = list(tip.task_kinds)
    if tip.source != TipSource():
        entry["source"] = tip.source.model_dump(mode="json", exclude_none=True)
    if tip.status != "accepted":
        entry["status"] = tip.status
    return entry


def bundled_corpus_dir() -> Path | None:
    """The corpus that ships with artemis: `tips/` of a source checkout (or editable install),
    else the copy a wheel installs under `<prefix>/share/artemis/tips`."""
    checkout = Path(__file__).resolve().parents[2] / "tips"
    if (checkout / _MARKER).is_file():
        return checkout
    try:
        for f in importlib.metadata.files("artemis") or ():
            if f.name == _MARKER and f.parent.as_posix().endswith("share/artemis/tips"):
                return Path(str(f.locate())).resolve().parent
    except importlib.metadata.PackageNotFoundError:
        pass
    installed = Path(sysconfig.get_path("data")) / "share" / "artemis" / "tips"
    if (installed / _MARKER).is_file():
        return installed
    return None
