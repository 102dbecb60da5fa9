"""Fetching over HTTP as a good client does: timeouts, retries with backoff, the server's own
rate limit and Retry-After respected, conditional requests, a bounded body; every response
kept with its URL, time and SHA-256 (``Fetched``), whatever became of it.

httpx does the HTTP; the retry loop is naravard's, because it must follow ``Retry-After``
(seconds or an HTTP date) and the rate limit a PxWeb server announces in ``/config``, which
general retry libraries leave to the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.utils import timezone

import naravard
from naravard.core.errors import Failed

RETRIED = frozenset({429, 500, 502, 503, 504})
MAX_BYTES = 256 * 1024 * 1024  # a larger answer is refused before it fills the memory
USER_AGENT = f"naravard/{naravard.__version__} (+https://github.com/naravard)"


class SourceError(Failed):
    """A source could not be read: unreachable, an error answer, or not what it should be."""


@dataclass
class Fetched:
    """One response as it came."""

    method: str
    url: str
    request_body: str
    status: int
    content: bytes
    headers: dict[str, str]
    fetched_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest() if self.content else ""

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def json(self) -> Any:
        """The body as JSON; a SourceError saying where if it is not."""
        try:
            return json.loads(self.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            start = self.content[:80].decode("utf-8", "replace")
            raise SourceError(
                f"{self.url}: svaret är inte JSON ({str(exc)[:120]}); det börjar {start!r}"
            ) from exc


@dataclass(frozen=True)
class Validators:
    """What the server said of a response's version last time (ETag, Last-Modified)."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


class RateLimit:
    """At most ``calls`` requests in any ``window`` seconds (a sliding window)."""

    def __init__(self, calls: int, window: float, clock: Callable[[], float], sleep):
        self.calls, self.window = max(1, calls), max(0.0, window)
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.sent and self.sent[0] <= now - self.window:
            self.sent.popleft()
        if len(self.sent) >= self.calls:
            self.sleep(self.sent[0] + self.window - now)
            self.sent.popleft()
        self.sent.append(self.clock())


def retry_after(value: str, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (a number or an HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def _detail(response: Fetched) -> str:
    """The error an answer gives in words (problem+json's detail, Kolada's error), shortened."""
    try:
        doc = json.loads(response.content.decode("utf-8", "replace"))
    except (json.JSONDecodeError, RecursionError):
        doc = None
    if isinstance(doc, dict):
        parts = [str(doc[k]) for k in ("title", "detail", "error", "message") if doc.get(k)]
        if parts:
            return ": ".join(parts)[:300]
    text = response.content.decode("utf-8", "replace").strip()
    return " ".join(text.split())[:200]


class Fetcher:
    """One source's HTTP client. ``requests`` counts every request sent (retries too);
    ``log`` keeps every response in order."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        attempts: int = 4,
        backoff: float = 1.0,
        max_wait: float = 300.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[str], None] | None = None,
    ):
        self.timeout, self.attempts, self.backoff, self.max_wait = (
            timeout,
            max(1, attempts),
            backoff,
            max_wait,
        )
        self.sleep, self.clock, self.on_request = sleep, clock, on_request
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=True,
        )
        self.limit: RateLimit | None = None
        self.requests = 0
        self.log: list[Fetched] = []

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def rate_limit(self, calls: int, window: float) -> None:
        """Keep to the server's announced limit from now on."""
        self.limit = RateLimit(calls, window, self.clock, self.sleep)

    def get(self, url: str, params: Any = None, *, validators: Validators | None = None) -> Fetched:
        return self.request("GET", url, params=params, validators=validators)

    def post(self, url: str, body: Any, params: Any = None) -> Fetched:
        return self.request("POST", url, params=params, body=body)

    def _send(self, method: str, url: str, params, body, headers) -> Fetched:
        if self.limit:
            self.limit.wait()
        self.requests += 1
        text = "" if body is None else json.dumps(body, ensure_ascii=False)
        with self.client.stream(
            method,
            url,
            params=params,
            content=text.encode() if body is not None else None,
            headers=headers | ({"Content-Type": "application/json"} if body is not None else {}),
        ) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise SourceError(
                        f"{response.url}: svaret är större än {MAX_BYTES // 2**20} MB; "
                        "fråga efter färre celler"
                    )
                chunks.append(chunk)
            fetched = Fetched(
                method,
                str(response.url),
                text,
                response.status_code,
                b"".join(chunks),
                {k.lower(): v for k, v in response.headers.items()},
            )
        self.log.append(fetched)
        if self.on_request:
            self.on_request(fetched.url)
        return fetched

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        body: Any = None,
        validators: Validators | None = None,
    ) -> Fetched:
        """The answer, after up to ``attempts`` tries; a SourceError for an error answer or
        when the server cannot be reached. A 304 is an answer (the caller's version holds)."""
        headers = {"Accept": "application/json, */*;q=0.5"} | (
            validators.headers() if validators else {}
        )
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                fetched = self._send(method, url, params, body, headers)
            except httpx.TimeoutException as exc:
                if last:
                    raise SourceError(
                        f"{url}: inget svar inom {self.timeout:g} s, {attempt} försök"
                    ) from exc
                self.sleep(self._backoff(attempt))
                continue
            except httpx.TransportError as exc:
                if last:
                    raise SourceError(
                        f"{url}: kunde inte nås ({type(exc).__name__}: {str(exc)[:120]}), "
                        f"{attempt} försök"
                    ) from exc
                self.sleep(self._backoff(attempt))
                continue
            if fetched.status in RETRIED:
                wait = retry_after(fetched.headers.get("retry-after", ""))
                if wait is not None and wait > self.max_wait:
                    raise SourceError(
                        f"{url}: servern svarade {fetched.status} och ber oss vänta "
                        f"{wait:.0f} s; försök igen senare"
                    )
                if not last:
                    self.sleep(wait if wait is not None else self._backoff(attempt))
                    continue
                raise SourceError(
                    f"{url}: servern svarade {fetched.status} efter {attempt} försök "
                    f"({_detail(fetched)})"
                )
            if fetched.status >= 400:
                raise SourceError(f"{fetched.url}: {fetched.status} {_detail(fetched)}")
            return fetched
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        base = self.backoff * 2 ** (attempt - 1)
        return min(self.max_wait, base + random.uniform(0, self.backoff / 2))
