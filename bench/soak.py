"""`make soak`: the slow hardening runs (issue 8), each bounded in count and time, results in bench/results/.

    python -m bench.soak             # all runs (about 10-20 minutes on a busy 2-core machine)
    python -m bench.soak --quick     # fewer kills, shorter phases (a few minutes)
    python -m bench.soak --only flood,sigterm

Runs:
  kill9     kill -9 at random points of many `ragqa ingest` runs over a changing corpus: after each kill the
            version CURRENT names opens with valid checksums and answers; the next ingest completes.
  damage    every file of the current version damaged in turn: readiness false naming the file, the last
            good version served.
  publish   queries over HTTP while versions are published through the API: zero failed queries, every
            response from one consistent version.
  flood     one key at 10x its quota with two other keys in parallel: 429s for the flooder, the others' p99
            within 2x of their quiet p99 (3 s quiet and flood phases alternate, so drift in the machine's other
            load hits both alike).
  sigterm   SIGTERM with many requests in flight, several times: all complete, new ones refused cleanly,
            exit 0.
  writes    40 concurrent askers for --writes-seconds (60) while an admin PUTs and DELETEs documents and CLI
            ingests run: no 5xx to readers (an admin write refused with 503 + Retry-After while an ingest holds
            the index is retried, not a failure), /healthz p99 under 1 s, every surviving document found by
            search and every deleted one gone.
Only 127.0.0.1 traffic. Exit status 1 when any run fails its criterion.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import httpx

from bench.common import REPO, machine, percentiles, save, table
from ragqa.service.composition import open_index

RUNS = ("kill9", "damage", "publish", "flood", "sigterm", "writes")
PROFILES = {
    "quick": {"kills": 6, "flood_rounds": 10, "phase_s": 3.0, "sigterm_rounds": 1, "publishes": 4},
    "full": {"kills": 20, "flood_rounds": 20, "phase_s": 3.0, "sigterm_rounds": 3, "publishes": 10},
}
FLOOD_QUOTA_PER_MINUTE = 60  # the default RAGQA_RATE_LIMIT_PER_MINUTE: the flooder sends 10 a second
HEAVY_QUOTA_PER_MINUTE = 600  # informational: a quota of 10 searches a second is a large share of 2 cores
# uvicorn looks at its exit flag every 0.1 s: a request sent this soon after SIGTERM may still be served (whole).
SIGNAL_RACE_S = 0.5
STEADY_TOTAL_PER_S = 8.0  # the measured callers, spread over enough keys that each stays under 80% of its quota


def _embedder():
    from ragqa.service.composition import build_embedder
    from ragqa.settings import Settings

    return build_embedder(Settings(embedding_backend="torch"))


def _settings(root: Path, **extra):
    from ragqa.settings import Settings

    return Settings(index_dir=root / "index", data_dir=root / "data", **extra)


# --- kill -9 during ingest ------------------------------------------------------------------------------------

def _write_generation(folder: Path, generation: int, rng: random.Random, n: int = 40) -> None:
    """A corpus that changes every round: some articles edited, one removed, one added."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.md"):
        if rng.random() < 0.05:
            path.unlink()
    for i in range(n):
        path = folder / f"a{i:03}.md"
        if path.exists() and rng.random() < 0.6:
            continue
        body = " ".join(f"Item {i} of generation {generation} describes storage room {j} and its keys."
                        for j in range(30))
        path.write_text(f"---\ntitle: Article {i}\n---\n# Article {i}\n\n{body}\n", encoding="utf-8")


def soak_kill9(kills: int, embedder) -> dict:
    from ragqa.index.files import list_versions, read_pointer
    from ragqa.index.ingest import ingest_paths
    from ragqa.index.reader import IndexVersion

    root = Path(tempfile.mkdtemp(prefix="soak-kill9-"))
    try:
        settings = _settings(root)
        docs, versions_dir, rng = root / "docs", root / "index" / "versions", random.Random(8)
        _write_generation(docs, 0, rng)
        ingest_paths([docs], settings=settings, embedder=embedder)
        env = os.environ | {"RAGQA_INDEX_DIR": str(settings.index_dir), "PYTHONPATH": str(REPO)}
        problems, while_writing, before_exit = [], 0, 0
        for attempt in range(kills):
            _write_generation(docs, attempt + 1, rng)
            proc = subprocess.Popen([sys.executable, "-m", "ragqa.service.cli", "ingest", str(docs), "--json"], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
            deadline = time.monotonic() + 180
            if attempt % 2:  # half the kills land while the new version's files are being written
                while proc.poll() is None and time.monotonic() < deadline and not list(versions_dir.glob(".tmp-*")):
                    time.sleep(0.002)
                time.sleep(rng.uniform(0.0, 0.02))
            else:
                time.sleep(rng.uniform(0.5, 12.0))
            writing = bool(list(versions_dir.glob(".tmp-*")))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                before_exit += 1
                while_writing += writing
            proc.wait()
            try:
                pointer = read_pointer(settings.index_dir)
                IndexVersion.open(versions_dir / pointer).close()  # every checksum in the manifest verified
                if not open_index(settings, embedder).retriever().search("storage room keys", k=3):
                    problems.append(f"kill {attempt}: the served version answers nothing")
            except Exception as exc:
                problems.append(f"kill {attempt}: {type(exc).__name__}: {exc}")
        final = ingest_paths([docs], settings=settings, embedder=embedder)
        if final.version_id != read_pointer(settings.index_dir):
            problems.append("the ingest after the kills did not publish")
        if list(versions_dir.glob(".tmp-*")):
            problems.append("partial builds were left behind after a completed ingest")
        return {"passed": not problems, "ingests_started": kills, "killed_before_exit": before_exit,
                "killed_while_writing": while_writing, "versions_kept": len(list_versions(settings.index_dir)),
                "problems": problems}
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- damage each file of the current version ----------------------------------------------------------------

def soak_damage(embedder) -> dict:
    from ragqa.index.files import list_versions
    from ragqa.index.ingest import upsert_articles
    from ragqa.index.loaders import article_from_text

    root = Path(tempfile.mkdtemp(prefix="soak-damage-"))
    logging.getLogger("ragqa.index.manager").setLevel(logging.CRITICAL)  # each damaged file is expected; the table says
    try:
        settings = _settings(root, reload_poll_s=0.0)
        upsert_articles([article_from_text("leeds", "# Leeds\n\nThe Leeds office opens at seven.")],
                        settings=settings, embedder=embedder)
        upsert_articles([article_from_text("porto", "# Porto\n\nThe Porto office opens at eight.")],
                        settings=settings, embedder=embedder)
        current = list_versions(settings.index_dir)[0]
        files = sorted(p.relative_to(settings.index_dir / "versions" / current).as_posix()
                       for p in (settings.index_dir / "versions" / current).rglob("*") if p.is_file())
        rows, problems = [], []
        for name in files:
            copy = root / f"copy-{len(rows)}"
            shutil.copytree(root / "index", copy / "index")
            target = copy / "index" / "versions" / current / name
            data = target.read_bytes()
            target.write_bytes(data[: len(data) // 2] + b"\x00damaged")
            status = open_index(_settings(copy), embedder).status()
            named = Path(name).name in (status["error"] or "")
            served = status["serving"] not in (None, current)
            answers = False
            if served:
                hits = open_index(_settings(copy), embedder).retriever().search("Leeds office", k=1)
                answers = bool(hits) and hits[0].doc_id == "leeds"
            ok = status["ready"] is False and named and served and answers
            rows.append({"file": name, "ready": status["ready"], "names_file": named, "fallback_serves": answers})
            if not ok:
                problems.append(f"{name}: {status}")
            shutil.rmtree(copy, ignore_errors=True)
        return {"passed": not problems and bool(rows), "files": rows, "problems": problems}
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- servers ------------------------------------------------------------------------------------------------

def _server(root: Path, embedder, env: dict, keys: dict[str, tuple[str, str]]):
    """An index of small public articles, keys as given, and a started `ragqa serve`."""
    from ragqa.index.ingest import upsert_articles
    from ragqa.index.loaders import article_from_text
    from ragqa.service.api.keys import KeyStore, split_list
    from tests.api.helpers import Server

    settings = _settings(root)
    rooms = [article_from_text(f"rooms/room{i}", f"# Room {i}\n\nMeeting room {i} belongs to generation 0. It "
                                                 f"seats {i + 4} people and has a screen.") for i in range(6)]
    public = [article_from_text("passwords", "# Passwords\n\nStaff passwords must be at least 14 characters "
                                             "long and are changed through the self-service portal."),
              article_from_text("pay-day", "# Pay day\n\nSalaries are paid on the 25th of each month.")]
    upsert_articles(rooms + public, settings=settings, embedder=embedder)
    store = KeyStore(settings.data_dir)
    made = {name: store.create(name=name, scopes=split_list(scopes), groups=split_list(groups))[1]
            for name, (scopes, groups) in keys.items()}
    full_env = {"RAGQA_INDEX_DIR": str(settings.index_dir), "RAGQA_DATA_DIR": str(settings.data_dir),
                "RAGQA_REQUIRE_AUTH": "true"} | env
    return Server(root, full_env).start(), made


def _auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


# --- publish while serving ------------------------------------------------------------------------------------

def soak_publish(publishes: int, embedder) -> dict:
    """Each PUT publishes a version in which room 0 says its generation; a response is consistent when the room 0
    text it returns is the one of the version it names."""
    root = Path(tempfile.mkdtemp(prefix="soak-publish-"))
    server = None
    try:
        server, keys = _server(root, embedder, {"RAGQA_RATE_LIMIT_PER_MINUTE": "1000000",
                                                "RAGQA_RELOAD_POLL_S": "0.2"},
                               {"admin": ("admin,ask", ""), "user": ("ask", "")})
        failures, seen, count = [], [], [0]  # seen: (index_version, generation room 0 said)
        done = threading.Event()

        def loop(path: str, body: dict) -> None:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                while not done.is_set():
                    try:
                        r = client.post(path, json=body, headers=_auth(keys["user"]))
                        count[0] += 1
                        if r.status_code != 200:
                            failures.append((path, r.status_code, r.text[:200]))
                        elif path == "/v1/search":
                            data = r.json()
                            for hit in data["hits"]:
                                if hit["doc_id"] == "rooms/room0":
                                    gen = re.search(r"generation (\d+)", hit["text"]).group(1)
                                    seen.append((data["index_version"], int(gen)))
                    except httpx.HTTPError as exc:
                        failures.append((path, repr(exc)))

        query = {"query": "which generation does meeting room 0 belong to", "top_k": 8}
        threads = [threading.Thread(target=loop, args=("/v1/search", query)) for _ in range(2)]
        threads.append(threading.Thread(target=loop, args=("/v1/ask", {"question": "How many people does "
                                                                                   "room 2 seat?"})))
        with httpx.Client(base_url=server.url, timeout=60) as client:
            first = client.post("/v1/search", json=query, headers=_auth(keys["user"])).json()["index_version"]
        generation_of = {first: 0}
        for t in threads:
            t.start()
        started = time.monotonic()
        try:
            with httpx.Client(base_url=server.url, timeout=300) as admin:
                for n in range(1, publishes + 1):
                    body = {"text": f"# Room 0\n\nMeeting room 0 belongs to generation {n}. It seats 4 people."}
                    r = admin.put("/v1/documents/rooms/room0", json=body, headers=_auth(keys["admin"]))
                    if r.status_code in (200, 201):
                        generation_of[r.json()["index_version"]] = n
                    else:
                        failures.append(("PUT", r.status_code, r.text[:200]))
                    time.sleep(0.5)
        finally:
            done.set()
            for t in threads:
                t.join(120)
        mixed = [(v, g) for v, g in seen if generation_of.get(v) != g]
        versions = {v for v, _ in seen}
        return {"passed": not failures and not mixed and len(versions) >= 2, "publishes": publishes,
                "queries": count[0], "failed": len(failures), "mixed_versions": len(mixed),
                "versions_seen": len(versions), "seconds": round(time.monotonic() - started, 1),
                "examples": failures[:3] + mixed[:3]}
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


# --- flood ------------------------------------------------------------------------------------------------------

def _flood_process(url: str, key: str, rate_per_s: float, on, stop, out) -> None:
    """The flooder, in its own process (its client work must not slow the measured callers' client): 10 senders
    at rate_per_s in all while `on` is set, until `stop`."""
    statuses: list[int] = []

    def sender() -> None:
        interval = 10 / rate_per_s
        with httpx.Client(base_url=url, timeout=30) as client:
            next_at = time.monotonic()
            while not stop.is_set():
                if not on.wait(0.05):
                    next_at = time.monotonic()
                    continue
                now = time.monotonic()
                if now < next_at:
                    time.sleep(next_at - now)
                next_at += interval
                try:
                    statuses.append(client.post("/v1/search", json={"query": "parking permit"},
                                                headers=_auth(key)).status_code)
                except httpx.HTTPError:
                    statuses.append(-1)

    senders = [threading.Thread(target=sender) for _ in range(10)]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    out.put(statuses)


def soak_flood(rounds: int, phase_s: float, embedder, *, quota_per_minute: int = FLOOD_QUOTA_PER_MINUTE,
               drain_first: bool = False, invalid_key: bool = False) -> dict:
    """Quiet and flood phases alternate every `phase_s` seconds while two keys send at a steady pace; each of their
    requests counts for the phase it was sent in (fine interleaving: other load on the machine hits both alike)."""
    import multiprocessing

    root = Path(tempfile.mkdtemp(prefix="soak-flood-"))
    server = flooder = None
    ctx = multiprocessing.get_context("spawn")
    on, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    try:
        steady_keys = max(2, math.ceil(STEADY_TOTAL_PER_S / (0.8 * quota_per_minute / 60)))
        names = [f"steady{i}" for i in range(steady_keys)]
        server, keys = _server(root, embedder, {"RAGQA_RATE_LIMIT_PER_MINUTE": str(quota_per_minute)},
                               {"flooder": ("ask", "")} | {n: ("ask", "") for n in names})
        flood_key = "rq_unknown_" + "0" * 43 if invalid_key else keys["flooder"]
        flooder = ctx.Process(target=_flood_process, args=(server.url, flood_key, 10 * quota_per_minute / 60,
                                                           on, stop, out))
        flooder.start()
        phase = {"name": "warm-up", "since": time.monotonic()}
        samples: list[tuple[str, int, float]] = []
        done = threading.Event()

        def steady(who: str) -> None:
            interval = steady_keys / STEADY_TOTAL_PER_S
            with httpx.Client(base_url=server.url, timeout=30) as client:
                next_at = time.monotonic() + random.uniform(0, interval)  # the keys' requests spread out
                while not done.is_set():
                    now = time.monotonic()
                    if now < next_at:
                        time.sleep(next_at - now)
                    next_at += interval
                    name, settled = phase["name"], time.monotonic() - phase["since"] > 0.3
                    t = time.perf_counter()
                    try:
                        status = client.post("/v1/search", json={"query": "When are salaries paid?"},
                                             headers=_auth(keys[who])).status_code
                    except httpx.HTTPError:
                        status = -1
                    if settled:  # requests sent right at a switch belong to neither phase
                        samples.append((name, status, (time.perf_counter() - t) * 1000))

        threads = [threading.Thread(target=steady, args=(who,)) for who in names]
        for t in threads:
            t.start()
        if drain_first:  # spend the flooder's burst allowance before measuring: the sustained flood only
            on.set()
            time.sleep(1.2 * quota_per_minute / (9 * quota_per_minute / 60))
            on.clear()
        time.sleep(3.0)  # warm-up, not counted
        for _ in range(rounds):
            for name in ("quiet", "flood"):
                (on.set if name == "flood" else on.clear)()
                phase.update(name=name, since=time.monotonic())
                time.sleep(phase_s)
        on.clear()
        done.set()
        stop.set()
        for t in threads:
            t.join(60)
        flood = out.get(timeout=120)
        quiet_ms = [ms for name, status, ms in samples if name == "quiet" and status == 200]
        loud_ms = [ms for name, status, ms in samples if name == "flood" and status == 200]
        others_ok = all(status == 200 for name, status, _ in samples if name in ("quiet", "flood"))
        q_stats, l_stats = percentiles(quiet_ms), percentiles(loud_ms)
        ratio = l_stats["p99_ms"] / q_stats["p99_ms"] if quiet_ms and loud_ms else None
        statuses = {str(code): flood.count(code) for code in sorted(set(flood))}
        refused = statuses.get("401" if invalid_key else "429", 0)
        return {"passed": bool(others_ok and ratio is not None and ratio <= 2.0 and refused > 0),
                "quota_per_minute": quota_per_minute, "measured_keys": steady_keys,
                "measured_rate_per_s": STEADY_TOTAL_PER_S, "flooder_rate_per_s": round(len(flood) /
                                                                                         (rounds * phase_s), 1),
                "flooder_statuses": statuses, "others_quiet": q_stats, "others_under_flood": l_stats,
                "p99_ratio": round(ratio, 2) if ratio else None, "others_all_200": others_ok,
                "phases": f"{rounds} x ({phase_s:g} s quiet, {phase_s:g} s flood), the flooder's bucket full at first"}
    finally:
        stop.set()
        if flooder is not None:
            flooder.join(30)
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


def soak_flood_all(rounds: int, phase_s: float, embedder) -> dict:
    """The criterion (a key at 10x the default quota), and two informational runs: unknown keys at 100 a second
    (an unauthenticated flood: the refusal path alone) and a 10x larger quota (where the flooder's *allowed*
    share is itself heavy). SECURITY.md discusses both."""
    main = soak_flood(rounds, phase_s, embedder)
    invalid = soak_flood(max(2, rounds // 2), phase_s, embedder, quota_per_minute=HEAVY_QUOTA_PER_MINUTE,
                         invalid_key=True)
    heavy = soak_flood(max(2, rounds // 2), phase_s, embedder, quota_per_minute=HEAVY_QUOTA_PER_MINUTE)
    for informational in (invalid, heavy):
        informational["passed_is_informational"] = True
    return {"passed": main["passed"], "at_default_quota": main,
            "unknown_keys_at_100_per_s": invalid, "heavy_quota_informational": heavy}


# --- SIGTERM under load ---------------------------------------------------------------------------------------

def _ask_through_shutdown(url: str, key: str, i: int, timeout: float, outcomes: dict[int, str]) -> None:
    """One in-flight request (every other one streamed); records whether it completed with an answer."""
    from tests.api.helpers import parse_sse

    body = {"question": "How long must staff passwords be?"}
    try:
        with httpx.Client(base_url=url, timeout=timeout) as client:
            if i % 2:
                with client.stream("POST", "/v1/ask/stream", json=body, headers=_auth(key)) as r:
                    events = parse_sse(r.iter_lines())
                    done = r.status_code == 200 and bool(events) and events[-1][0] == "answer"
            else:
                r = client.post("/v1/ask", json=body, headers=_auth(key))
                done = r.status_code == 200 and bool(r.json().get("answer"))
        outcomes[i] = "completed" if done else f"incomplete ({r.status_code})"
    except Exception as exc:
        outcomes[i] = f"failed: {exc!r}"


def _sigterm_round(round_no: int, embedder, in_flight: int, grace_s: float) -> dict:
    root = Path(tempfile.mkdtemp(prefix="soak-sigterm-"))
    server = None
    try:
        server, keys = _server(root, embedder, {
            "RAGQA_RATE_LIMIT_PER_MINUTE": "100000", "RAGQA_SHUTDOWN_GRACE_S": str(grace_s),
            "RAGQA_LLM": "langchain:tests.hardening.standins:SlowChatModel", "RAGQA_TEST_LLM_DELAY_S": "3"},
            {"user": ("ask", "")})
        outcomes: dict[int, str] = {}
        threads = [threading.Thread(target=_ask_through_shutdown,
                                    args=(server.url, keys["user"], i, grace_s + 30, outcomes))
                   for i in range(in_flight)]
        for t in threads:
            t.start()
        time.sleep(1.5)  # retrieval done, all of them waiting on the slow answerer
        stopped = time.monotonic()
        server.terminate()
        refused, raced, reset, answered, bad = 0, 0, [], 0, []
        while server.proc.poll() is None and time.monotonic() - stopped < grace_s + 10:
            sent = time.monotonic() - stopped
            try:
                r = httpx.post(f"{server.url}/v1/search", json={"query": "passwords"}, headers=_auth(keys["user"]),
                               timeout=10)
                answered += 1
                if r.status_code == 503:
                    refused += 1
                elif r.status_code == 200 and sent < SIGNAL_RACE_S:
                    raced += 1  # sent before the server got round to the signal: served whole, which is fine
                else:
                    bad.append((round(sent, 2), r.status_code))
            except httpx.ConnectError:
                refused += 1
            except (httpx.ReadError, httpx.RemoteProtocolError) as exc:
                reset.append((round(sent, 2), type(exc).__name__))  # judged below, from the server's log
            except httpx.HTTPError as exc:
                bad.append((round(sent, 2), repr(exc)))
            time.sleep(0.1)
        for t in threads:
            t.join(grace_s + 30)
        code = server.proc.wait(grace_s + 10)
        # A connection still queued when the listener closes is reset by the kernel. It is a clean refusal only if
        # the app never saw the request: the probes are the only /v1/search calls, so the access log must hold
        # exactly the ones that got an answer.
        logged = sum(1 for line in server.log_text().splitlines() if '"path": "/v1/search"' in line)
        if reset and logged != answered:
            bad.append(f"{len(reset)} reset probes, but the server logged {logged} searches for {answered} answers")
        completed = sum(v == "completed" for v in outcomes.values())
        return {"round": round_no, "in_flight": in_flight, "completed": completed, "new_refused_cleanly": refused,
                "new_served_before_signal_handled": raced, "new_reset_before_accept": reset[:5],
                "new_bad": bad[:5], "exit_code": code, "drain_s": round(time.monotonic() - stopped, 1),
                "failures": [v for v in outcomes.values() if v != "completed"][:3],
                "passed": completed == in_flight and refused > 0 and not bad and code == 0}
    finally:
        if server is not None and server.proc and server.proc.poll() is None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


def soak_sigterm(rounds: int, embedder, in_flight: int = 16, grace_s: float = 30.0) -> dict:
    results = [_sigterm_round(n, embedder, in_flight, grace_s) for n in range(rounds)]
    return {"passed": all(r["passed"] for r in results), "rounds": results}


# --- main -----------------------------------------------------------------------------------------------------

# --- writes and ingests under read load --------------------------------------------------------------------

WRITES_ASKERS = 40


def soak_writes(duration_s: float, embedder, askers: int = WRITES_ASKERS) -> dict:
    """Askers and a /healthz probe run throughout; an admin adds documents with a unique code word each and deletes
    every third one; `ragqa ingest` of a changing folder runs back to back in another process."""
    root = Path(tempfile.mkdtemp(prefix="soak-writes-"))
    server = None
    try:
        server, keys = _server(root, embedder, {"RAGQA_RATE_LIMIT_PER_MINUTE": "1000000",
                                                "RAGQA_RELOAD_POLL_S": "0.5"},
                               {"admin": ("admin,ask", ""), "user": ("ask", "")})
        stop = threading.Event()
        lock = threading.Lock()
        statuses: dict[str, dict[int, int]] = {"ask": {}, "healthz": {}, "put": {}, "delete": {}}
        errors: list[str] = []
        health_ms: list[float] = []
        ask_ms: list[float] = []
        alive: set[str] = set()
        deleted: set[str] = set()
        ingests = {"runs": 0, "failed": 0}

        def count(kind: str, status: int) -> None:
            with lock:
                statuses[kind][status] = statuses[kind].get(status, 0) + 1

        def asker(i: int) -> None:
            questions = ["How many people does meeting room 3 seat?", "When are salaries paid?",
                         "How long must passwords be?", f"Which generation does storage room {i} belong to?"]
            with httpx.Client(base_url=server.url, timeout=60) as client:
                n = 0
                while not stop.is_set():
                    started = time.perf_counter()
                    try:
                        r = client.post("/v1/ask", json={"question": questions[n % len(questions)]},
                                        headers=_auth(keys["user"]))
                        count("ask", r.status_code)
                        with lock:
                            ask_ms.append((time.perf_counter() - started) * 1000)
                    except httpx.HTTPError as exc:
                        errors.append(f"ask: {exc!r}")
                    n += 1

        def probe() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    try:
                        count("healthz", client.get("/healthz").status_code)
                        health_ms.append((time.perf_counter() - started) * 1000)
                    except httpx.HTTPError as exc:
                        errors.append(f"healthz: {exc!r}")
                    time.sleep(0.1)

        def write(client: httpx.Client, method: str, doc_id: str, body: dict | None) -> int:
            """One admin write, retried after Retry-After while the index is busy (503)."""
            while True:
                r = client.request(method, f"/v1/documents/{doc_id}", json=body, headers=_auth(keys["admin"]))
                count(method.lower(), r.status_code)
                if r.status_code != 503 or "retry-after" not in r.headers or stop.is_set():
                    return r.status_code
                time.sleep(min(float(r.headers["retry-after"]), 2.0))

        def admin() -> None:
            with httpx.Client(base_url=server.url, timeout=300) as client:
                n = 0
                while not stop.is_set():
                    doc_id = f"notes/n{n}"
                    text = f"# Note {n}\n\nThe code word of note {n} is zq{n}x. It is kept in cabinet {n}."
                    status = write(client, "PUT", doc_id, {"text": text})
                    if status in (200, 201):
                        alive.add(doc_id)
                    elif status >= 500 and status != 503:
                        errors.append(f"PUT {doc_id}: {status}")
                    if n % 3 == 2:
                        victim = f"notes/n{n - 2}"
                        status = write(client, "DELETE", victim, None)
                        if status == 200:
                            alive.discard(victim)
                            deleted.add(victim)
                        elif status >= 500 and status != 503:
                            errors.append(f"DELETE {victim}: {status}")
                    n += 1
                    time.sleep(0.3)

        def ingester() -> None:
            docs, rng = root / "docs", random.Random(21)
            env = os.environ | {"RAGQA_INDEX_DIR": str(root / "index"), "PYTHONPATH": str(REPO)}
            generation = 0
            while not stop.is_set():
                _write_generation(docs, generation, rng, n=20)
                done = subprocess.run([sys.executable, "-m", "ragqa.service.cli", "ingest", str(docs), "--json"],
                                      env=env, capture_output=True, text=True, cwd=REPO, timeout=600)
                ingests["runs"] += 1
                if done.returncode != 0:
                    ingests["failed"] += 1
                    errors.append(f"ingest exit {done.returncode}: {done.stderr[-300:]}")
                generation += 1

        threads = [threading.Thread(target=asker, args=(i,)) for i in range(askers)]
        threads += [threading.Thread(target=probe), threading.Thread(target=admin), threading.Thread(target=ingester)]
        started = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(duration_s)
        stop.set()
        for t in threads:
            t.join(600)
        seconds = time.monotonic() - started
        time.sleep(1.5)  # the server picks up the last CLI publish within RAGQA_RELOAD_POLL_S

        missing, lingering = [], []
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for doc_id in sorted(alive | deleted):
                n = doc_id.rsplit("n", 1)[1]
                hits = client.post("/v1/search", json={"query": f"code word zq{n}x", "top_k": 10},
                                   headers=_auth(keys["user"])).json()["hits"]
                found = any(h["doc_id"] == doc_id for h in hits)
                exists = client.get(f"/v1/documents/{doc_id}", headers=_auth(keys["user"])).status_code == 200
                if doc_id in alive and not (found and exists):
                    missing.append(doc_id)
                if doc_id in deleted and (found or exists):
                    lingering.append(doc_id)
        reader_5xx = sum(c for kind in ("ask", "healthz") for code, c in statuses[kind].items() if code >= 500)
        writer_5xx = sum(c for kind in ("put", "delete") for code, c in statuses[kind].items()
                         if code >= 500 and code != 503)
        health = percentiles(health_ms)
        passed = (reader_5xx == 0 and writer_5xx == 0 and not errors and not missing and not lingering
                  and health.get("p99_ms", 1e9) < 1000 and ingests["runs"] > 0 and bool(alive))
        return {"passed": passed, "duration_s": round(seconds, 1), "askers": askers,
                "asks": sum(statuses["ask"].values()), "ask_latency": percentiles(ask_ms),
                "healthz": health, "statuses": {k: {str(c): n for c, n in v.items()} for k, v in statuses.items()},
                "reader_5xx": reader_5xx, "writer_5xx_other_than_503": writer_5xx,
                "writes_deferred_503": statuses["put"].get(503, 0) + statuses["delete"].get(503, 0),
                "cli_ingests": ingests["runs"], "cli_ingests_failed": ingests["failed"],
                "documents_alive": len(alive), "documents_deleted": len(deleted), "missing": missing[:10],
                "lingering": lingering[:10], "errors": errors[:5]}
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer kills and flood phases, one SIGTERM round")
    parser.add_argument("--only", default=",".join(RUNS), help=f"comma-separated subset of {', '.join(RUNS)}")
    parser.add_argument("--writes-seconds", type=float, default=60.0,
                        help="how long the writes run keeps its askers, writes and ingests going (default 60)")
    args = parser.parse_args(argv)
    profile = PROFILES["quick" if args.quick else "full"]
    only = [r.strip() for r in args.only.split(",") if r.strip()]
    unknown = sorted(set(only) - set(RUNS))
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}: choose from {', '.join(RUNS)}")
    embedder = _embedder()
    runs = {
        "kill9": lambda: soak_kill9(profile["kills"], embedder),
        "damage": lambda: soak_damage(embedder),
        "publish": lambda: soak_publish(profile["publishes"], embedder),
        "flood": lambda: soak_flood_all(profile["flood_rounds"], profile["phase_s"], embedder),
        "sigterm": lambda: soak_sigterm(profile["sigterm_rounds"], embedder),
        "writes": lambda: soak_writes(args.writes_seconds, embedder),
    }
    results: dict = {"profile": "quick" if args.quick else "full", "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                     "command": "python -m bench.soak" + (" --quick" if args.quick else "")}
    for name in only:
        started = time.monotonic()
        print(f"soak: {name} ...", flush=True)
        try:
            results[name] = runs[name]()
        except Exception as exc:
            results[name] = {"passed": False, "error": f"{type(exc).__name__}: {exc}",
                             "traceback": traceback.format_exc()[-2000:]}
        results[name]["seconds"] = round(time.monotonic() - started, 1)
        print(f"soak: {name} {'PASS' if results[name]['passed'] else 'FAIL'} in {results[name]['seconds']} s",
              flush=True)
    results["machine"] = machine()
    path = save("soak", results)
    print(table(["run", "result", "seconds", "figures"],
                [[n, "PASS" if results[n]["passed"] else "FAIL", results[n]["seconds"], _summary(n, results[n])]
                 for n in only]))
    print(f"results: {path}")
    return 0 if all(results[n]["passed"] for n in only) else 1


def _summary(name: str, r: dict) -> str:
    if "error" in r:
        return r["error"][:100]
    if name == "kill9":
        return (f"{r['killed_before_exit']} kills ({r['killed_while_writing']} while writing), "
                f"problems {len(r['problems'])}")
    if name == "damage":
        return f"{sum(f['names_file'] and f['fallback_serves'] for f in r['files'])}/{len(r['files'])} files"
    if name == "publish":
        return f"{r['queries']} queries, {r['failed']} failed, {r['mixed_versions']} mixed, {r['versions_seen']} " \
               "versions"
    if name == "flood":
        parts = []
        for label, key in (("quota 60/min", "at_default_quota"), ("bad keys (info)", "unknown_keys_at_100_per_s"),
                           ("quota 600/min (info)", "heavy_quota_informational")):
            x = r[key]
            parts.append(f"{label}: flooder {x['flooder_rate_per_s']}/s, p99 {x['others_quiet'].get('p99_ms')} -> "
                         f"{x['others_under_flood'].get('p99_ms')} ms (x{x['p99_ratio']})")
        return "; ".join(parts)
    if name == "writes":
        h = r["healthz"]
        return (f"{r['askers']} askers {r['duration_s']} s: {r['asks']} asks, {r['reader_5xx']} reader 5xx, "
                f"healthz p99 {h.get('p99_ms')} ms; {r['cli_ingests']} CLI ingests; writes deferred (503) "
                f"{r['writes_deferred_503']}; {r['documents_alive']} kept all found ({len(r['missing'])} missing), "
                f"{r['documents_deleted']} deleted ({len(r['lingering'])} lingering)")
    if name == "sigterm":
        return "; ".join(f"{x['completed']}/{x['in_flight']} done, {x['new_refused_cleanly']} refused, "
                         f"exit {x['exit_code']}" for x in r["rounds"])
    return ""


if __name__ == "__main__":
    sys.exit(main())
