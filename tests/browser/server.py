"""A real `ragqa serve` subprocess on 127.0.0.1 for the browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RagqaServer:
    """One `ragqa serve` subprocess on 127.0.0.1 with its own data folder; output goes to a log file."""

    def __init__(self, root: Path, index_dir: Path, *, env: dict | None = None):
        self.root = root
        self.index_dir = index_dir
        self.data_dir = root / "data"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = root / "server.log"
        self.env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                                 "PYTHONPATH": str(REPO)} | (env or {})
        self.proc: subprocess.Popen | None = None

    def start(self, *, ready_path: str = "/readyz", timeout: float = 240) -> RagqaServer:
        ragqa = Path(sys.executable).with_name("ragqa")
        command = [str(ragqa)] if ragqa.exists() else [sys.executable, "-m", "ragqa.service.cli"]
        command += ["serve", "--index", str(self.index_dir), "--data-dir", str(self.data_dir),
                    "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=REPO)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ragqa serve exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + ready_path, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"ragqa serve was not ready within {timeout:.0f} s:\n{self.log_tail()}")

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait for /readyz to say 200 (after an index was published into a running server)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                return
            time.sleep(0.3)
        raise AssertionError(f"/readyz never became ready:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@contextmanager
def served_on_stand_in(model: str, index_dir: Path, root: Path):
    """`ragqa serve` with the openai backend on the PROTOCOL STAND-IN (tests/fakes/llm_server.py) playing `model`."""
    from tests.fakes.llm_server import LLMStandIn

    with LLMStandIn() as llm:
        env = {"RAGQA_LLM": "openai", "RAGQA_OPENAI_BASE_URL": f"{llm.url}/v1", "RAGQA_OPENAI_MODEL": model,
               "RAGQA_LLM_MAX_RETRIES": "0"}
        server = RagqaServer(root, index_dir, env=env).start()
        try:
            yield server
        finally:
            server.stop()
