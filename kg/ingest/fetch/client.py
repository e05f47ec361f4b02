"""A polite HTTP client for the paper services: rate limit, retries, back-off.

Every service call goes through :class:`HttpClient.get`, which

* waits so that requests are at least :attr:`HttpPolicy.interval` seconds
  apart (arXiv asks for 3 s, OpenAlex allows 10 requests a second);
* retries what is worth retrying: 429 (honouring ``Retry-After``, in seconds
  or as an HTTP date), 408, 500, 502, 503, 504, dropped connections, time-outs,
  and a body that breaks off or cannot be parsed; with exponential back-off
  and a little jitter;
* turns everything else into one :class:`~kg.errors.FetchError` line that
  says what happened and what to do.

The waits go through :attr:`HttpPolicy.sleep`, so tests can record them
instead of sleeping.

Examples
--------
>>> policy = HttpPolicy(interval=0, retries=0, connect_retries=0, timeout=1)
>>> client = HttpClient("Example", policy)
>>> client.get("http://127.0.0.1:9/nothing", {}, bytes)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
kg.errors.FetchError: [KG160] cannot reach Example at 127.0.0.1:9 (Connection refused) ...
"""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from kg import __version__
from kg.errors import FetchError

__all__ = ["USER_AGENT", "HttpClient", "HttpPolicy", "retry_after_seconds"]

T = TypeVar("T")

USER_AGENT = f"research-kg/{__version__} (https://pypi.org/project/research-kg/)"

#: Status codes worth a retry: the service is busy or briefly broken.
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass
class HttpPolicy:
    """How politely and how stubbornly to ask.

    Parameters
    ----------
    interval : float
        Least seconds between two requests.
    retries : int
        Retries of a request after a retryable status, a dropped connection
        or an unreadable body.
    connect_retries : int
        Retries when the host cannot be reached at all (no network, wrong URL).
    backoff, max_backoff : float
        The first back-off in seconds, doubled on each retry up to ``max_backoff``.
    max_retry_after : float
        A ``Retry-After`` longer than this stops the fetch with a message
        instead of waiting (the fetch can be resumed later).
    timeout : float
        Seconds to wait for the service to answer.
    sleep, clock : callable
        ``time.sleep`` and ``time.monotonic``; tests pass their own.
    """

    interval: float = 1.0
    retries: int = 5
    connect_retries: int = 2
    backoff: float = 2.0
    max_backoff: float = 60.0
    max_retry_after: float = 600.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    >>> retry_after_seconds("7"), retry_after_seconds(None), retry_after_seconds("soon")
    (7.0, None, None)
    >>> retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0)
    60.0
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class _RetryError(Exception):
    """A failure worth another try; ``wait`` is the server's Retry-After, if it gave one."""

    def __init__(self, reason: str, wait: float | None = None, connect: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.connect = connect


def _error_detail(body: bytes) -> str:
    """The message a service put in an error body (JSON ``error``/``message``), cut short."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, Mapping):
        for key in ("message", "error", "detail"):
            if isinstance(data.get(key), str) and data[key].strip():
                text = data[key]
                break
    elif text.startswith("<"):  # arXiv's error feed puts the message in <summary>; else drop the tags
        summary = re.search(r"<summary[^>]*>(.*?)</summary>", text, re.DOTALL)
        text = summary.group(1) if summary else re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:200] + ("..." if len(text) > 200 else "")


@dataclass
class HttpClient:
    """GET requests to one service with the politeness and retries of ``policy``.

    ``label`` names the service in messages ("arXiv"); ``headers`` are sent with
    every request (an API key); ``notify`` hears about waits and retries;
    ``env_var`` (the service URL) and ``key_env`` (its API key) are named in
    the fixes of error messages; ``retry_status`` are the statuses retried.
    """

    label: str
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    headers: Mapping[str, str] = field(default_factory=dict)
    notify: Callable[[str], None] | None = None
    env_var: str | None = None
    key_env: str | None = None
    retry_status: frozenset[int] = RETRY_STATUS
    requests: int = 0
    _last: float | None = None

    def _wait_turn(self) -> None:
        if self._last is not None and self.policy.interval > 0:
            wait = self._last + self.policy.interval - self.policy.clock()
            if wait > 0:
                self.policy.sleep(wait)
        self._last = self.policy.clock()

    def _backoff(self, attempt: int) -> float:
        base = min(self.policy.max_backoff, self.policy.backoff * 2**attempt)
        return base * (1 + random.random() / 4)

    def _fix(self) -> str:
        where = f" or the service URL ({self.env_var})" if self.env_var else ""
        return f"check your network connection{where}, then run the same command again to resume"

    def _once(self, url: str, parse: Callable[[bytes], T]) -> T:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **self.headers})
        host = urlsplit(url).netloc
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.policy.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as err:
            try:
                detail = _error_detail(err.read())
            except (OSError, http.client.HTTPException):
                detail = ""
            if err.code in self.retry_status:
                wait = retry_after_seconds(err.headers.get("Retry-After")) if err.headers else None
                what = "rate limited" if err.code == 429 else f"HTTP {err.code}"
                raise _RetryError(f"{self.label} answered {what}", wait) from err
            key_fix = f"set {self.key_env} to your API key, or check it" if self.key_env else self._fix()
            fixes = {
                400: "check the query syntax and options",
                401: key_fix,
                403: key_fix,
                404: f"check the service URL{f' ({self.env_var})' if self.env_var else ''}",
            }
            raise FetchError(
                f"{self.label} refused the request with HTTP {err.code}" + (f": {detail}" if detail else ""),
                fix=fixes.get(err.code, self._fix()),
            ) from err
        except urllib.error.URLError as err:
            reason = err.reason
            text = getattr(reason, "strerror", None) or str(reason)
            if isinstance(reason, TimeoutError):
                raise _RetryError(f"{self.label} did not answer in {self.policy.timeout:g} s") from err
            raise _RetryError(f"cannot reach {self.label} at {host} ({text})", connect=True) from err
        except TimeoutError as err:
            raise _RetryError(f"{self.label} did not answer in {self.policy.timeout:g} s") from err
        except (http.client.HTTPException, ConnectionError, OSError) as err:
            name = type(err).__name__
            raise _RetryError(f"{self.label} dropped the connection mid-answer ({name})") from err
        try:
            return parse(body)
        except FetchError:
            raise
        except Exception as err:  # a body cut short, or an error page in place of the data
            raise _RetryError(f"{self.label} sent an answer that cannot be read ({type(err).__name__})") from err

    def get(self, url: str, params: Mapping[str, object], parse: Callable[[bytes], T]) -> T:
        """GET ``url`` with query ``params`` and return ``parse(body)``, retrying as the policy says.

        Raises
        ------
        FetchError
            When the service cannot be reached, refuses the request, or keeps
            failing after the retries.
        """
        query = urlencode({k: v for k, v in params.items() if v is not None})
        full = f"{url}?{query}" if query else url
        attempt = connects = 0
        while True:
            self._wait_turn()
            try:
                return self._once(full, parse)
            except _RetryError as retry:
                if retry.connect:
                    connects += 1
                    if connects > self.policy.connect_retries:
                        raise FetchError(retry.reason, fix=self._fix()) from retry
                else:
                    attempt += 1
                    if attempt > self.policy.retries:
                        raise FetchError(
                            f"{retry.reason}; gave up after {attempt} tries", fix=self._fix()
                        ) from retry
                if retry.wait is not None and retry.wait > self.policy.max_retry_after:
                    raise FetchError(
                        f"{retry.reason}: asked to wait {retry.wait:.0f} s",
                        fix="run the same command again later to resume where it stopped",
                    ) from retry
                delay = retry.wait if retry.wait is not None else self._backoff(attempt + connects - 1)
                delay = max(delay, self.policy.interval)
                if self.notify and not retry.connect:
                    self.notify(f"{retry.reason}; retrying in {delay:.1f} s")
                self.policy.sleep(delay)
                self._last = self.policy.clock() - self.policy.interval  # the back-off was the polite wait

    def get_json(self, url: str, params: Mapping[str, object]) -> Any:
        """GET and parse JSON (a body that breaks off is retried)."""
        return self.get(url, params, json.loads)
