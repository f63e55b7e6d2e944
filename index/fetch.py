"""Getting bytes from a URL safely: http(s) only, timeouts, a size cap, checked addresses."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

from index.errors import FetchError

USER_AGENT = "newsbot/0.1 (+https://github.com/; newsroom question answering)"
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
MAX_URL_CHARS = 2000
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Resolver = Callable[[str, int], list[str]]


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for a host (raises OSError if none)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


@dataclass(frozen=True)
class Fetched:
    """A fetched document: the final URL after redirects, its bytes and declared type."""

    url: str
    data: bytes
    content_type: str | None
    charset: str | None
    status: int = 200  # 304: not modified since the validators sent (no body was read)
    etag: str | None = None  # validators for the next conditional request
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetcher:
    """Fetches public web pages; private and internal addresses only when allowed.

    Every URL, the first and each redirect's, is checked before any connection is made: its
    scheme, then every address its host resolves to; the connection then goes to the address
    that was checked. `resolve` is the name lookup (the system's by default). `dial` says where
    to open the socket for a checked address; it is None (the address itself) everywhere but
    in tests, where it lets a public-looking address reach a server on 127.0.0.1 while the
    policy still judges the public one.
    """

    timeout: float = 10.0  # seconds to connect, and for each read
    max_bytes: int = 5_000_000  # after decompression
    max_redirects: int = 5
    allow_private: bool = False
    resolve: Resolver = system_resolve
    dial: Callable[[str, int], tuple[str, int]] | None = None

    @property
    def deadline(self) -> float:
        """Seconds the whole download may take, however slowly the server drips it."""
        return 6 * self.timeout

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """The document at `url`. `headers` may make the request conditional (If-None-Match,
        If-Modified-Since): a 304 answer then comes back with status 304 and no body."""
        started, first = time.monotonic(), url
        for hop in range(self.max_redirects + 1):
            try:
                pool, response = self._request(url, headers or {})
            except FetchError as error:
                if hop == 0:
                    raise
                raise FetchError(f"{shown(first)}: redirected to {error}") from None
            try:
                if response.status == 304:
                    return Fetched(url, b"", None, None, 304, *_validators(response, headers))
                if response.status not in _REDIRECTS:
                    return self._read(url, response, started)
                location = response.headers.get("Location")
            finally:
                response.release_conn()
                pool.close()
            if not location:
                raise FetchError(f"{shown(url)}: a redirect ({response.status}) without a Location")
            url = urljoin(url, location.strip())
        raise FetchError(f"{shown(first)}: more than {self.max_redirects} redirects")

    def _request(self, url: str, extra: Mapping[str, str]):
        parts = checked_url(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address, port = self._address(url, parts.hostname, port)
        if parts.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                server_hostname=parts.hostname,
                assert_hostname=parts.hostname,
                cert_reqs="CERT_REQUIRED",
                ca_certs=certifi.where(),
                retries=False,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, retries=False)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Host": parts.netloc,
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
            "application/atom+xml, application/json, text/markdown, text/plain;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
            **{k: v for k, v in extra.items() if k.lower().startswith("if-")},
        }
        try:
            response = pool.urlopen(
                "GET",
                target,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            )
        except urllib3.exceptions.HTTPError as error:
            pool.close()
            raise FetchError(f"{shown(url)}: could not be fetched ({_reason(error)})") from None
        return pool, response

    def _address(self, url: str, host: str, port: int) -> tuple[str, int]:
        """Resolve once and connect to what was checked, so a second lookup cannot differ."""
        try:
            addresses = self.resolve(host, port)
        except (OSError, UnicodeError):
            raise FetchError(f"{shown(url)}: the host name {host!r} does not resolve") from None
        if not addresses:
            raise FetchError(f"{shown(url)}: the host name {host!r} does not resolve")
        if not self.allow_private:
            for address in addresses:
                if reason := refusal(address):
                    raise FetchError(
                        f"{shown(url)}: refused, {host} is {reason} address ({address}); "
                        "only public web addresses are fetched"
                    )
        address = addresses[0]
        return self.dial(address, port) if self.dial else (address, port)

    def _read(self, url: str, response, started: float) -> Fetched:
        if response.status >= 400:
            error = FetchError(
                f"{shown(url)}: the server answered {response.status} {response.reason}"
            )
            error.retry_after = _retry_after(response.headers.get("Retry-After"))
            raise error
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"{shown(url)}: {int(declared):,} bytes, over the {self.max_bytes:,}-byte limit"
            )
        body = bytearray()
        try:
            # read1: one read from the socket at a time (each within the read timeout), and
            # at most _CHUNK bytes once decompressed, so neither a slow drip nor a
            # decompression bomb gets past the checks below.
            while chunk := response.read1(_CHUNK, decode_content=True):
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"{shown(url)}: more than the {self.max_bytes:,}-byte limit")
                if time.monotonic() - started > self.deadline:
                    raise FetchError(
                        f"{shown(url)}: timed out (still downloading after {self.deadline:.0f} s)"
                    )
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"{shown(url)}: could not be read ({_reason(error)})") from None
        content_type, charset = _media_type(response.headers.get("Content-Type"))
        return Fetched(
            url, bytes(body), content_type, charset, response.status, *_validators(response)
        )


def _validators(response, sent: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of a response; a 304 may omit them, keeping those sent."""
    sent = {k.lower(): v for k, v in (sent or {}).items()}
    etag = response.headers.get("ETag") or sent.get("if-none-match")
    modified = response.headers.get("Last-Modified") or sent.get("if-modified-since")
    return etag, modified


def _retry_after(value: str | None) -> float | None:
    """Seconds a 429 or 503 asks the client to wait (only the delay-seconds form is read)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def checked_url(url: str):
    """The parts of a URL that may be fetched, or a FetchError saying why it may not."""
    if len(url) > MAX_URL_CHARS:
        raise FetchError(f"{shown(url)[:100]}…: a URL longer than {MAX_URL_CHARS:,} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise FetchError(f"{shown(url)}: not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{shown(url)}: only http and https URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{shown(url)}: the URL has no host name")
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            f"{shown(url)}: a URL with a user name or password is not fetched "
            "(it would be stored and shown in citations)"
        )
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise FetchError(f"{shown(url)}: the URL holds spaces or control characters")
    return parts


def shown(url: str) -> str:
    """A URL as it may appear in a message: without any user name or password in it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="…@" + parts.netloc.rpartition("@")[2]).geturl()


def refusal(address: str) -> str | None:
    """Why an address may not be fetched from ("a private"), or None if it is public.

    IPv6 addresses that carry an IPv4 one (mapped, 6to4, NAT64) are judged by the IPv4 one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif ip.sixtofour:
            ip = ip.sixtofour
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    checks = (
        (ip.is_loopback, "a loopback"),
        (ip.is_link_local, "a link-local"),
        (ip.is_multicast, "a multicast"),
        (ip.is_private, "a private"),
        (ip.is_reserved or ip.is_unspecified, "a reserved"),
        (not ip.is_global, "a non-public"),
    )
    return next((reason for failed, reason in checks if failed), None)


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media, *params = (part.strip() for part in header.split(";"))
    charset = next(
        (p.split("=", 1)[1].strip("\"'") for p in params if p.lower().startswith("charset=")), None
    )
    return media.lower() or None, charset


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    text = str(reason).split(": ", 1)[-1]
    return "timed out" if "timed out" in text.lower() else text[:200]
