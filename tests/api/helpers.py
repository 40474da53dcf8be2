"""Real `ragqa serve` processes on 127.0.0.1 for the API tests, a small ACL'd index, SSE parsing."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]

# Canary words: if one of them ever reaches a caller outside the article's group, the permission filter leaked.
HR_CANARY = "HRCANARY7731"
ENG_CANARY = "ENGCANARY4412"

ARTICLES = [
    ("cafeteria", [], "# Staff cafeteria\n\nThe staff cafeteria opens at 7:30 on weekdays and serves breakfast until "
                      "10:00. Lunch is served from noon until 14:00. The cafeteria is on the ground floor of "
                      "building B."),
    ("parking", ["everyone"], "# Parking\n\nStaff park in the north car park. Visitors must register their number "
                              "plate at reception before parking. Electric car chargers are in row C."),
    ("hr/salary-bands", ["hr"], "# Salary bands\n\nThe salary band for senior engineers runs from 90,000 to 120,000 "
                                f"euros a year. Salary bands are reviewed every April by the HR team. {HR_CANARY}."),
    ("eng/deploy-keys", ["eng"], "# Deploy keys\n\nDeploy keys are rotated every 30 days by the platform team. The "
                                 f"rotation runbook lives in the platform wiki. {ENG_CANARY}."),
]


def build_index(root: Path, embedder, articles=ARTICLES) -> dict:
    """Ingest `articles` into root/index (data in root/data); returns the env a server needs to use them."""
    from ragqa.index.ingest import upsert_articles
    from ragqa.index.loaders import article_from_text
    from ragqa.settings import Settings

    settings = Settings(index_dir=root / "index", data_dir=root / "data")
    docs = [article_from_text(doc_id, text, acl=acl) for doc_id, acl, text in articles]
    report = upsert_articles(docs, settings=settings, embedder=embedder)
    assert report.chunks >= len(articles)
    return {"RAGQA_INDEX_DIR": str(root / "index"), "RAGQA_DATA_DIR": str(root / "data")}


def create_key(data_dir: Path | str, *, name: str, scopes: str = "ask", groups: str = "", origins: str = "") -> str:
    """A key made through the real CLI (`ragqa keys create --json`)."""
    out = run_cli(["keys", "create", "--name", name, "--scopes", scopes, "--groups", groups, "--origins", origins,
                   "--json", "--data-dir", str(data_dir)])
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["key"]


def run_cli(args: list[str], env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = os.environ | {"PYTHONPATH": str(REPO)} | (env or {})
    return subprocess.run([sys.executable, "-m", "ragqa.service.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=REPO)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """One `ragqa serve` subprocess; logs (JSON lines) go to a file for assertions and failure reports."""

    root: Path
    env: dict
    args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.root / f"server-{self.port}.log"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 300) -> Server:
        env = os.environ | {"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                            "TOKENIZERS_PARALLELISM": "false"} | self.env
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ragqa.service.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             *self.args],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_text()[-4000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server not up after {timeout}s:\n{self.log_text()[-4000:]}")

    def terminate(self) -> None:
        """SIGTERM: the graceful path (in-flight requests finish)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 40) -> int | None:
        if self.proc is None:
            return None
        self.terminate()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)


def parse_sse(lines) -> list[tuple[str, dict]]:
    """[(event, data)] from an iterator of SSE text lines."""
    events, name, data = [], None, []
    for line in lines:
        if line == "":
            if name is not None:
                events.append((name, json.loads("\n".join(data))))
            name, data = None, []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return events


def assert_problem(response: httpx.Response, status: int) -> dict:
    """The response is application/problem+json with this status, a useful detail and no stack trace."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["title"]
    assert isinstance(body["detail"], str) and len(body["detail"]) > 15, body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body
