"""Load-test the public indicator API and an indicator page, against nginx serving static JSON.

    python bench/web_bench.py                  # 30 s per run (a few minutes in all)
    python bench/web_bench.py --duration 5s    # a quick look

Builds the demo database (``naravard demo --no-serve``; the demo releases its data), starts
``naravard serve`` on a free port behind nginx configured with ``deploy/nginx.conf`` itself
(ports, paths and a self-signed certificate substituted; TLS as in production), writes the
JSON the API returns for ``/api/open/indicators/named_doctor_share/values`` into a static
file that the same nginx serves, and runs wrk (``-t2 -c200 --latency`` on loopback) against:

  * that static file (the baseline),
  * the API through nginx's cache, and straight from the application (its cache warm),
  * the indicator page ``/statistik/named_doctor_share/`` (``/region/01/`` while that page
    does not answer), through nginx and straight,
  * the API and the page straight from the application on the server it ran on before
    Granian: one Waitress process with 8 threads, on the same database (the baseline of the
    straight rows).

Prints requests/s, p50, p99 and the ratio to the baseline, and PASS/FAIL against the
targets. Deployed, through nginx: the API at least 50 % of nginx's static throughput with
p99 < 50 ms, the page with p99 < 100 ms. The application alone, straight: the API and the
page at least twice Waitress's throughput in this run, the page with p99 < 250 ms. The exit
status is 0 when every target is met. Any error response fails the run. nginx and wrk are Debian packages, installed with apt-get when missing (as
root, or through sudo).
"""

from __future__ import annotations

import argparse
import http.client
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
API = "/api/open/indicators/named_doctor_share/values"
PAGE = "/statistik/named_doctor_share/"
FALLBACK_PAGE = "/region/01/"
STATIC_NAME = "named_doctor_share-values.json"
API_SHARE, API_P99_MS, PAGE_P99_MS = 0.50, 50.0, 100.0
STRAIGHT_GAIN, STRAIGHT_PAGE_P99_MS = 2.0, 250.0  # against Waitress in the same run


# ------------------------------------------------------------------ tools ---


def as_root(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo"):
        return ["sudo", *cmd]
    sys.exit(f"error: need root (or sudo) to run: {' '.join(cmd)}")


def ensure_tools() -> tuple[str, str]:
    """nginx and wrk, installed from Debian if missing (like ./run's apt_install)."""

    def find(name):
        return shutil.which(name) or next(
            (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
        )

    missing = [pkg for pkg in ("nginx", "wrk") if not find(pkg)]
    if missing:
        print(f"Installing Debian packages: {' '.join(missing)}", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(
            as_root(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq"]),
            check=True,
            env=env,
        )
        subprocess.run(
            as_root(
                [
                    "env",
                    "DEBIAN_FRONTEND=noninteractive",
                    "apt-get",
                    "install",
                    "-y",
                    "-qq",
                    "--no-install-recommends",
                    *missing,
                ]
            ),
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    nginx, wrk = find("nginx"), find("wrk")
    if not (nginx and wrk):
        sys.exit("error: nginx or wrk is still missing after apt-get install")
    return nginx, wrk


def naravard_python() -> str:
    """A Python that imports naravard: this one, or the project's .venv."""
    probe = subprocess.run([sys.executable, "-c", "import naravard"], capture_output=True)
    if probe.returncode == 0:
        return sys.executable
    venv = ROOT / ".venv" / "bin" / "python"
    if venv.exists():
        return str(venv)
    sys.exit("error: naravard is not installed; run './run demo --no-serve' once first.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, what: str, limit=120.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"error: {what} exited early:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(
        f"error: {what} did not listen on port {port} within {limit:.0f} s:\n{log.read_text()}"
    )


def fetch(url: str, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    """GET without keeping cookies; TLS certificates are not checked (self-signed)."""
    scheme, rest = url.split("://", 1)
    hostport, _, path = rest.partition("/")
    host, port = hostport.split(":")
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, int(port), timeout=timeout, context=ssl._create_unverified_context()
        )  # noqa: S323
    else:
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", "/" + path)
        response = conn.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        if response.getheader("Set-Cookie"):
            headers["set-cookie"] = "; ".join(response.msg.get_all("Set-Cookie"))
        return response.status, headers, body
    finally:
        conn.close()


# ------------------------------------------------------------------ processes ---


class Processes:
    """Everything this run started, stopped on exit (each by its own id)."""

    def __init__(self):
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str], log: Path, env=None) -> subprocess.Popen:
        with open(log, "w") as out:
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        self.procs.append((name, proc))
        return proc

    def stop_all(self):
        for _name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for _name, proc in reversed(self.procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()


def app_env(db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        NARAVARD_SECRET_KEY=secrets.token_urlsafe(50),
        NARAVARD_TRUSTED_PROXY="127.0.0.1",
        NARAVARD_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def build_demo(python: str, data_dir: Path, options: tuple[str, ...] = ()) -> Path:
    """The demo database in ``data_dir``, built with ``naravard demo``'s ``options`` unless
    it is there already."""
    db = data_dir / "demo.sqlite3"
    if db.exists():
        print(f"Reusing the demo database {db}", file=sys.stderr)
        return db
    print(f"Building the demo database in {data_dir} …", file=sys.stderr)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    out = subprocess.run(
        [python, "-m", "naravard.cli", "demo", "--no-serve", "--data-dir", str(data_dir), *options],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode != 0:
        sys.exit(f"error: naravard demo failed:\n{out.stdout}\n{out.stderr}")
    return db


# ------------------------------------------------------------------ nginx ---


def render_site(tmp: Path, app_port: int, http_port: int, https_port: int) -> str:
    """deploy/nginx.conf with the bench's ports and paths; every substitution must hit."""
    text = DEPLOY_CONF.read_text()
    swaps = [
        ("/var/cache/nginx/naravard  # bench: cache path", f"{tmp}/cache"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;  # bench: dropped", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;  # bench: dropped", ""),
        ("/etc/ssl/naravard/fullchain.pem", f"{tmp}/tls/cert.pem"),
        ("/etc/ssl/naravard/privkey.pem", f"{tmp}/tls/key.pem"),
        ("alias /srv/naravard/static/;", f"alias {tmp}/static/;"),
    ]
    for old, new in swaps:
        if text.count(old) != 1:
            sys.exit(f"error: deploy/nginx.conf changed: expected {old!r} exactly once")
        text = text.replace(old, new)
    return text


def main_conf(tmp: Path) -> str:
    user = ""
    if os.geteuid() == 0:  # workers must not run as root; they only read and write tmp
        name = "www-data" if _user_exists("www-data") else "nobody"
        user = f"user {name};"
    return f"""{user}
worker_processes auto;
pid {tmp}/nginx/nginx.pid;
error_log {tmp}/nginx/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {tmp}/nginx/client_body;
    proxy_temp_path {tmp}/nginx/proxy;
    fastcgi_temp_path {tmp}/nginx/fastcgi;
    uwsgi_temp_path {tmp}/nginx/uwsgi;
    scgi_temp_path {tmp}/nginx/scgi;
    include {tmp}/nginx/naravard.conf;
}}
"""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def self_signed(tmp: Path):
    (tmp / "tls").mkdir()
    out = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(tmp / "tls" / "key.pem"),
            "-out",
            str(tmp / "tls" / "cert.pem"),
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"error: openssl could not make a certificate:\n{out.stderr}")


# ------------------------------------------------------------------ wrk ---


@dataclass
class Result:
    name: str
    url: str
    rps: float = 0.0
    p50: float | None = None  # milliseconds
    p99: float | None = None
    requests: int = 0
    non_2xx: int = 0
    socket_errors: str = ""
    timeouts: int = 0
    target: str = ""
    verdict: str = ""


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unknown wrk duration {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(name: str, url: str, out: str) -> Result:
    r = Result(name, url)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r.rps = float(m.group(1)) if m else 0.0
    for pct, attr in (("50", "p50"), ("99", "p99")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        setattr(r, attr, _ms(m.group(1)) if m else None)
    m = re.search(r"(\d+) requests in", out)
    r.requests = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    r.non_2xx = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors:\s+(.*)", out)
    if m:
        r.socket_errors = m.group(1).strip()
        t = re.search(r"timeout (\d+)", r.socket_errors)
        r.timeouts = int(t.group(1)) if t else 0
    return r


def run_wrk(wrk: str, name: str, url: str, args) -> tuple[Result, str]:
    print(f"wrk {args.duration} -c{args.connections}: {name} ({url}) …", file=sys.stderr)
    out = subprocess.run(
        [
            wrk,
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}",
            "--latency",
            "--timeout",
            args.timeout,
            url,
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"error: wrk failed on {url}:\n{out.stdout}\n{out.stderr}")
    return parse_wrk(name, url, out.stdout), out.stdout


def settle(url: str, limit: float = 300.0):
    """Wait until the application has worked off the previous run's backlog."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            fetch(url, timeout=limit)
        except OSError:
            pass
        if time.monotonic() - start < 0.2:
            return
        time.sleep(1)


def fmt_ms(v: float | None) -> str:
    return "–" if v is None else (f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms")


# ------------------------------------------------------------------ main ---


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", default="30s", help="wrk -d per run (default 30s)")
    parser.add_argument("--connections", type=int, default=200, help="wrk -c (default 200)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--timeout", default="10s", help="wrk --timeout (default 10s)")
    parser.add_argument(
        "--app-threads", type=int, default=8, help="naravard serve --threads (default 8)"
    )
    parser.add_argument(
        "--app-processes",
        type=int,
        default=0,
        help="naravard serve --processes (default 0: one per core)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the demo database here and reuse it on the next run",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl+C
    nginx, wrk = ensure_tools()
    python = naravard_python()
    tmp = Path(tempfile.mkdtemp(prefix="naravard-bench-"))
    tmp.chmod(0o755)  # nginx workers (not root) read the static file and write the cache
    procs = Processes()
    try:
        return run(args, nginx, wrk, python, tmp, procs)
    finally:
        procs.stop_all()
        if args.keep:
            print(f"Kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, nginx: str, wrk: str, python: str, tmp: Path, procs: Processes) -> int:
    db = build_demo(python, args.data_dir or tmp / "data")

    app_port, http_port, https_port = free_port(), free_port(), free_port()
    app = procs.start(
        "naravard",
        [
            python,
            "-m",
            "naravard.cli",
            "serve",
            "--port",
            str(app_port),
            "--threads",
            str(args.app_threads),
            "--processes",
            str(args.app_processes),
        ],
        tmp / "app.log",
        env=app_env(db),
    )
    wait_for_port(app_port, app, tmp / "app.log", "naravard serve")
    direct = f"http://127.0.0.1:{app_port}"
    before_port = free_port()
    before_app = procs.start(
        "waitress",
        [
            python,
            "-m",
            "waitress",
            f"--listen=127.0.0.1:{before_port}",
            "--threads=8",
            "--connection-limit=500",
            "--asyncore-use-poll",
            "naravard.wsgi:application",
        ],
        tmp / "waitress.log",
        env=app_env(db),
    )
    wait_for_port(before_port, before_app, tmp / "waitress.log", "waitress (the baseline)")
    before = f"http://127.0.0.1:{before_port}"

    status, headers, api_json = fetch(direct + API)
    if status != 200:
        sys.exit(f"error: {API} answered {status}:\n{api_json[:500]!r}")
    (tmp / "static").mkdir()
    (tmp / "static" / STATIC_NAME).write_bytes(api_json)
    (tmp / "static").chmod(0o755)

    page, page_note = PAGE, ""
    status, _, _ = fetch(direct + PAGE)
    if status != 200:
        page = FALLBACK_PAGE
        page_note = f"{PAGE} answered {status} (not built yet?): measured {FALLBACK_PAGE} instead"
        status, _, body = fetch(direct + page)
        if status != 200:
            sys.exit(f"error: {page} answered {status} as well")

    self_signed(tmp)
    (tmp / "nginx").mkdir()
    (tmp / "nginx").chmod(0o755)
    (tmp / "nginx" / "naravard.conf").write_text(render_site(tmp, app_port, http_port, https_port))
    (tmp / "nginx" / "nginx.conf").write_text(main_conf(tmp))
    base = [
        nginx,
        "-p",
        str(tmp / "nginx"),
        "-e",
        str(tmp / "nginx" / "error.log"),
        "-c",
        str(tmp / "nginx" / "nginx.conf"),
    ]
    test = subprocess.run([*base, "-t"], capture_output=True, text=True)
    if test.returncode != 0:
        sys.exit(f"error: nginx -t refused the configuration:\n{test.stderr}")
    server = procs.start("nginx", [*base, "-g", "daemon off;"], tmp / "nginx" / "stdout.log")
    wait_for_port(https_port, server, tmp / "nginx" / "error.log", "nginx")
    proxied = f"https://127.0.0.1:{https_port}"

    # The same bytes everywhere; the proxy keeps the API; what it makes of the page.
    _, _, static_body = fetch(f"{proxied}/static/{STATIC_NAME}")
    for _ in range(2):
        status, api_headers, body = fetch(proxied + API)
    if status != 200 or body != api_json or body != static_body:
        sys.exit("error: the API through nginx does not answer the static file's JSON")
    if api_headers.get("x-cache-status") != "HIT":
        print(
            f"warning: nginx did not keep the API answer (X-Cache-Status "
            f"{api_headers.get('x-cache-status')}, Cache-Control "
            f"{api_headers.get('cache-control')})",
            file=sys.stderr,
        )
    for _ in range(2):
        status, page_headers, _ = fetch(proxied + page)
    fetch(direct + page)
    page_cached = page_headers.get("x-cache-status") == "HIT"
    page_why = ""
    if not page_cached:
        page_why = (
            f"nginx does not keep {page}: Cache-Control "
            f"{page_headers.get('cache-control', '(none)')}"
        )
        if "set-cookie" in page_headers:
            cookies = ", ".join(re.findall(r"(?:^|; )(\w+)=", page_headers["set-cookie"])[:1])
            page_why += f", sets the cookie {cookies} (a CSRF token in the page)"

    targets = [
        ("nginx, static JSON file (baseline)", f"{proxied}/static/{STATIC_NAME}", None),
        ("API through nginx", proxied + API, "api"),
        ("API straight from the app", direct + API, "api-direct"),
        ("API straight, Waitress (before)", before + API, "api-before"),
        ("page through nginx", proxied + page, "page"),
        ("page straight from the app", direct + page, "page-direct"),
        ("page straight, Waitress (before)", before + page, "page-before"),
    ]
    results: list[Result] = []
    errors = []
    for name, url, kind in targets:
        settle(direct + API)
        settle(before + API)
        result, output = run_wrk(wrk, name, url, args)
        result.target = kind or ""
        results.append(result)
        if result.non_2xx or not result.requests:
            errors.append(
                f"{name}: {result.non_2xx} error responses of {result.requests}\n{output}"
            )
    baseline = results[0].rps

    by_target = {r.target: r for r in results}
    for r in results:
        if r.target == "api":
            ok = (
                r.rps >= API_SHARE * baseline
                and r.p99 is not None
                and r.p99 < API_P99_MS
                and not r.timeouts
            )
        elif r.target == "page":
            ok = r.p99 is not None and r.p99 < PAGE_P99_MS and not r.timeouts
        elif r.target.endswith("-direct"):
            before_rps = by_target[r.target.replace("-direct", "-before")].rps
            ok = r.rps >= STRAIGHT_GAIN * before_rps and not r.timeouts
            if r.target == "page-direct":
                ok = ok and r.p99 is not None and r.p99 < STRAIGHT_PAGE_P99_MS
        else:
            continue
        r.verdict = "PASS" if ok else "FAIL"
    for r in results:
        if r.non_2xx or not r.requests:
            r.verdict = "ERROR"

    cpu = os.cpu_count()
    nginx_version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    processes = args.app_processes or len(os.sched_getaffinity(0))
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration} --latency on loopback; "
        f"{cpu} CPUs shared by wrk, nginx and naravard serve ({processes} processes of "
        f"{args.app_threads} threads); "
        f"{nginx_version.replace('nginx version: ', '')}; TLS through nginx, plain http "
        "straight to the application; JSON body "
        f"{len(api_json)} bytes."
    )
    print(f"API: {API}; page: {page}.")
    if page_note:
        print(f"Note: {page_note}.")
    if page_why:
        print(f"Note: {page_why}.")
    header = (
        f"{'run':35} {'req/s':>8} {'p50':>9} {'p99':>9} {'vs static':>9} {'requests':>9} "
        f"{'timeouts':>8}  {'target':<34} result"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        target = {
            "api": f">= {API_SHARE:.0%} of static, p99 < {API_P99_MS:.0f} ms",
            "api-direct": f">= {STRAIGHT_GAIN:.0f}x Waitress",
            "page": f"p99 < {PAGE_P99_MS:.0f} ms",
            "page-direct": f">= {STRAIGHT_GAIN:.0f}x Waitress, p99 < {STRAIGHT_PAGE_P99_MS:.0f} ms",
        }.get(r.target, "")
        ratio = f"{r.rps / baseline:.0%}" if baseline else "–"
        print(
            f"{r.name:35} {r.rps:8.0f} {fmt_ms(r.p50):>9} {fmt_ms(r.p99):>9} {ratio:>9} "
            f"{r.requests:>9} {r.timeouts:>8}  {target:<34} {r.verdict}"
        )
    verdicts = {r.target: r.verdict for r in results if r.verdict}
    gains = {
        kind: by_target[f"{kind}-direct"].rps / max(by_target[f"{kind}-before"].rps, 1e-9)
        for kind in ("api", "page")
    }
    print(
        f"\nDeployed (through nginx): API {verdicts['api']}, page {verdicts['page']}. "
        f"The application alone (straight, its own cache warm): API {verdicts['api-direct']} "
        f"({gains['api']:.2f}x Waitress), page {verdicts['page-direct']} "
        f"({gains['page']:.2f}x Waitress)."
    )
    if errors:
        print("\nERROR: error responses (or none at all) under load:", file=sys.stderr)
        for e in errors:
            print(e, file=sys.stderr)
        print(f"Application log: {tmp / 'app.log'} (use --keep to look at it)", file=sys.stderr)
        return 2
    return 0 if set(verdicts.values()) == {"PASS"} else 1


if __name__ == "__main__":
    sys.exit(main())
