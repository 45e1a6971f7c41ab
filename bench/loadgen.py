"""A small HTTP/1.1 load generator (asyncio, keep-alive), so the HTTP benchmark needs nothing
beyond Python: N connections each send the next request as soon as the previous answer is read.

Latencies are measured per request from the first byte sent to the last byte read.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Request:
    """One request to send: method, path, extra headers, body."""

    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{key}: {value}" for key, value in self.headers.items()]
        if self.body or self.method == "POST":
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class Result:
    """What one run measured."""

    latencies: list[float]
    statuses: dict[int, int]
    errors: int
    seconds: float
    bodies: list[bytes] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, share: float) -> float:
        """Latency in ms at ``share`` (0.5 = median)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(parts)
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return status, headers, body


async def _connection(host: str, port: int, next_request: Callable[[], Request | None],
                      stop_at: float, result: Result, keep: bool) -> None:
    reader = writer = None
    while time.perf_counter() < stop_at:
        request = next_request()
        if request is None:
            break
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            begin = time.perf_counter()
            writer.write(request.encode(f"{host}:{port}"))
            await writer.drain()
            status, headers, body = await _read_response(reader)
            result.latencies.append(time.perf_counter() - begin)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if keep:
                result.bodies.append(body)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            result.errors += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


def run(host: str, port: int, next_request: Callable[[], Request | None], *,
        connections: int = 8, seconds: float = 5.0, keep_bodies: bool = False) -> Result:
    """Send requests from ``next_request`` over ``connections`` for ``seconds`` (or until it
    returns None)."""
    result = Result(latencies=[], statuses={}, errors=0, seconds=0.0)

    async def main():
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(_connection(host, port, next_request, stop_at, result, keep_bodies)
                               for _ in range(connections)))

    begin = time.perf_counter()
    asyncio.run(main())
    result.seconds = time.perf_counter() - begin
    return result
