"""Embedding functions: the offline hash, MiniLM from local files, and their chroma registration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from chromadb.utils.embedding_functions import known_embedding_functions

from artemis.errors import ConfigError, TipStoreError
from artemis.tips.embeddings import (
    HashEmbedding,
    MiniLMEmbedding,
    OpenAIEmbedding,
    hash_features,
    make_embedding,
)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


def test_hash_vectors_are_unit_length_and_rank_shared_words_higher() -> None:
    ef = HashEmbedding()
    wifi, same, other = ef(
        [
            "turn on wifi",
            "Wi-Fi is under Network & internet; the Wi-Fi switch is at the top",
            "Add an alarm with the + button on the Alarm tab",
        ]
    )
    for v in (wifi, same, other):
        assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    assert _cos(wifi, same) > _cos(wifi, other) + 0.1


def test_hash_joins_hyphenated_words_and_strips_plurals() -> None:
    words = {f for f, _ in hash_features("Wi-Fi alarms deleting") if f.startswith("w:")}
    assert words == {"w:wifi", "w:alarm", "w:delet"}


def test_hash_is_stable_across_processes() -> None:
    code = (
        "import json; from artemis.tips.embeddings import HashEmbedding;"
        "print(json.dumps([float(x) for x in HashEmbedding(64)(['open the settings app'])[0]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = HashEmbedding(64)(["open the settings app"])[0]
    assert np.allclose(json.loads(out.stdout), here)


def test_hash_of_empty_text_is_still_a_unit_vector() -> None:
    (v,) = HashEmbedding(32)([""])
    assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-6


def test_every_function_is_registered_and_rebuilds_from_its_config() -> None:
    for ef in (
        HashEmbedding(128),
        MiniLMEmbedding("/some/where"),
        OpenAIEmbedding("m", base_url="http://127.0.0.1:1/v1", api_key="secret"),
    ):
        assert known_embedding_functions[ef.name()] is type(ef)
        rebuilt = type(ef).build_from_config(ef.get_config())
        assert rebuilt.get_config() == ef.get_config()
        assert rebuilt.spec == ef.spec
        assert "secret" not in json.dumps(ef.get_config())


def test_make_embedding_reads_the_setting() -> None:
    assert make_embedding("hash").spec == "hash-v1-d512"
    assert make_embedding("hash:256").spec == "hash-v1-d256"
    assert make_embedding("minilm").spec == "minilm-l6-v2"
    assert make_embedding("openai:text-embedding-3-small").spec == "openai:text-embedding-3-small"
    for bad in ("bert", "hash:x", "openai:", "hash:4"):
        with pytest.raises(ConfigError):
            make_embedding(bad)


def test_minilm_without_its_files_says_where_to_put_them(tmp_path: Path) -> None:
    ef = MiniLMEmbedding(tmp_path / "nowhere")  # constructing never fails
    with pytest.raises(TipStoreError) as info:
        ef(["hello"])
    message = str(info.value)
    assert str(tmp_path / "nowhere") in message and "model.onnx" in message
    assert "never downloads" in message


def test_minilm_default_folder_is_chromas_cache() -> None:
    path = MiniLMEmbedding().model_dir
    assert path.parts[-4:] == ("chroma", "onnx_models", "all-MiniLM-L6-v2", "onnx")


def _tiny_minilm(folder: Path) -> Path:
    """A stand-in with MiniLM's file layout and interface: a word-level tokenizer and an ONNX
    graph that looks token vectors up (batch, seq) -> (batch, seq, 8)."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, pre_tokenizers

    folder.mkdir(parents=True)
    vocab = {"[PAD]": 0, "[UNK]": 1, "hello": 2, "world": 3, "wifi": 4, "alarm": 5}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(folder / "tokenizer.json"))
    rng = np.random.default_rng(0)
    table = rng.normal(size=(len(vocab), 8)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"])],
        "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["b", "s", 8])],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    for name in ("config.json", "special_tokens_map.json", "tokenizer_config.json"):
        (folder / name).write_text("{}")
    (folder / "vocab.txt").write_text("\n".join(vocab))
    return folder


def test_minilm_pools_over_real_tokens_only(tmp_path: Path) -> None:
    ef = MiniLMEmbedding(_tiny_minilm(tmp_path / "onnx"))
    alone = ef(["hello world"])[0]
    batched = ef(["hello world", "wifi alarm hello world wifi"])
    assert np.allclose(alone, batched[0], atol=1e-6)  # padding does not leak into the mean
    assert abs(float(np.linalg.norm(batched[1])) - 1.0) < 1e-5
    assert not np.allclose(batched[0], batched[1])
