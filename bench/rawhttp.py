"""A lean HTTP/1.1 keep-alive POST client on asyncio streams, for the open-loop sender.

With httpx's async client the sender's process used 70-80% of a core at about 90 requests/s
on this 2-core machine while the webhook receiver idled: the end-to-end benchmark measured
its own load generator. This one does only what
the benchmark needs (POST with a body, Content-Length responses, keep-alive) at a fraction of
the cost. Not a general client: no chunked responses, redirects or TLS.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class RawHttpError(RuntimeError):
    """The server closed the connection or answered something this client does not read."""


class Connection:
    """One keep-alive connection; reopened after the server closes it."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        """POST and return the status code (the response body is read and dropped)."""
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        try:
            return await self._read_response(self._reader)
        except (ValueError, IndexError) as err:  # a status line or header this cannot read
            self.close()
            raise RawHttpError(f"unreadable response: {err}") from err
        except (RawHttpError, ConnectionError, asyncio.IncompleteReadError):
            self.close()
            raise

    async def _read_response(self, reader: asyncio.StreamReader) -> int:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, close = None, False
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            elif name.strip().lower() == "connection" and value.strip().lower() == "close":
                close = True
        if length is None:
            raise RawHttpError(f"response without Content-Length (status {status})")
        await reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        """Drop the connection (the next post opens a new one)."""
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
