"""Getting bytes from a URL safely: http(s) only, timeouts, a size cap, checked addresses."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

from index.errors import FetchError

USER_AGENT = "newsbot/0.1 (+https://github.com/; newsroom question answering)"
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """A fetched document: the final URL after redirects, its bytes and declared type."""

    url: str
    data: bytes
    content_type: str | None
    charset: str | None


@dataclass(frozen=True)
class Fetcher:
    """Fetches public web pages; private and internal addresses only when allowed."""

    timeout: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False

    def get(self, url: str) -> Fetched:
        for _ in range(self.max_redirects + 1):
            response = self._request(url)
            if response.status not in _REDIRECTS:
                return self._read(url, response)
            location = response.headers.get("Location")
            response.release_conn()
            if not location:
                raise FetchError(f"{url}: a redirect ({response.status}) without a Location")
            url = urljoin(url, location)
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    def _request(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs can be fetched")
        if not parts.hostname:
            raise FetchError(f"{url}: the URL has no host name")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self._address(url, parts.hostname, port)
        if parts.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                server_hostname=parts.hostname,
                assert_hostname=parts.hostname,
                cert_reqs="CERT_REQUIRED",
                ca_certs=certifi.where(),
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Host": parts.netloc.rpartition("@")[2],
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
            "application/atom+xml, application/json, text/markdown, text/plain;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        }
        try:
            return pool.urlopen(
                "GET",
                target,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            )
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"{url}: could not be fetched ({_reason(error)})") from None

    def _address(self, url: str, host: str, port: int) -> str:
        """Resolve once and connect to what was checked, so a second lookup cannot differ."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise FetchError(f"{url}: the host name {host!r} does not resolve") from None
        addresses = [info[4][0] for info in infos]
        if not self.allow_private:
            for address in addresses:
                if reason := refusal(address):
                    raise FetchError(f"{url}: refused, {host} is {reason} address ({address})")
        return addresses[0]

    def _read(self, url: str, response) -> Fetched:
        try:
            if response.status >= 400:
                raise FetchError(f"{url}: the server answered {response.status} {response.reason}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(
                    f"{url}: {int(declared):,} bytes, over the {self.max_bytes:,}-byte limit"
                )
            body = bytearray()
            for chunk in response.stream(_CHUNK, decode_content=True):
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"{url}: more than the {self.max_bytes:,}-byte limit")
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"{url}: could not be read ({_reason(error)})") from None
        finally:
            response.release_conn()
        content_type, charset = _media_type(response.headers.get("Content-Type"))
        return Fetched(url, bytes(body), content_type, charset)


def refusal(address: str) -> str | None:
    """Why an address may not be fetched from ("a private"), or None if it is public."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
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
