"""uvicorn's h11 protocol with read deadlines: a request head within header_timeout_s, a body within body_timeout_s.

uvicorn arms no timer while a request is being read (its keep-alive timer covers only idle time between
requests, and any byte disarms it), so a client sending half a head, or half a body, held a connection and
its task forever. Each deadline is total for its phase (trickling bytes does not extend it).
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("ragqa.server")

_TIMEOUT_BODY = b"The request was not sent in time.\r\n"
_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                     b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY))


class TimedH11Protocol(H11Protocol):
    header_timeout_s = 10.0
    body_timeout_s = 60.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._phase: str | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._fresh = True  # no request head seen yet on this connection
        self._track()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._track()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._track()

    def connection_lost(self, exc: Exception | None) -> None:
        self._set_phase(None)
        super().connection_lost(exc)

    def _track(self) -> None:
        """Which deadline applies now: the head's (a new connection, or part of a next request buffered)."""
        if self.transport.is_closing():
            self._set_phase(None)
            return
        state = self.conn.their_state
        if state is not h11.IDLE:
            self._fresh = False
        if state is h11.SEND_BODY:
            self._set_phase("body")
        elif state is h11.IDLE and (self._fresh or self.conn.trailing_data[0]):
            self._set_phase("head")
        else:
            self._set_phase(None)  # idle between requests (keep-alive timer), or the request is complete

    def _set_phase(self, phase: str | None) -> None:
        if phase == getattr(self, "_phase", None):
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._phase = phase
        if phase is not None:
            seconds = self.header_timeout_s if phase == "head" else self.body_timeout_s
            self._timer = self.loop.call_later(seconds, self._expired, phase)

    def _expired(self, phase: str) -> None:
        self._timer = None
        if self._phase != phase or self.transport.is_closing():
            return
        log.warning("closing a connection from %s: request %s not received in time", self.client and self.client[0],
                    phase)
        if phase == "head":
            self.transport.write(_TIMEOUT_RESPONSE)  # nothing was answered on it yet
        self._phase = None
        self.transport.close()


def timed_protocol(*, header_timeout_s: float, body_timeout_s: float) -> type[TimedH11Protocol]:
    """The protocol class for uvicorn.Config(http=...), with these deadlines."""
    return type("RagqaH11Protocol", (TimedH11Protocol,),
                {"header_timeout_s": header_timeout_s, "body_timeout_s": body_timeout_s})
