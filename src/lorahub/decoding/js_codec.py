"""Run a TTN-style JavaScript codec unchanged, in a fresh sandboxed QuickJS context per call.

Both entry points of The Things Network device repository are supported: ``decodeUplink(input)``
returning ``{data, warnings, errors}``, and the older ``Decoder(bytes, fPort)`` returning the
data itself. Codecs run in sloppy mode (several published codecs assign undeclared variables),
ES2020, with a time limit, a memory limit and a stack limit; each call gets a new context and
its own copy of the bytes, so implicit globals and mutated inputs never leak into the next
uplink. ``Date`` works in UTC: the process time zone is pinned to UTC when a codec is loaded,
because codecs format local times.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field

import msgspec
import quickjs
import structlog

from lorahub.domain.json_value import JsonValue
from lorahub.errors import CodecFailure, CodecTimeout, ConfigError, DecodeError

STACK_LIMIT_BYTES = 256 * 1024
MAX_REMEMBERED_WARNINGS = 100  # each distinct warning is logged once, not once per uplink

log = structlog.get_logger("lorahub.codec")

# Calls the codec on input made of plain JSON (a fresh copy per call) and hands back JSON text.
_DRIVER = """(function () {
  var input = %s;
  input.recvTime = new Date(input.recvTime);
  var out;
  if (typeof decodeUplink === "function") {
    out = decodeUplink(input);
  } else {
    out = { data: Decoder(input.bytes, input.fPort) };
  }
  return out === undefined ? "null" : JSON.stringify(out);
})()"""

_result = msgspec.json.Decoder()


@dataclass(frozen=True, slots=True)
class JsLimits:
    """Sandbox limits of one codec call."""

    time_limit_s: float = 0.1
    memory_limit_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class JsResult:
    """What ``decodeUplink`` returned: data (None when the codec gave none), warnings, errors."""

    data: dict[str, JsonValue] | None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def pin_utc() -> None:
    """Make ``Date`` in every codec work in UTC (TZ is process-wide; lorahub runs in UTC)."""
    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        time.tzset()


class JsCodec:
    """One ``codec.js``: checked once at load, then run in a fresh context per uplink."""

    def __init__(self, source: str, origin: str, limits: JsLimits) -> None:
        """Check that the codec compiles and defines an entry point.

        Raises:
            ConfigError: the codec does not compile, or defines neither ``decodeUplink`` nor
                ``Decoder``; the message names ``origin`` (the file).
        """
        self._source = source
        self._origin = origin
        self._limits = limits
        self._warned: set[str] = set()
        pin_utc()
        context = self._context()
        try:
            context.eval(source)
            entry = context.eval(
                "typeof decodeUplink === 'function' ? 'decodeUplink'"
                " : typeof Decoder === 'function' ? 'Decoder' : ''"
            )
        except quickjs.JSException as exc:
            raise ConfigError(f"{origin}: codec does not load: {_first_line(exc)}") from exc
        if not entry:
            raise ConfigError(
                f"{origin}: defines neither decodeUplink(input) nor Decoder(bytes, port)"
            )
        self.entry: str = str(entry)

    def _context(self) -> quickjs.Context:
        context = quickjs.Context()
        context.set_memory_limit(self._limits.memory_limit_bytes)
        context.set_time_limit(self._limits.time_limit_s)
        context.set_max_stack_size(STACK_LIMIT_BYTES)
        return context

    def run(self, payload: bytes, f_port: int, recv_time_ms: int = 0) -> JsResult:
        """Run the codec on one payload and return what it returned.

        Raises:
            CodecTimeout: the codec ran past the time limit.
            CodecFailure: it threw, ran out of memory, overflowed its stack or returned
                something that is not a decodeUplink result.
        """
        context = self._context()
        arguments = json.dumps({"bytes": list(payload), "fPort": f_port, "recvTime": recv_time_ms})
        try:
            context.eval(self._source)
            text = context.eval(_DRIVER % arguments)
        except quickjs.StackOverflow as exc:
            raise CodecFailure(f"{self._origin}: stack overflow") from exc
        except quickjs.JSException as exc:
            message = _first_line(exc)
            if "interrupted" in message:
                limit_ms = self._limits.time_limit_s * 1000
                raise CodecTimeout(f"{self._origin}: stopped after {limit_ms:.0f} ms") from exc
            raise CodecFailure(f"{self._origin}: {message}") from exc
        return _result_of(text, self._origin)

    def decode(self, payload: bytes, f_port: int) -> dict[str, JsonValue]:
        """The catalog's decoder contract: the codec's data, or DecodeError.

        Raises:
            DecodeError: the codec reported errors or returned no data (``undefined``, ``{}``,
                ``{errors: []}``); CodecTimeout / CodecFailure as in ``run``.
        """
        result = self.run(payload, f_port)
        for warning in result.warnings:
            if warning not in self._warned and len(self._warned) < MAX_REMEMBERED_WARNINGS:
                self._warned.add(warning)
                log.info("codec warning", codec=self._origin, warning=warning)
        if result.errors:
            raise DecodeError(f"codec errors: {'; '.join(result.errors)}")
        if not result.data:
            raise DecodeError("codec returned no data")
        return result.data


def _result_of(text: object, origin: str) -> JsResult:
    if not isinstance(text, str):
        raise CodecFailure(f"{origin}: codec result is not serialisable")
    value = _result.decode(text)
    if value is None:
        return JsResult(None)
    if not isinstance(value, dict):
        raise CodecFailure(f"{origin}: decodeUplink returned {type(value).__name__}, not an object")
    data = value.get("data")
    if data is not None and not isinstance(data, dict):
        raise CodecFailure(f"{origin}: data is {type(data).__name__}, not an object")
    return JsResult(data, _strings(value.get("warnings")), _strings(value.get("errors")))


def _strings(value: JsonValue) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, str) else json.dumps(item) for item in value]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
