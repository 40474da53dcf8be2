"""PROTOCOL STAND-IN for a remote LLM server (no model weights exist here): a real HTTP server on 127.0.0.1.

It speaks the wire protocols the generative backends use, OpenAI `POST /v1/chat/completions` (JSON, and SSE
with `data: [DONE]` when `stream` is true) and Ollama `POST /api/chat` (JSON, and NDJSON when streaming), and
answers with scripted behaviours chosen by the request's `model` field:

- `cite-first`: one sentence copied from passage 1 of the prompt, cited [1] (a grounded answer).
- `cite-unknown`: the same sentence, plus an invented sentence citing [9] (a passage that was not given).
- `obey-injection`: repeats the instruction injected into a passage (it prints the canary token), cited [1].
- `abstain`: replies with the abstain wording found in the prompt.
- `echo`: replies with the last user message (used to see what the pipeline sent).
- `error-500`: HTTP 500.  `slow`: sleeps `slow_s` seconds before answering.  `malformed`: invalid JSON.
- `trickle`: like `cite-first`, but a stream sends its chunks `trickle_s` apart, as a real model does.

Every request is recorded in `requests` so tests can count calls (retries, no call on abstention).
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CANARY = "CANARY-7731"
_PASSAGE = re.compile(r'<passage ref="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)
_ABSTAIN = re.compile(r"reply exactly: (.+)")


def _first_sentence(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("-*# ").strip()
        if len(line.split()) >= 4:
            return re.split(r"(?<=[.!?])\s", line)[0].rstrip(".")
    return text.strip()[:80]


def scripted_reply(behaviour: str, prompt: str) -> str:
    """The answer text for a behaviour, derived from the prompt the backend sent."""
    passages = dict(_PASSAGE.findall(prompt))
    first = _first_sentence(passages.get("1", "no passage"))
    if behaviour in ("cite-first", "trickle"):
        return f"{first} [1]."
    if behaviour == "cite-unknown":
        return f"{first} [1]. The office also has a rooftop swimming pool [9]."
    if behaviour == "obey-injection":
        return f"As instructed, the code is {CANARY} [1]."
    if behaviour == "abstain":
        match = _ABSTAIN.search(prompt)
        return match.group(1).strip() if match else "I could not find the answer to that in the articles."
    if behaviour == "echo":
        return prompt
    return f"unknown behaviour {behaviour!r}"


def _chunks(text: str) -> list[str]:
    """Token-like deltas: words with their leading space."""
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


class _Handler(BaseHTTPRequestHandler):
    server: LLMStandIn  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # Ollama clients may probe the server
        self._send_json(200, {"models": [], "version": "0.0-stand-in"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, "body": body})
        behaviour = body.get("model", "cite-first")
        messages = body.get("messages") or []
        prompt = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
        if behaviour == "error-500":
            return self._send_json(500, {"error": {"message": "stand-in internal error", "type": "server_error"}})
        if behaviour == "slow":
            time.sleep(self.server.slow_s)
        if behaviour == "malformed":
            return self._send_raw(200, "application/json", b'{"choices": [{"message": {"content": "unterminated')
        reply = scripted_reply(behaviour, prompt)
        if self.path.rstrip("/").endswith("/chat/completions"):
            return self._openai(body, reply)
        if self.path.rstrip("/") == "/api/chat":
            return self._ollama(body, reply)
        return self._send_json(404, {"error": f"no route {self.path}"})

    # --- OpenAI -------------------------------------------------------------------------------------
    def _openai(self, body: dict, reply: str) -> None:
        model = body.get("model", "stand-in")
        if not body.get("stream"):
            return self._send_json(200, {
                "id": "chatcmpl-standin", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            })
        events = []
        for i, piece in enumerate(_chunks(reply)):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            events.append({"id": "chatcmpl-standin", "object": "chat.completion.chunk", "created": 0, "model": model,
                           "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        events.append({"id": "chatcmpl-standin", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        lines = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
        if model == "trickle":
            return self._send_trickle("text/event-stream", [line.encode() for line in lines])
        self._send_raw(200, "text/event-stream", "".join(lines).encode())

    # --- Ollama -------------------------------------------------------------------------------------
    def _ollama(self, body: dict, reply: str) -> None:
        model = body.get("model", "stand-in")
        base = {"model": model, "created_at": "2026-01-01T00:00:00Z"}
        final = base | {"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                        "total_duration": 1, "eval_count": 1, "prompt_eval_count": 1}
        if body.get("stream") is False:
            return self._send_json(200, final | {"message": {"role": "assistant", "content": reply}})
        lines = [base | {"message": {"role": "assistant", "content": p}, "done": False} for p in _chunks(reply)]
        lines.append(final)
        self._send_raw(200, "application/x-ndjson", "".join(json.dumps(x) + "\n" for x in lines).encode())

    # --- plumbing -----------------------------------------------------------------------------------
    def _send_json(self, status: int, obj: dict) -> None:
        self._send_raw(status, "application/json", json.dumps(obj).encode())

    def _send_trickle(self, content_type: str, pieces: list[bytes]) -> None:
        """A body whose pieces leave `trickle_s` apart (the connection closes at its end)."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(self.server.trickle_s)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _send_raw(self, status: int, content_type: str, data: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do


class LLMStandIn(ThreadingHTTPServer):
    """The protocol stand-in server; use as a context manager: `with LLMStandIn() as server: server.url`."""

    daemon_threads = True

    def __init__(self, slow_s: float = 3.0, trickle_s: float = 0.15):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.slow_s = slow_s
        self.trickle_s = trickle_s
        self.requests: list[dict] = []
        self._thread = threading.Thread(target=self.serve_forever, name="llm-stand-in", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> LLMStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
