"""Embedding functions for the tip store, chosen by `settings.tips.embedding`.

- `hash` (default): feature hashing of words, word bigrams and character n-grams into a fixed
  number of dimensions, L2-normalised. Needs no model and no network. It matches words and
  word pieces, not meaning: "turn on wifi" finds "Wi-Fi is under Network & internet", but
  "go online" does not. Its recall on the labelled set is in benchmarks/README.md.
- `minilm`: all-MiniLM-L6-v2 (ONNX), the model ChromaDB uses by default, read from the files
  ChromaDB keeps in `~/.cache/chroma/onnx_models/all-MiniLM-L6-v2/onnx/`. Never downloaded:
  when the files are missing, using it raises an error saying where to put them.
- `openai:<model>`: an OpenAI-compatible `/v1/embeddings` endpoint (`settings.models.base_url`
  and `api_key`, else `OPENAI_BASE_URL` / `OPENAI_API_KEY`).

Every function is registered with ChromaDB (`name`, `get_config`, `build_from_config`), so a
persisted collection can be reopened and queried by text in a new process. `spec` names the
function and the parameters that change its vectors; the store records it on each collection
and refuses to mix vectors from two specs. Constructors never fail for want of a file or a
server; the first call does, with a message saying what to do.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import httpx2
import numpy as np
import numpy.typing as npt
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from artemis.errors import ConfigError, DependencyMissingError, TipStoreError

Vector = npt.NDArray[np.float32]

# --- hash -----------------------------------------------------------------------------------

_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by can do does for from has have i if in into is it its me my of "
        "on or so than that the then there these this those to up was we were what when where "
        "which while who will with you your",
    )
)
_JOIN = re.compile(r"(?<=[a-z0-9])[-'’](?=[a-z0-9])")  # wi-fi -> wifi, don't -> dont
_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A light suffix stripper: enough to meet 'alarms' with 'alarm' and 'deleting' with
    'deleted' (through the shared stem 'delet'), never a linguistic stemmer."""
    if word.isdigit():
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        word = word[:-1]
    if len(word) >= 6 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) >= 5 and word.endswith("ed"):
        word = word[:-2]
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]
    return word


def hash_features(text: str) -> list[tuple[str, float]]:
    """The weighted features the hash embedding counts (public for tests and tuning)."""
    tokens = _TOKEN.findall(_JOIN.sub("", text.lower()))
    words = [_stem(t) for t in tokens if t not in _STOP]
    feats: list[tuple[str, float]] = [("w:" + w, 1.0) for w in words]
    feats += [(f"b:{a}_{b}", 0.6) for a, b in itertools.pairwise(words)]
    for t in tokens:
        if t in _STOP or len(t) < 4:
            continue
        padded = f"<{t}>"
        grams = [padded[i : i + 4] for i in range(len(padded) - 3)]
        weight = 0.8 / len(grams) ** 0.5
        feats += [("c:" + g, weight) for g in grams]
    return feats


@register_embedding_function
class HashEmbedding(EmbeddingFunction[Documents]):
    """Offline feature-hashing embedding (signed hashing, log-scaled counts, L2 norm)."""

    VERSION: ClassVar[int] = 1

    def __init__(self, dim: int = 512) -> None:
        if dim < 16:
            raise ConfigError(f"hash embedding dimension must be at least 16, not {dim}")
        self.dim = dim

    @property
    def spec(self) -> str:
        return f"hash-v{self.VERSION}-d{self.dim}"

    def embed_one(self, text: str) -> Vector:
        acc: dict[int, float] = {}
        for feat, weight in hash_features(text):
            h = zlib.crc32(feat.encode())
            slot = h % self.dim
            acc[slot] = acc.get(slot, 0.0) + (weight if h & 0x80000000 else -weight)
        vec = np.zeros(self.dim, dtype=np.float32)
        if acc:
            idx = np.fromiter(acc.keys(), dtype=np.int64, count=len(acc))
            val = np.fromiter(acc.values(), dtype=np.float32, count=len(acc))
            vec[idx] = np.sign(val) * np.log1p(np.abs(val))
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            # An empty text still needs a valid unit vector for cosine space.
            vec[0] = 1.0
            return vec
        return vec / norm

    def __call__(self, input: Documents) -> Embeddings:
        return [self.embed_one(t) for t in input]

    @staticmethod
    def name() -> str:
        return "artemis-hash"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"dim": self.dim, "version": self.VERSION}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbedding:
        return HashEmbedding(dim=int(config.get("dim", 512)))


# --- minilm ---------------------------------------------------------------------------------

MINILM_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
)


def default_minilm_dir() -> Path:
    """Where ChromaDB keeps all-MiniLM-L6-v2 (and where `minilm` looks for it)."""
    return Path.home() / ".cache" / "chroma" / "onnx_models" / "all-MiniLM-L6-v2" / "onnx"


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 on onnxruntime from local files, padded per batch (not to 256 tokens,
    which is what makes ChromaDB's own function slow); mean pooling, L2 norm."""

    MAX_TOKENS: ClassVar[int] = 256

    def __init__(self, model_dir: Path | str | None = None, batch_size: int = 32) -> None:
        self.model_dir = Path(model_dir) if model_dir else default_minilm_dir()
        self.batch_size = batch_size

    @property
    def spec(self) -> str:
        return "minilm-l6-v2"

    def missing_files(self) -> list[str]:
        return [f for f in MINILM_FILES if not (self.model_dir / f).is_file()]

    def _check(self) -> None:
        missing = self.missing_files()
        if missing:
            raise TipStoreError(
                f"the minilm embedding needs all-MiniLM-L6-v2 in {self.model_dir} "
                f"(missing: {', '.join(missing)}). Copy the six ONNX files there (ChromaDB's "
                "onnx.tar.gz for all-MiniLM-L6-v2 unpacks to exactly this folder), or set "
                "tips.embedding = 'hash'. artemis never downloads models."
            )

    @cached_property
    def _tokenizer(self) -> Any:
        self._check()
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.enable_truncation(max_length=self.MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of the batch
        return tok

    @cached_property
    def _session(self) -> Any:
        self._check()
        try:
            import onnxruntime
        except ImportError as exc:  # pragma: no cover - chromadb depends on it
            raise DependencyMissingError("minilm needs onnxruntime: pip install onnxruntime") from (
                exc
            )
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        return onnxruntime.InferenceSession(
            str(self.model_dir / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def _batch(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        wanted = {i.name for i in self._session.get_inputs()}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def __call__(self, input: Documents) -> Embeddings:
        out: Embeddings = []
        for i in range(0, len(input), self.batch_size):
            out.extend(self._batch(input[i : i + self.batch_size]))
        return out

    @staticmethod
    def name() -> str:
        return "artemis-minilm"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model_dir": str(self.model_dir), "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding(config.get("model_dir"), int(config.get("batch_size", 32)))


# --- openai ---------------------------------------------------------------------------------


@register_embedding_function
class OpenAIEmbedding(EmbeddingFunction[Documents]):
    """An OpenAI-compatible embeddings endpoint, called through the openai SDK."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        batch_size: int = 256,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        if not model:
            raise ConfigError("openai embedding needs a model name: 'openai:<model>'")
        # The HTTP seam, as `OpenAIModel`'s: None is the network; a test passes an in-memory
        # transport, and a call through it is no real model call.
        self.transport = transport
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.batch_size = batch_size

    @property
    def spec(self) -> str:
        return f"openai:{self.model}"

    @cached_property
    def _client(self) -> Any:
        import os

        import openai

        key = self.api_key or os.environ.get("OPENAI_API_KEY")
        if not key and not (self.base_url or os.environ.get("OPENAI_BASE_URL")):
            raise ConfigError(
                f"embedding {self.spec} needs an API key: set models.api_key or OPENAI_API_KEY "
                "(or models.base_url for a local server)"
            )
        http = (
            None if self.transport is None else openai.DefaultHttpxClient(transport=self.transport)
        )
        return openai.OpenAI(
            base_url=self.base_url,
            api_key=key or "unused",
            timeout=self.timeout_s,
            max_retries=self.max_retries,
            http_client=http,
        )

    def close(self) -> None:
        """Close the HTTP client, if one was made (`ChromaTipStore.close` calls this)."""
        client = self.__dict__.pop("_client", None)
        if client is not None:
            client.close()

    def __call__(self, input: Documents) -> Embeddings:
        import openai

        from artemis.models.guard import check_real_call_allowed

        out: Embeddings = []
        for i in range(0, len(input), self.batch_size):
            batch = list(input[i : i + self.batch_size])
            if self.transport is None:
                check_real_call_allowed(self.spec)
            try:
                reply = self._client.embeddings.create(model=self.model, input=batch)
            except openai.APIError as exc:
                raise TipStoreError(f"embedding endpoint failed for {self.spec}: {exc}") from exc
            rows = sorted(reply.data, key=lambda d: d.index)
            if len(rows) != len(batch):
                raise TipStoreError(
                    f"embedding endpoint returned {len(rows)} vectors for {len(batch)} texts"
                )
            for row in rows:
                vec = np.asarray(row.embedding, dtype=np.float32)
                norm = float(np.linalg.norm(vec))
                out.append(vec / norm if norm else vec)
        return out

    @staticmethod
    def name() -> str:
        return "artemis-openai"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        # Never the key: collection configurations are stored in the clear.
        return {"model": self.model, "base_url": self.base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbedding:
        return OpenAIEmbedding(str(config["model"]), base_url=config.get("base_url"))


TipEmbedding = HashEmbedding | MiniLMEmbedding | OpenAIEmbedding


def make_embedding(
    spec: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout_s: float = 60.0,
    max_retries: int = 2,
) -> TipEmbedding:
    """The embedding function a `settings.tips.embedding` value names."""
    spec = spec.strip()
    if spec == "hash" or spec.startswith("hash:"):
        dim = spec.partition(":")[2]
        if dim and not dim.isdigit():
            raise ConfigError(f"bad hash embedding {spec!r}: use 'hash' or 'hash:<dimensions>'")
        return HashEmbedding(int(dim) if dim else 512)
    if spec == "minilm" or spec.startswith("minilm:"):
        folder = spec.partition(":")[2]
        return MiniLMEmbedding(Path(folder).expanduser() if folder else None)
    if spec.startswith("openai:"):
        return OpenAIEmbedding(
            spec.partition(":")[2],
            base_url=base_url,
            api_key=api_key,
            timeout_s=timeout_s,
            max_retries=max_retries,
        )
    raise ConfigError(
        f"unknown tip embedding {spec!r}: use 'hash', 'hash:<dimensions>', 'minilm', "
        "'minilm:<folder>' or 'openai:<model>'"
    )
