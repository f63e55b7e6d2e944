"""Fetching URLs safely: a refused URL, or a redirect to one, makes no request at all."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from index.errors import FetchError
from index.fetch import Fetcher, refusal, system_resolve
from index.ingest.sources import ingest
from tests.conftest import SAMPLES
from tests.generated import bot_env, run
from tests.webserver import WebServer, body, redirect

PAGE = (SAMPLES / "harbor-bridge-vote.html").read_bytes()
PUBLIC = "93.184.215.14"  # a public address; the tests' resolver gives it to news.example


@pytest.fixture
def server():
    with WebServer(
        {"/story": body(PAGE, "text/html"), "/secret": body(b"s3cret", "text/plain")}
    ) as up:
        yield up


def test_a_loopback_url_is_refused_without_any_request(tmp_path, server):
    """Done when: `python -m bot ingest http://127.0.0.1:PORT/` is refused, and no request
    reaches that port (nor by any other spelling of a local address)."""
    port = server.port
    urls = [
        f"http://127.0.0.1:{port}/",
        f"http://localhost:{port}/story",
        f"http://127.1:{port}/story",
        f"http://2130706433:{port}/story",  # 127.0.0.1 as one number
        f"http://0x7f.0.0.1:{port}/story",
        f"http://0.0.0.0:{port}/story",
        f"http://[::ffff:127.0.0.1]:{port}/story",
        f"http://[::1]:{port}/story",
    ]
    status, out, err = run("ingest", "--data", str(tmp_path / "data"), *urls, cwd=tmp_path)
    assert status == 1
    assert f"0 added, 0 updated, 0 unchanged, {len(urls)} failed" in out
    lines = err.strip().splitlines()
    assert len(lines) == len(urls)
    for url, line in zip(urls, lines, strict=True):
        assert line.startswith(f"error: {url}: refused, ") or "does not resolve" in line, line
    assert sum("refused" in line for line in lines) >= len(urls) - 1  # ::1 may not resolve
    assert server.requests == []


def public_looking(server: WebServer, extra: dict[str, list[str]] | None = None) -> Fetcher:
    """A fetcher with the real policy whose DNS says news.example is a public address, and
    whose connections to that address land on the test server on 127.0.0.1."""
    names = {"news.example": [PUBLIC], **(extra or {})}

    def resolve(host: str, port: int) -> list[str]:
        return names[host] if host in names else system_resolve(host, port)

    def dial(address: str, port: int) -> tuple[str, int]:
        return ("127.0.0.1", server.port) if address == PUBLIC else (address, port)

    return Fetcher(timeout=5, resolve=resolve, dial=dial)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",  # a cloud metadata endpoint
        "http://intranet.example:{port}/secret",  # a name that resolves to a private address
        "http://news.example@127.0.0.1:{port}/secret",
        "file:///etc/passwd",
    ],
)
def test_a_public_looking_url_that_redirects_inward_is_refused_before_the_request(tmp_path, target):
    """Done when: the same refusal for a public-looking URL that redirects to 127.0.0.1."""
    routes = {"/story": body(PAGE, "text/html"), "/secret": body(b"s3cret", "text/plain")}
    with WebServer(routes) as server:
        routes["/start"] = redirect(target.format(port=server.port))
        fetcher = public_looking(server, {"intranet.example": ["10.20.30.40"]})
        assert fetcher.get("http://news.example/story").data == PAGE  # the first hop is fine
        with pytest.raises(FetchError, match=r"redirected to .*(refused|only http|user name)"):
            fetcher.get("http://news.example/start")
        assert server.requests == ["/story", "/start"]  # never /secret
        report = ingest(_archive(tmp_path), ["http://news.example/start"], fetcher=fetcher)
        assert report.added == [] and len(report.failed) == 1
        assert server.requests[-1] == "/start"


def _archive(tmp_path):
    from index.archive import Archive

    return Archive(tmp_path / "data")


def test_a_host_with_any_private_address_is_refused_and_resolved_only_once(server):
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)  # public the first time, loopback after: a DNS rebinding attack
        return [PUBLIC] if len(calls) == 1 else ["127.0.0.1"]

    def dial(address: str, port: int) -> tuple[str, int]:
        return ("127.0.0.1", server.port) if address == PUBLIC else (address, port)

    fetched = Fetcher(resolve=rebinding, dial=dial).get("http://rebind.example/story")
    assert fetched.data == PAGE and calls == ["rebind.example"]  # checked once, used once
    mixed = Fetcher(resolve=lambda host, port: [PUBLIC, "10.0.0.7"], dial=dial)
    with pytest.raises(FetchError, match=r"a private address \(10\.0\.0\.7\)"):
        mixed.get("http://mixed.example/story")
    assert server.requests == ["/story"]


def test_private_addresses_are_fetched_only_when_allowed(server):
    assert Fetcher(allow_private=True).get(server.url("/story")).data == PAGE
    with pytest.raises(FetchError, match="loopback"):
        Fetcher(allow_private=False).get(server.url("/story"))
    assert server.requests == ["/story"]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("2002:7f00:1::", "a loopback"),  # 6to4 around 127.0.0.1
        ("2002:a00:1::", "a private"),  # 6to4 around 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "a link-local"),  # NAT64 around 169.254.169.254
        ("64:ff9b::5db8:d70e", None),  # NAT64 around a public address
        ("100.64.1.1", "a non-public"),  # carrier-grade NAT
        ("fe80::1%eth0", "a link-local"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a private"),  # Teredo
    ],
)
def test_addresses_that_carry_another_address_are_judged_by_it(address, reason):
    assert refusal(address) == reason


def test_credentials_in_a_url_are_refused_and_never_repeated(tmp_path, server):
    url = f"http://editor:hunter2-password@127.0.0.1:{server.port}/story"
    status, out, err = run("ingest", "--data", str(tmp_path / "data"), url, cwd=tmp_path)
    assert status == 1
    assert "user name or password" in err
    assert "hunter2" not in out + err
    assert server.requests == []


def _namespaces_work() -> bool:
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    probe = ["unshare", "-rnm", "sh", "-c", "ip link set lo up && ip addr add 192.0.2.1/32 dev lo"]
    return subprocess.run(probe, capture_output=True).returncode == 0


_DRIVER = """
import json, subprocess, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
hosts, data, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
subprocess.run(["mount", "--bind", hosts, "/etc/hosts"], check=True)
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
subprocess.run(["ip", "addr", "add", "93.184.215.14/32", "dev", "lo"], check=True)
seen = []
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        seen.append(self.path)
        if self.path == "/start":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{port}/secret")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            page = open(sys.argv[4], "rb").read()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
urls = [f"http://news.example:{port}/story", f"http://news.example:{port}/start",
        f"http://127.0.0.1:{port}/secret"]
done = subprocess.run([sys.executable, "-m", "bot", "ingest", "--data", data, *urls],
                      capture_output=True, text=True)
print(json.dumps({"status": done.returncode, "out": done.stdout, "err": done.stderr,
                  "seen": seen}))
"""


@pytest.mark.skipif(not _namespaces_work(), reason="needs unshare and ip (user namespaces)")
def test_the_whole_command_with_real_dns_in_a_network_namespace(tmp_path):
    """No injection at all: in a private network namespace a public address is given to the
    loopback device and news.example points at it in /etc/hosts; `python -m bot ingest`
    fetches the story and refuses the redirect to 127.0.0.1 before requesting it."""
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n93.184.215.14 news.example\n")
    driver = tmp_path / "driver.py"
    driver.write_text(textwrap.dedent(_DRIVER))
    page = SAMPLES / "harbor-bridge-vote.html"
    command = ["unshare", "-rnm", sys.executable, str(driver), str(hosts), str(tmp_path / "d")]
    done = subprocess.run(
        [*command, "8080", str(page)],
        cwd=tmp_path,
        env=bot_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == 1
    assert "1 added, 0 updated, 0 unchanged, 2 failed" in result["out"]
    assert (
        "error: http://news.example:8080/start: redirected to http://127.0.0.1:8080/secret: "
        "refused, 127.0.0.1 is a loopback address" in result["err"]
    )
    assert result["seen"] == ["/story", "/start"]


def drip(handler) -> None:
    """Headers at once, then one byte every 0.2 s: each read is quick, the whole never ends."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    for _ in range(200):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def test_a_server_that_drips_forever_is_cut_off_by_the_whole_download_deadline():
    with WebServer({"/drip": drip}) as server:
        fetcher = Fetcher(timeout=0.5, allow_private=True)  # each read 0.5 s, in all 3 s
        with pytest.raises(FetchError, match=r"timed out \(still downloading after 3 s\)"):
            fetcher.get(server.url("/drip"))
