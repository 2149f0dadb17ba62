"""HTTP plumbing of the client: bearer key, bounded timeouts, typed errors, retries of idempotent reads,
and the streamed multipart body of an upload."""
from __future__ import annotations

import os
import time
import uuid
from typing import Any, Dict, Iterator, Optional, Type, TypeVar

import requests

from .errors import ConfigError, api_error

CHUNK = 1 << 20
MAX_RETRY_WAIT = 30.0
# (connect, read) timeouts of the long transfers: uploads, mask streams, export downloads.
LONG = 600.0
T = TypeVar("T", bound="Transport")


def multipart_file(path: str, field: str = "file", content_type: str = "video/mp4") -> tuple:
    """A multipart/form-data body of one file as (generator, content type): the file is read chunk by chunk."""
    boundary = "masklet-" + uuid.uuid4().hex
    name = os.path.basename(path).replace('"', "_")
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode()

    def gen() -> Iterator[bytes]:
        yield head
        with open(path, "rb") as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    return gen(), f"multipart/form-data; boundary={boundary}"


class Transport:
    """One API base URL with one API key."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 60.0, session: Optional[requests.Session] = None,
                 retries: int = 2):
        if not base_url:
            raise ConfigError("no API URL: set MASKLET_URL (e.g. http://localhost:3000)")
        if not api_key:
            raise ConfigError("no API key: set MASKLET_API_KEY")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.http = session or requests.Session()
        self.http.headers["authorization"] = f"Bearer {api_key}"
        self.http.headers["user-agent"] = "masklet-python/0.1"

    @classmethod
    def from_env(cls: Type[T], env: Optional[Dict[str, str]] = None) -> T:
        e = os.environ if env is None else env
        return cls(e.get("MASKLET_URL", ""), e.get("MASKLET_API_KEY", ""))

    def _send(self, method: str, path: str, **kw: Any) -> requests.Response:
        """One request; a GET answered 503 or 429 (a dependency down, rate limit) is retried up to
        `self.retries` times after its Retry-After (at most MAX_RETRY_WAIT s). Other methods are not retried:
        a POST may have taken effect."""
        kw.setdefault("timeout", self.timeout)
        for attempt in range(self.retries + 1):
            try:
                res = self.http.request(method, self.base_url + path, **kw)
            except requests.ConnectionError as e:
                raise ConfigError(f"cannot reach the API at {self.base_url}: {e}") from e
            if res.status_code < 400:
                return res
            text = res.text
            try:
                body = res.json()
            except ValueError:
                body = None
            ra = res.headers.get("retry-after")
            err = api_error(res.status_code, body, text, float(ra) if ra and ra.isdigit() else None)
            if not (err.retryable and method == "GET" and attempt < self.retries):
                raise err
            time.sleep(min(MAX_RETRY_WAIT, err.retry_after if err.retry_after is not None else 1.0))
        raise AssertionError("unreachable")

    def _json(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        res = self._send(method, path, json=body, **kw) if body is not None else self._send(method, path, **kw)
        return res.json() if res.content else None
