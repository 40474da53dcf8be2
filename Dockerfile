# ragqa: CPU image serving the API, the widget and the demo page, with the sample corpus indexed at build time.
#   docker build -t ragqa .
#   docker run --rm -v ragqa-data:/var/lib/ragqa ragqa ragqa keys create --name ops --scopes admin,ask
#   docker run -d -p 8000:8000 -v ragqa-data:/var/lib/ragqa --stop-timeout 40 ragqa
# Details: docs/configuration.md ("Docker").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    RAGQA_DATA_DIR=/var/lib/ragqa \
    RAGQA_INDEX_DIR=/var/lib/ragqa/index \
    RAGQA_PROMPTS_DIR=/app/prompts \
    RAGQA_REQUIRE_AUTH=true \
    RAGQA_PORT=8000 \
    XDG_CACHE_HOME=/opt/ragqa-cache

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin ragqa
WORKDIR /app

# CPU-only torch first, from its own index (PyPI's default wheel would pull the CUDA stack); its own cached layer.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY ragqa ./ragqa
COPY index ./index
COPY service ./service
COPY eval ./eval
COPY prompts ./prompts
# The postgres and redis extras: replicas share state through RAGQA_DATABASE_URL and RAGQA_REDIS_URL (docs/scaling.md).
RUN pip install '.[postgres,redis]' && python -c "import ragqa.index.embedding, ragqa.service.api.app, psycopg, redis"
# The ONNX export of the packaged model (the default embedding backend), made once here, read-only at run time.
RUN python -c "from ragqa.index.onnx_embedding import OnnxEmbedder; OnnxEmbedder()" && chmod -R a+rX /opt/ragqa-cache

COPY corpus ./corpus
RUN mkdir -p /var/lib/ragqa && chown ragqa:ragqa /var/lib/ragqa

USER ragqa
# The sample index is built now, owned by the unprivileged user; a new named volume starts with a copy of it.
RUN ragqa ingest /app/corpus
VOLUME ["/var/lib/ragqa"]

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# Binds all interfaces, so `ragqa serve` refuses to start until a key exists in the volume or
# RAGQA_TRUSTED_PROXY_IPS names the SSO proxy (secure by default). SIGTERM finishes in-flight requests.
CMD ["ragqa", "serve", "--host", "0.0.0.0"]
