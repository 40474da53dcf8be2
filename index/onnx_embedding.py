"""ONNX Runtime embedder: the same sentence-transformers model, exported locally, faster per query on CPU.

The export runs once per model and library versions (torch.onnx.export of the packaged weights; no network)
and is cached on disk; later processes load only onnxruntime and the fast tokenizer, not torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from ragqa.index.embedding import (
    DEFAULT_BATCH_SIZE,
    EmbeddingError,
    WarmOnce,
    _QueryCache,
    model_identity,
    resolve_model_path,
)

log = logging.getLogger(__name__)

EXPORT_FORMAT = 1  # bump when the exported graph changes, so caches of the old form are not reused
INT8_RECIPE = 2  # bump when quantize_int8 changes (the int8 file name carries it)
FUSION_RECIPE = 1  # bump when fuse_transformer changes (the fused file name carries it)
FUSED_FILE = f"model.fp32-fused-r{FUSION_RECIPE}.onnx"
# A fused graph is used only if its token embeddings stay this close to the unfused graph's on probe texts.
FUSION_MAX_ABS_DIFF = 1e-4
OPSET = 17
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def physical_cores() -> int:
    """Physical cores this process may run on (hyper-threads share one core's matrix units)."""
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    cores = set()
    for cpu in allowed:
        topo = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            cores.add(((topo / "physical_package_id").read_text().strip(), (topo / "core_id").read_text().strip()))
        except OSError:
            return max(len(allowed), 1)
    return max(len(cores), 1)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ragqa" / "onnx"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def export_key(model_path: Path) -> str:
    """Hash of the model folder, its weights' size and mtime, and the versions that shape the exported graph."""
    weights = [model_path / name for name in _WEIGHT_FILES if (model_path / name).is_file()]
    stamp = [(w.name, w.stat().st_size, w.stat().st_mtime_ns) for w in weights]
    parts = [str(model_path.resolve()), stamp, EXPORT_FORMAT, OPSET,
             _version("torch"), _version("transformers"), _version("onnx")]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:20]


def _atomic_write(path: Path, data: bytes) -> None:
    """Readers (other processes loading the cache) see the old file or the whole new one, never a torn one."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def export_onnx(model_path: Path, target: Path) -> None:
    """torch.onnx.export of the transformer (token embeddings out; pooling happens in numpy)."""
    import io
    import warnings

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_path), local_files_only=True, attn_implementation="eager")
    model.eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "sequence"}
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer's warnings concern data-dependent branches that are constant for an encoder; the test
        # suite checks the graph against PyTorch on padded, truncated and empty inputs.
        warnings.simplefilter("ignore")
        # dynamo=False: the TorchScript exporter needs no onnxscript and gives a graph ORT fuses well.
        torch.onnx.export(
            _Encoder(model), (sample, sample, torch.zeros_like(sample)), buffer,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["token_embeddings"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "token_embeddings": axes},
            opset_version=OPSET, do_constant_folding=True, dynamo=False,
        )
    _atomic_write(target, buffer.getvalue())


def quantize_int8(source: Path, target: Path) -> None:
    """Dynamic int8 of the weight MatMuls only, per output channel (quantising every op costs ~0.1 cosine).

    The feed-forward up-projections (`intermediate`) stay fp32: they are where int8 loses most accuracy, for a
    small share of its speed-up (BENCHMARKS.md, "Figures behind design choices").
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep_fp32 = [n.name for n in onnx.load(str(source), load_external_data=False).graph.node
                 if n.op_type == "MatMul" and "/intermediate/" in n.name]
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        quantize_dynamic(
            str(source), str(tmp), op_types_to_quantize=["MatMul"], per_channel=True,
            weight_type=QuantType.QInt8, nodes_to_exclude=keep_fp32,
            # Attention's activation x activation MatMuls stay fp32 too.
            extra_options={"MatMulConstBOnly": True},
        )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def fuse_transformer(source: Path, target: Path, *, num_heads: int, hidden_size: int) -> dict[str, int]:
    """ONNX Runtime's transformer fusions (one Attention op per layer, SkipLayerNormalization, BiasGelu,
    EmbedLayerNormalization) on the exported fp32 graph; returns how many of each op it made.

    The fused graph embeds a single query faster with the same outputs; batches (ingest) gain nothing
    (BENCHMARKS.md, retrieval latency). opt_level=0: graph rewrites only, no hardware-specific ORT optimisation
    baked into the file.
    """
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(str(source), model_type="bert", num_heads=num_heads, hidden_size=hidden_size,
                           opt_level=0)
    model.save_model_to_file(str(target))
    return {op: n for op, n in model.get_fused_operator_statistics().items() if n}


_TOKENIZER_LOCK = threading.Lock()


class OnnxEmbedder(WarmOnce):
    """The Embedder protocol on ONNX Runtime (CPU); vectors match SentenceTransformerEmbedder's (cosine > 0.999).

    The constructor reads the model's small config files only (so a model the backend cannot serve is refused at
    once); `warm_up()` exports the graph (first time only) and opens the ONNX Runtime session and tokenizers."""

    def __init__(self, model: str = "", *, batch_size: int = DEFAULT_BATCH_SIZE, quantize: bool = False,
                 cache_dir: Path | None = None, threads: int | None = None):
        self.model_path = resolve_model_path(model)
        self.model_name = model_identity(model)  # same as the torch embedder: indexes are interchangeable
        self.batch_size = batch_size
        self.quantize = quantize
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.threads = threads or physical_cores()
        self.exported = False  # True when this instance had to export (the cache was cold)
        self.onnx_path: Path | None = None  # the graph in use, once warmed up
        self._session = None
        self._tokenizer = None  # loaded on first use by counting or embedding (_load_tokenizers)
        self._cache = _QueryCache()
        self._read_configs()

    # --- loading -----------------------------------------------------------------------------------------

    def _load_tokenizers(self) -> None:
        """The counting tokenizer and the encoder (cheap: no graph). Counting and chunking need only these, so a
        process that chunks but never embeds (a Ray ingest's driver) never exports or opens the graph."""
        with _TOKENIZER_LOCK:
            if self._tokenizer is not None:
                return
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from tokenizers import Tokenizer

            tokenizer_file = str(self.model_path / "tokenizer.json")
            # tokenizer.json may carry its own truncation (128) and fixed padding: counting must see all tokens.
            tokenizer = Tokenizer.from_file(tokenizer_file)
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._encoder = Tokenizer.from_file(tokenizer_file)
            self._encoder.no_padding()
            self._encoder.enable_truncation(max_length=self.max_seq_length)
            self._tokenizer = tokenizer

    def _load(self) -> None:
        """Load the tokenizers, export (first time only), then open the ONNX graph."""
        self._load_tokenizers()
        onnx_path = self._ensure_exported()
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Flush denormal floats to zero: they take a slow path in the CPU (BENCHMARKS.md, retrieval latency).
        options.add_session_config_entry("session.set_denormal_as_zero", "1")
        # Idle threads sleep instead of spinning: after a question is embedded, search's own work (the MaxSim
        # rerank's matrix product above all) gets the cores (BENCHMARKS.md, "MaxSim rerank at 100,000 chunks").
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise EmbeddingError(
                f"Could not load the ONNX model {onnx_path} ({exc}). Delete that file to export it again, "
                "or set RAGQA_EMBEDDING_BACKEND=torch."
            ) from exc
        self._input_names = {i.name for i in session.get_inputs()}
        self.onnx_path = onnx_path
        self._session = session

    @property
    def tokenizer(self):
        """The model's fast tokenizer, without truncation or padding (for counting; the chunker copies it)."""
        self._load_tokenizers()
        return self._tokenizer

    def _read_configs(self) -> None:
        path = self.model_path
        if not (path / "tokenizer.json").is_file():
            raise EmbeddingError(
                f"{path} has no tokenizer.json (a fast tokenizer), which the ONNX backend needs; "
                "set RAGQA_EMBEDDING_BACKEND=torch for this model."
            )
        st_config = _read_json(path / "sentence_bert_config.json")
        model_config = _read_json(path / "config.json")
        pooling = _pooling_config(path)
        if not pooling.get("pooling_mode_mean_tokens", True) or any(
            pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                     "pooling_mode_mean_sqrt_len_tokens")
        ):
            raise EmbeddingError(
                f"The ONNX backend implements mean pooling only; {path} asks for {pooling}. "
                "Set RAGQA_EMBEDDING_BACKEND=torch for this model."
            )
        # sentence-transformers caps at min(max_seq_length, tokenizer model_max_length); mirror it.
        tok_config = _read_json(path / "tokenizer_config.json")
        limits = [st_config.get("max_seq_length"), tok_config.get("model_max_length"),
                  model_config.get("max_position_embeddings")]
        self.max_seq_length = int(min(v for v in limits if isinstance(v, int) and v > 0))
        self.dim = int(pooling.get("word_embedding_dimension") or model_config["hidden_size"])
        self._lowercase_input = bool(st_config.get("do_lower_case", False))
        self._pad_id = int(model_config.get("pad_token_id") or 0)
        # 0 lets the fusion find them in the graph (a config without these keys).
        self._num_heads = int(model_config.get("num_attention_heads") or 0)
        self._hidden_size = int(model_config.get("hidden_size") or 0)

    def _ensure_exported(self) -> Path:
        folder = self.cache_dir / export_key(self.model_path)
        fp32 = folder / "model.fp32.onnx"
        # int8 quantises the unfused graph: its recipe names MatMul nodes that fusion merges into Attention.
        target = folder / (f"model.int8-r{INT8_RECIPE}.onnx" if self.quantize else FUSED_FILE)
        unfusable = folder / "unfusable" / target.name  # fusion failed or drifted once: fp32 unfused serves
        if target.is_file():
            return target
        if not self.quantize and fp32.is_file() and unfusable.is_file():
            return fp32
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not fp32.is_file():
                log.info("exporting %s to ONNX at %s (once per model and library versions)", self.model_path, fp32)
                export_onnx(self.model_path, fp32)
                self.exported = True
            if self.quantize:
                quantize_int8(fp32, target)
                self.exported = True
        except OSError as exc:
            raise EmbeddingError(
                f"Could not write the ONNX export under {folder} ({exc}). Make it writable or pass another "
                "cache folder (XDG_CACHE_HOME), or set RAGQA_EMBEDDING_BACKEND=torch."
            ) from exc
        except Exception as exc:
            raise EmbeddingError(
                f"Could not export {self.model_path} to ONNX ({type(exc).__name__}: {exc}). "
                "Set RAGQA_EMBEDDING_BACKEND=torch to use PyTorch instead."
            ) from exc
        return target if self.quantize else self._fused_or(fp32, target, unfusable)

    def _fused_or(self, fp32: Path, fused: Path, unfusable: Path) -> Path:
        """The fused graph, made and checked once; the unfused one (remembered) if fusion fails or drifts."""
        candidate = fused.with_name(f".{fused.name}.{uuid.uuid4().hex}.tmp")  # other processes never see it
        try:
            made = fuse_transformer(fp32, candidate, num_heads=self._num_heads, hidden_size=self._hidden_size)
            diff = self._max_output_diff(fp32, candidate)
            if "Attention" in made and diff <= FUSION_MAX_ABS_DIFF:
                os.replace(candidate, fused)
                log.info("fused the ONNX graph (%s; max abs difference %.1e)", made, diff)
                return fused
            reason = f"fused {made or 'nothing'}, max abs difference {diff:.1e}"
        except Exception as exc:  # an architecture the fusions do not know: the unfused graph is correct
            reason = f"{type(exc).__name__}: {exc}"
        finally:
            candidate.unlink(missing_ok=True)
        log.warning("using the unfused ONNX graph of %s (%s)", self.model_path, reason)
        try:
            unfusable.parent.mkdir(exist_ok=True)
            unfusable.write_text(reason + "\n", encoding="utf-8")
        except OSError:  # a read-only cache: fusion is tried again next time, which is only slower
            pass
        return fp32

    def _max_output_diff(self, a: Path, b: Path) -> float:
        """Largest difference between two graphs' token embeddings on a padded batch of probe texts."""
        import onnxruntime as ort

        probes = ["", "Who approves travel over 500 EUR?", "Reçu: café à Zürich, 東京 office. " * 4,
                  " ".join(f"clause {i} of the retention policy" for i in range(80))]
        encodings = self._encoder.encode_batch(probes, add_special_tokens=True)
        feeds = self._padded_feeds(encodings, max(len(e.ids) for e in encodings))
        outputs = []
        for path in (a, b):
            session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            names = {i.name for i in session.get_inputs()}
            outputs.append(session.run(["token_embeddings"], {k: v for k, v in feeds.items() if k in names})[0])
        real = feeds["attention_mask"].astype(bool)  # padded positions are never pooled
        return float(np.abs(outputs[0][real] - outputs[1][real]).max())

    @property
    def fused(self) -> bool:
        """Whether the graph in use has ONNX Runtime's transformer fusions (fp32 only)."""
        self.warm_up()
        return self.onnx_path.name == FUSED_FILE

    # --- the Embedder protocol -------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=True).ids)

    def embed_documents(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        return self._embed(texts, None, show_progress)[0]

    def embed_with_sentences(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                             ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """embed_documents(texts), plus unit vectors of each text's character `spans` pooled from the same pass
        (index/sentence_vectors.py; a span past the model's truncation gets a zero row), and each text's token
        sign bits (index/late_interaction.py)."""
        return self._embed(texts, spans, False)

    def embed_query(self, text: str) -> np.ndarray:
        return self._cache.get_or_embed(text, self.embed_documents)

    def embed_query_with_tokens(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """embed_query(text) and the unit token embeddings of the same pass (cached alike, read-only)."""
        return self._cache.get_or_embed_with_tokens(text, self._query_pass)

    def _query_pass(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        from ragqa.index.late_interaction import unit_rows

        self.warm_up()
        prepared = str(text).strip()
        encoding = self._encoder.encode(prepared.lower() if self._lowercase_input else prepared,
                                        add_special_tokens=True)
        pooled, tokens = self._embed_batch([encoding], len(encoding.ids))
        return pooled[0], unit_rows(tokens[0, :len(encoding.ids)])

    def _embed(self, texts, spans, show_progress: bool) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        from ragqa.index.late_interaction import token_signs
        from ragqa.index.sentence_vectors import pool_spans

        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), [], []
        prepared = [str(t).strip() for t in texts]  # as sentence-transformers' Transformer.tokenize does
        leads = [len(t) - len(str(t).lstrip()) for t in texts]  # spans count from the unstripped text
        if self._lowercase_input:
            prepared = [t.lower() for t in prepared]
        encodings = self._encoder.encode_batch(prepared, add_special_tokens=True)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        # Length-sorted batches: padding (wasted compute) shrinks to a few tokens per text.
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        sentences: list[np.ndarray] = [np.zeros((0, self.dim), dtype=np.float32)] * len(texts)
        signs: list[np.ndarray] = [np.zeros((0, self.dim // 8), dtype=np.uint8)] * len(texts)
        progress = _progress(len(texts), show_progress)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            out[rows], tokens = self._embed_batch([encodings[i] for i in rows], int(lengths[rows].max()))
            for j, i in enumerate(rows.tolist() if spans is not None else ()):
                shifted = [(a - leads[i], b - leads[i]) for a, b in spans[i]]
                sentences[i] = pool_spans(tokens[j, :lengths[i]], encodings[i].offsets, shifted)
                signs[i] = token_signs(tokens[j, :lengths[i]])
            progress(len(rows))
        progress(0, close=True)
        return out, sentences, signs

    def _padded_feeds(self, encodings: list, width: int) -> dict[str, np.ndarray]:
        """The graph's inputs for a batch of encodings, padded to `width`."""
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            n = len(enc.ids)
            ids[row, :n] = enc.ids
            mask[row, :n] = 1
            types[row, :n] = enc.type_ids
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}

    def _embed_batch(self, encodings: list, width: int) -> tuple[np.ndarray, np.ndarray]:
        """Unit document vectors of one batch, and its token embeddings (padded to `width`)."""
        feeds = self._padded_feeds(encodings, width)
        mask = feeds["attention_mask"]
        feeds = {k: v for k, v in feeds.items() if k in self._input_names}
        (tokens,) = self._session.run(["token_embeddings"], feeds)  # thread-safe; releases the GIL
        # Mean pooling over real tokens, then L2 normalisation: the model's Pooling + Normalize modules.
        weights = mask.astype(np.float32)[:, :, None]
        summed = (tokens * weights).sum(axis=1)
        pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None), tokens


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise EmbeddingError(f"{path} is unreadable ({exc}); reinstall or fix the model folder.") from exc


def _pooling_config(path: Path) -> dict:
    """The Pooling module's config named in modules.json (default: mean pooling, as for all-MiniLM-L6-v2)."""
    modules = _read_json(path / "modules.json")
    for module in modules if isinstance(modules, list) else []:
        if str(module.get("type", "")).endswith("Pooling"):
            return _read_json(path / module.get("path", "1_Pooling") / "config.json")
    return _read_json(path / "1_Pooling" / "config.json")


def _progress(total: int, enabled: bool):
    """A tqdm bar when asked for (long ingests), else a no-op callable."""
    if not enabled:
        return lambda n, close=False: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="chunk", desc="embedding")

    def update(n: int, close: bool = False) -> None:
        bar.update(n)
        if close:
            bar.close()

    return update
