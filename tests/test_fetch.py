"""Fetching URLs over real HTTP from a server on 127.0.0.1: types, redirects, limits, refusals."""

from __future__ import annotations

import gzip

import pytest

from index.errors import FetchError
from index.fetch import Fetcher, refusal
from index.ingest.sources import ingest
from tests.conftest import SAMPLES
from tests.webserver import WebServer, body, redirect, slow

PAGE = (SAMPLES / "harbor-bridge-vote.html").read_bytes()
FEED = (SAMPLES / "valley-wire.rss").read_bytes()
BOMB = gzip.compress(b"<p>" + b"a" * 20_000_000 + b"</p>")


@pytest.fixture
def server():
    routes = {
        "/story": body(PAGE, "text/html; charset=utf-8"),
        "/feed": body(FEED, "application/rss+xml"),
        "/moved": redirect("/story", 301),
        "/loop": redirect("/loop"),
        "/big": body(b"x" * 2_000, "text/plain"),
        "/bomb": body(BOMB, "text/html", headers={"Content-Encoding": "gzip"}),
        "/slow": slow(3),
        "/image": body(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    }
    with WebServer(routes) as running:
        yield running


local = Fetcher(timeout=1.0, max_bytes=1_000_000, allow_private=True)


def test_a_page_and_a_feed_are_ingested_by_their_content_type(archive, server):
    report = ingest(archive, [server.url("/story"), server.url("/feed")], fetcher=local)
    assert report.failed == []
    titles = {a.title for a in report.added}
    assert "Harbor Bridge Vote Delayed Over Cable Anchor Review" in titles
    assert "Heat Advisory Issued for the Sable Valley" in titles
    assert len(report.added) == 3


def test_redirects_are_followed_and_limited(server):
    assert local.get(server.url("/moved")).url == server.url("/story")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        local.get(server.url("/loop"))


def test_size_cap_holds_for_declared_and_decompressed_sizes(server):
    with pytest.raises(FetchError, match="over the 1,000-byte limit"):
        Fetcher(max_bytes=1_000, allow_private=True).get(server.url("/big"))
    with pytest.raises(FetchError, match="limit"):
        local.get(server.url("/bomb"))


def test_timeouts_errors_and_schemes_are_clear(server):
    with pytest.raises(FetchError, match="timed out"):
        local.get(server.url("/slow"))
    with pytest.raises(FetchError, match="404"):
        local.get(server.url("/nowhere"))
    with pytest.raises(FetchError, match="only http and https"):
        local.get("file:///etc/passwd")
    with pytest.raises(FetchError, match="does not resolve"):
        local.get("http://no-such-host.invalid/")


def test_private_addresses_are_refused_before_any_request(server):
    with pytest.raises(FetchError, match="loopback"):
        Fetcher().get(server.url("/story"))
    assert server.requests == []


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback"),
        ("10.1.2.3", "a private"),
        ("192.168.0.10", "a private"),
        ("169.254.169.254", "a link-local"),
        ("224.0.0.1", "a multicast"),
        ("::1", "a loopback"),
        ("::ffff:127.0.0.1", "a loopback"),
        ("fd00:ec2::254", "a private"),
        ("0.0.0.0", "a private"),
        ("93.184.215.14", None),
    ],
)
def test_address_classes(address, reason):
    assert refusal(address) == reason


def test_a_bad_url_fails_alone_in_an_ingest(archive, server):
    sources = [server.url("/image"), server.url("/story"), server.url("/nowhere")]
    report = ingest(archive, sources, fetcher=local)
    assert len(report.added) == 1
    assert len(report.failed) == 2
    assert any("/image" in line and "binary" in line for line in report.failed)
    assert any("/nowhere" in line and "404" in line for line in report.failed)
