"""A throw-away Ray cluster on loopback for the scale bench and the Ray tests: `ray start --block` processes this
object starts, owns and stops (by their ids, never `ray stop`, which ends every Ray on the machine)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import free_port  # ephemeral ports: outside Ray's default worker ports (10002-19999)

RAY_START_TIMEOUT_S = 90.0
OBJECT_STORE_BYTES = 200 * 1024 * 1024  # the default takes 30% of RAM per node


class LocalRayCluster:
    """A head node and worker nodes, `cpus` CPUs each, on 127.0.0.1; nodes are `ray start --block` processes."""

    def __init__(self, *, cpus: int = 1, env: dict[str, str] | None = None):
        self.cpus = cpus
        # Ray's ports listen on every interface whatever --node-ip-address says: a token keeps others out.
        # A driver needs the same variables (driver_env) in its own environment.
        self.driver_env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
        self.env = {**os.environ, **(env or {}), **self.driver_env, "RAY_USAGE_STATS_ENABLED": "0"}
        # Short: Ray's unix sockets live under it (a socket path may not pass 107 bytes).
        self.temp_dir = Path(tempfile.mkdtemp(prefix="rq-ray-", dir="/tmp"))
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.nodes: list[subprocess.Popen] = []
        self._ray = str(Path(sys.executable).with_name("ray"))

    def start(self, nodes: int = 1) -> LocalRayCluster:
        """The head, then nodes - 1 workers; returns once all are registered."""
        self._start(["--head", "--port", str(self.port), "--temp-dir", str(self.temp_dir),
                     "--include-dashboard=false"])
        for _ in range(nodes - 1):
            self.add_node(wait=False)
        self.wait_for_nodes(nodes)
        return self

    def add_node(self, *, wait: bool = True) -> subprocess.Popen:
        node = self._start(["--address", self.address])
        if wait:
            self.wait_for_nodes(self.alive())
        return node

    def _start(self, role: list[str]) -> subprocess.Popen:
        log = open(self.temp_dir / f"node-{len(self.nodes)}.log", "wb")  # noqa: SIM115 - the node's lifetime
        args = [self._ray, "start", *role, "--block", "--num-cpus", str(self.cpus), "--node-ip-address",
                "127.0.0.1", "--disable-usage-stats", "--object-store-memory", str(OBJECT_STORE_BYTES),
                "--dashboard-agent-listen-port", str(free_port()), "--min-worker-port", "0", "--max-worker-port", "0"]
        node = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.nodes.append(node)
        deadline = time.monotonic() + RAY_START_TIMEOUT_S
        logfile = Path(log.name)
        while b"Ray runtime started" not in logfile.read_bytes():
            if node.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"`ray start` failed; its log:\n{logfile.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        return node

    def stop_node(self, node: subprocess.Popen) -> None:
        """Stop one node gracefully (SIGTERM to its `ray start --block`); returns once the cluster has let it go."""
        _terminate(node)
        self.nodes.remove(node)
        self.wait_for_nodes(self.alive())

    def alive(self) -> int:
        return sum(node.poll() is None for node in self.nodes)

    def wait_for_nodes(self, count: int) -> None:
        """Until the cluster's GCS lists exactly `count` live nodes (asked from a short-lived driver process)."""
        code = (f"import ray, logging; ray.init(address={self.address!r}, logging_level=logging.ERROR); "
                "print(sum(n['Alive'] for n in ray.nodes()))")
        deadline = time.monotonic() + RAY_START_TIMEOUT_S
        while True:
            out = subprocess.run([sys.executable, "-c", code], env=self.env, capture_output=True, text=True,
                                 timeout=RAY_START_TIMEOUT_S)
            if out.stdout.strip().isdigit() and int(out.stdout.strip()) == count:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Ray cluster at {self.address} did not reach {count} nodes: "
                                   f"{out.stderr[-2000:]}")
            time.sleep(0.5)

    def kill_raylet(self, node: subprocess.Popen) -> int:
        """SIGKILL the node's raylet (as a machine failing would); its workers die with it. Returns its pid."""
        raylet = next(pid for pid in _children(node.pid) if _comm(pid) == "raylet")
        os.kill(raylet, signal.SIGKILL)
        return raylet

    def stop(self) -> None:
        """SIGTERM each node's `ray start --block` (it stops that node's processes), workers first; then clean up."""
        for node in reversed(self.nodes):
            _terminate(node)
        self.nodes.clear()
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> LocalRayCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _terminate(node: subprocess.Popen) -> None:
    if node.poll() is None:
        node.send_signal(signal.SIGTERM)
        try:
            node.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(node.pid, signal.SIGKILL)  # its own session: only what this node started
            node.wait()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
