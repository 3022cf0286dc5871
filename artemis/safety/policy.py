"""The written safety policy: loaded from `policy.yaml` (shipped beside this module), extended by
the user's files (`safety.policy`), a preset (`safety.preset`) and verdicts in the settings
(`safety.verdicts`).

A `Policy` answers two kinds of question: for the rule stage, a category's verdict and clause
when the task asks for its effect or not (`verdict`), and a named special case's clause
(`rule_clause`); for the guard model, the whole policy as numbered text (`text`).

An extension file has the shape of the shipped one. A category with a known `id` is changed:
the fields it gives replace the old ones, its signal lists are added to the old lists, and its
clauses replace the clauses with the same `id` or are added. A new category needs a `title`,
`asked` and `unasked`; it is numbered after the last one unless it gives a `number`.
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeAlias

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artemis.config import CategoryVerdicts, SafetySettings
from artemis.errors import ConfigError
from artemis.safety.text import PhraseSet, compile_patterns

Verdict: TypeAlias = Literal["allow", "confirm", "block"]
OnConfirm: TypeAlias = Literal["deny", "allow"]

#: Verdicts from the least to the most strict.
STRICTNESS: dict[Verdict, int] = {"allow": 0, "confirm": 1, "block": 2}


def strictest(*verdicts: Verdict) -> Verdict:
    return max(verdicts, key=STRICTNESS.__getitem__)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Clause(_Model):
    id: str
    text: str
    #: The case the rule stage applies it to: `asked`, `unasked`, or a special case.
    rule: str | None = None
    #: A special case's own verdict; the `asked` and `unasked` clauses take the category's.
    verdict: Verdict | None = None
    patterns: list[str] = Field(default_factory=list)
    task_patterns: list[str] = Field(default_factory=list)


class Signals(_Model):
    target: list[str] = Field(default_factory=list)
    weak_target: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    task: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class Category(_Model):
    id: str
    number: int
    title: str
    covers: str = ""
    asked: Verdict
    unasked: Verdict
    clauses: list[Clause] = Field(default_factory=list)
    signals: Signals = Field(default_factory=Signals)


class Principle(_Model):
    id: str
    text: str


class Preset(_Model):
    on_confirm: OnConfirm = "deny"
    verdicts: dict[str, CategoryVerdicts] = Field(default_factory=dict)


class PolicyFile(_Model):
    """One file's content; an extension gives only what it changes."""

    name: str | None = None
    version: int | None = None
    principles: list[Principle] = Field(default_factory=list)
    categories: list[dict[str, Any]] = Field(default_factory=list)
    presets: dict[str, Preset] = Field(default_factory=dict)


@dataclass(frozen=True)
class Matchers:
    """A category's signals, compiled once."""

    target: PhraseSet
    weak_target: PhraseSet
    context: PhraseSet
    task: PhraseSet
    patterns: tuple[re.Pattern[str], ...]
    clause_patterns: dict[str, tuple[re.Pattern[str], ...]]
    clause_task_patterns: dict[str, tuple[re.Pattern[str], ...]]


@dataclass(frozen=True)
class Ruling:
    """A verdict with the clause it comes from."""

    verdict: Verdict
    clause: str
    category: str


class Policy:
    """The effective policy: categories in order, principles, and the confirmation default."""

    def __init__(
        self,
        name: str,
        principles: list[Principle],
        categories: list[Category],
        *,
        preset: str = "default",
        on_confirm: OnConfirm = "deny",
        sources: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.principles = principles
        self.categories = {c.id: c for c in sorted(categories, key=lambda c: c.number)}
        self.preset = preset
        self.on_confirm = on_confirm
        self.sources = sources
        self.matchers = {c.id: _compile(c, sources) for c in self.categories.values()}

    def category(self, category_id: str) -> Category:
        try:
            return self.categories[category_id]
        except KeyError:
            raise ConfigError(_unknown("category", category_id, self.categories)) from None

    def verdict(self, category_id: str, asked: bool) -> Ruling:
        """The category's verdict and clause when the task asks for its effect, or not."""
        c = self.category(category_id)
        rule = "asked" if asked else "unasked"
        clause = next((x for x in c.clauses if x.rule == rule), None)
        return Ruling(c.asked if asked else c.unasked, clause.id if clause else str(c.number), c.id)

    def rule_clause(self, category_id: str, rule: str) -> Ruling | None:
        """The clause of a special case (`credentials`, `overlay`, ...), or None when this
        policy has none; its verdict is its own, else the category's `unasked` one."""
        c = self.categories.get(category_id)
        if c is None:
            return None
        clause = next((x for x in c.clauses if x.rule == rule), None)
        if clause is None:
            return None
        return Ruling(clause.verdict or c.unasked, clause.id, c.id)

    def clause(self, clause_id: str) -> tuple[Category, Clause] | None:
        for c in self.categories.values():
            for x in c.clauses:
                if x.id == clause_id:
                    return c, x
        return None

    @cached_property
    def clause_ids(self) -> frozenset[str]:
        ids = {x.id for c in self.categories.values() for x in c.clauses}
        return frozenset(ids | {p.id for p in self.principles})

    def text(self) -> str:
        """The policy as numbered text for a model: principles, then each category with its
        verdicts and clauses (the verdict each clause gives, after every override)."""
        lines = [f"Safety policy ({self.name}).", "", "Principles:"]
        lines += [f"{p.id} {p.text}" for p in self.principles]
        for c in self.categories.values():
            asked, unasked = self.verdict(c.id, True), self.verdict(c.id, False)
            lines += ["", f"{c.number} {c.title} [category: {c.id}]"]
            if c.covers:
                lines.append(f"Covers: {c.covers}")
            lines.append(f"If the task asks for it: {asked.verdict}. If not: {unasked.verdict}.")
            lines += [f"{x.id} ({self._clause_verdict(c, x)}) {x.text}" for x in c.clauses]
        return "\n".join(lines)

    def _clause_verdict(self, c: Category, x: Clause) -> Verdict:
        if x.rule in ("asked", "unasked"):
            return self.verdict(c.id, x.rule == "asked").verdict
        return x.verdict or c.unasked


def _compile(c: Category, sources: tuple[str, ...]) -> Matchers:
    s = c.signals
    try:
        return Matchers(
            PhraseSet.of(s.target),
            PhraseSet.of(s.weak_target),
            PhraseSet.of(s.context),
            PhraseSet.of(s.task),
            compile_patterns(s.patterns),
            {x.id: compile_patterns(x.patterns) for x in c.clauses if x.patterns},
            {x.id: compile_patterns(x.task_patterns) for x in c.clauses if x.task_patterns},
        )
    except re.error as exc:
        where = f" ({', '.join(sources)})" if sources else ""
        raise ConfigError(
            f"safety policy{where}: category {c.id!r} has a bad pattern: {exc}"
        ) from exc


def _unknown(kind: str, name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
    return f"the safety policy has no {kind} {name!r}{hint}"


# --- loading ---------------------------------------------------------------------------------


def shipped_policy_text() -> str:
    return (
        resources.files(__package__ or "artemis.safety")
        .joinpath("policy.yaml")
        .read_text(encoding="utf-8")
    )


def _read(text: str, source: str) -> PolicyFile:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError(f"safety policy {source} is not valid YAML: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"safety policy {source} must be a mapping at the top")
    try:
        return PolicyFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"safety policy {source} is malformed:\n{exc}") from exc


def _merge_category(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    if old is None:
        return dict(new)
    out = {**old, **{k: v for k, v in new.items() if k not in ("signals", "clauses")}}
    signals = dict(old.get("signals") or {})
    for key, words in (new.get("signals") or {}).items():
        signals[key] = [*signals.get(key, []), *(words or [])]
    out["signals"] = signals
    clauses = {c["id"]: c for c in old.get("clauses") or [] if isinstance(c, dict)}
    for c in new.get("clauses") or []:
        if isinstance(c, dict) and "id" in c:
            clauses[str(c["id"])] = {**clauses.get(str(c["id"]), {}), **c}
    out["clauses"] = list(clauses.values())
    return out


def build_policy(files: list[tuple[str, str]], safety: SafetySettings) -> Policy:
    """The policy of the files (source name, YAML text), the first being the base, then the
    preset and the verdicts of `safety`."""
    name = "artemis"
    principles: dict[str, Principle] = {}
    raw: dict[str, dict[str, Any]] = {}
    presets: dict[str, Preset] = {"default": Preset()}
    for source, text in files:
        f = _read(text, source)
        name = f.name or name
        for p in f.principles:
            principles[p.id] = p
        for cat in f.categories:
            cid = cat.get("id")
            if not isinstance(cid, str) or not cid:
                raise ConfigError(f"safety policy {source}: a category has no id")
            merged = _merge_category(raw.get(cid), cat)
            if "number" not in merged:
                merged["number"] = (
                    max((int(c.get("number", 0)) for c in raw.values()), default=0) + 1
                )
            raw[cid] = merged
        presets.update(f.presets)
    categories: list[Category] = []
    for cid, data in raw.items():
        try:
            categories.append(Category.model_validate(data))
        except ValidationError as exc:
            raise ConfigError(f"safety policy category {cid!r} is incomplete:\n{exc}") from exc
    preset = presets.get(safety.preset)
    if preset is None:
        raise ConfigError(_unknown("preset", safety.preset, presets))
    by_id = {c.id: c for c in categories}
    for overrides in (preset.verdicts, safety.verdicts):
        for cid, v in overrides.items():
            if cid not in by_id:
                raise ConfigError(_unknown("category", cid, by_id))
            update = {k: val for k, val in v.model_dump().items() if val is not None}
            by_id[cid] = by_id[cid].model_copy(update=update)
    return Policy(
        name,
        list(principles.values()),
        list(by_id.values()),
        preset=safety.preset,
        on_confirm=safety.on_confirm or preset.on_confirm,
        sources=tuple(source for source, _ in files),
    )


#: Policies built lately, by their files' texts and the settings: an agent is made per episode,
#: and building one (parsing the YAML, compiling every category's phrases) takes a good part of
#: a second of CPU. A `Policy` is not changed after it is built, so agents share it.
_built: dict[tuple[tuple[tuple[str, str], ...], str], Policy] = {}
_built_lock = threading.Lock()
_BUILT_KEPT = 8


def load_policy(safety: SafetySettings) -> Policy:
    """The shipped policy, extended by `safety.policy` files, the preset and the verdicts.
    The files are read each time; the same texts with the same settings give the policy built
    before."""
    files = [("artemis/safety/policy.yaml", shipped_policy_text())]
    for path in safety.policy:
        try:
            files.append((str(path), Path(path).read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError(f"cannot read safety policy {path}: {exc.strerror or exc}") from exc
    key = (tuple(files), safety.model_dump_json())
    with _built_lock:
        found = _built.get(key)
    if found is not None:
        return found
    policy = build_policy(files, safety)
    with _built_lock:
        _built[key] = policy
        while len(_built) > _BUILT_KEPT:
            del _built[next(iter(_built))]
    return policy
