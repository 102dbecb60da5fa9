"""The deadline burst: every municipality reads, saves and submits its survey at once.

    python bench/deadline_bench.py            # 290 municipalities (about a minute)
    python bench/deadline_bench.py --quick    # 60 municipalities

Makes its own PostgreSQL database (``nv_deadline_bench`` on 127.0.0.1:5432, dropped at the
end unless ``--keep``), migrates it, provisions one municipality respondent with an API token
per municipality (in process, in bulk), opens a round of the 2019 municipal survey and starts
``naravard serve`` on a free port. Each client then sends what a municipality's system sends:

    GET    /api/collect/rounds/{id}/responses/{org}          (version 0)
    PUT    … with the answers and that version              (a draft, version 1)
    POST   …/submit with version 1                          (submitted, version 2)

and ``--conflicts`` of them (10) also send, between PUT and submit, a save based on the
version they read before the PUT, which must be refused with 409 (someone else saved).
The answers are complete, with free text for the coding of long answers.

The same requests are first sent one after another (the baseline), on a round of their own,
then all at once by one client thread per municipality (the burst) on a fresh round (opened
before the first, so that neither has a previous round's answers to compare with). Prints
throughput, p50/p95/p99 per step for both, the CPU time per request of the server, of its
PostgreSQL backends and of the clients (from /proc), the time from the burst's first request
until all are submitted, and the ratio burst/sequential, with PASS/MISS against the goals of issue 16
(finding 8): all submitted within 15 s, p99 < 3 s, and the burst no slower than the same
requests one after another. Afterwards it checks in the database that every answer is stored
exactly once (answer rows, versions, status, submitted answers, the audit trail, the texts
collected for coding); the exit status is 1 when a check or a request fails, never because
of the timing.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DB_NAME = "nv_deadline_bench"
PG = "postgresql://postgres@127.0.0.1:5432"
FORM = "kommunenkat-2019"
GOAL_ALL_SUBMITTED_S = 15.0
GOAL_P99_S = 3.0
CLIENT_TIMEOUT_S = 30.0  # what a patient client waits; slower answers are counted
STEPS = ("get", "put", "conflict", "submit")

# A complete answer (tests/helpers.py COMPLETE) with varying grids and free text from the
# demo's answers (demo/data/kommunenkat-2019.csv).
GRID = ("brist", "balans", "brist", "overskott", "balans", "brist")
MEASURES = (
    "Karriärtjänster och lönesatsningar för legitimerad personal.",
    "Gemensam rekrytering med andra kommuner i länet.",
    "Vi har anställt fler än behovet för att klara pensionsavgångar.",
    "Schemaläggning där medarbetarna har större inflytande.",
    "Inhyrd personal har använts under semesterperioden.",
    "Arbetsterapeuter och fysioterapeuter arbetar i team med hemtjänsten.",
    "Introduktionsprogram för nyutexaminerade sjuksköterskor.",
    "Betald vidareutbildning till specialistsjuksköterska med bibehållen lön.",
    "Vi har flyttat uppgifter från sjuksköterskor till undersköterskor med delegering.",
)
COMMENTS = (
    "Läget växlar över året; sommaren är svårast att bemanna.",
    "Specialistsjuksköterskor inom demens saknas helt.",
    "Svårt att rekrytera fysioterapeuter till glesbygden.",
    "Vi samarbetar med grannkommunen om arbetsterapeuter.",
)


def answers_for(n: int, name: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "1.politisk": "ja" if n % 2 else "nej",
        "1.ledning": "nej",
        "1.verksamhet": "ja",
        "1.profession": "ja" if n % 3 else "nej",
        "2": "ja",
        "3.sjukskoterska": GRID[n % len(GRID)],
        "3.specialistsjukskoterska": "brist",
        "3.fysioterapeut": GRID[(n + 1) % len(GRID)],
        "3.arbetsterapeut": "balans",
        "3.dietist": "finns_ej",
        "3.farmaceut": "finns_ej",
        "4": f"{MEASURES[n % len(MEASURES)]} {MEASURES[(n + 4) % len(MEASURES)]} "
        f"I {name} följer vi upp bemanningen varje kvartal.",
    }
    if n % 3 == 0:
        body["3.kommentar"] = COMMENTS[n % len(COMMENTS)]
    return body


FREE_TEXT_ITEMS = ("3.kommentar", "4")


# ------------------------------------------------------------- the database ---


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def create_database(env: dict[str, str]) -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    subprocess.run(
        [str(Path(sys.executable).with_name("naravard")), "migrate"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@dataclasses.dataclass(frozen=True)
class Client:
    org: str
    name: str
    token: str
    answers: dict[str, Any]
    conflict: bool


def provision(n: int, conflicts: int) -> list[Client]:
    """One respondent with a token for each of the first ``n`` municipalities, in bulk."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from naravard.accounts.models import ApiToken, Role, User
    from naravard.refdata.models import Municipality

    places = list(Municipality.objects.order_by("code")[:n])
    clients = []
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"kommun-{m.code}",
                role=Role.MUNICIPALITY_RESPONDENT,
                municipality=m,
                password=make_password(None),
            )
            for m in places
        )
        if users[0].pk is None:
            users = list(User.objects.filter(username__startswith="kommun-").order_by("username"))
        tokens = []
        every = max(1, n // conflicts) if conflicts else 0
        for i, (m, user) in enumerate(zip(places, users, strict=True)):
            secret = "nv_" + secrets.token_urlsafe(32)
            tokens.append(
                ApiToken(
                    user=user, name="bench", prefix=secret[:8], key_hash=ApiToken.digest(secret)
                )
            )
            conflict = bool(every) and i % every == 0 and i // every < conflicts
            clients.append(Client(m.code, m.name, secret, answers_for(i, m.name), conflict))
        ApiToken.objects.bulk_create(tokens)
    return clients


def open_round(earlier_than=None):
    """A fresh round of the survey (the previous one locked). ``earlier_than``: back-date it
    before that round, so that neither round has a previous round's answers to compare with
    and both phases do the same work."""
    import datetime as dt

    from django.utils import timezone

    from naravard.collect import services
    from naravard.collect.models import Round

    Round.objects.filter(locked_at__isnull=True).update(locked_at=timezone.now())
    opened_at = earlier_than.opened_at - dt.timedelta(hours=1) if earlier_than else None
    return services.open_round(
        FORM,
        timezone.localdate() + dt.timedelta(days=30),
        actor="bench",
        year=2019,
        opened_at=opened_at,
    )


# ---------------------------------------------------------------- the server ---


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, threads: int | None, processes: int, log: Path):
    cmd = [str(Path(sys.executable).with_name("naravard")), "serve", "--port", str(port)]
    if threads:
        cmd += ["--threads", str(threads)]
    cmd += ["--processes", str(processes)]
    out = log.open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"error: naravard serve stopped (exit {proc.returncode}); see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/open/regions")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    sys.exit(f"error: naravard serve did not answer on port {port} within 180 s; see {log}")


# ------------------------------------------------------------ CPU accounting ---


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its threads so far (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the server, of the database's PostgreSQL backends and of this
    process (the clients)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        backends = [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (DB_NAME,)
            )
        ]
    try:  # naravard serve --processes N: the forked server processes
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    except OSError:
        children = []
    return {
        "server": {pid: _cpu_seconds(pid) for pid in [server_pid, *map(int, children)]},
        "postgres": {pid: _cpu_seconds(pid) for pid in backends},
        "clients": {os.getpid(): _cpu_seconds(os.getpid())},
    }


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds spent between two snapshots (backends that ended between are missed)."""
    return {
        kind: sum(t - before[kind].get(pid, 0.0) for pid, t in after[kind].items())
        for kind in after
    }


# --------------------------------------------------------------- the clients ---


@dataclasses.dataclass
class Timing:
    step: str
    start: float
    end: float
    status: int

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclasses.dataclass
class Outcome:
    org: str
    timings: list[Timing] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)


def run_client(port: int, round_id: int, client: Client, start: threading.Event | None):
    """GET → PUT → (a stale save) → submit, on one keep-alive connection."""
    outcome = Outcome(client.org)
    path = f"/api/collect/rounds/{round_id}/responses/{client.org}"
    headers = {"Authorization": f"Bearer {client.token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(step: str, method: str, url: str, body: dict | None, want: int) -> dict | None:
        t0 = time.perf_counter()
        try:
            conn.request(method, url, json.dumps(body) if body else None, headers)
            reply = conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException) as exc:
            outcome.timings.append(Timing(step, t0, time.perf_counter(), 0))
            outcome.errors.append(f"{step}: {type(exc).__name__}: {exc}")
            conn.close()
            return None
        outcome.timings.append(Timing(step, t0, time.perf_counter(), reply.status))
        if reply.status != want:
            outcome.errors.append(f"{step}: HTTP {reply.status} (expected {want}): {data[:300]!r}")
            return None
        return json.loads(data)

    if start is not None:
        start.wait()
    try:
        got = send("get", "GET", path, None, 200)
        if got is None:
            return outcome
        read = got["version"]
        saved = send("put", "PUT", path, {"version": read, "answers": client.answers}, 200)
        if saved is None:
            return outcome
        if client.conflict:  # another tab, still at the version read before the PUT
            stale = {**client.answers, "4": "Ett annat svar."}
            send("conflict", "PUT", path, {"version": read, "answers": stale}, 409)
        send(
            "submit",
            "POST",
            f"{path}/submit",
            {"version": saved["version"], "answers": client.answers},
            200,
        )
    finally:
        conn.close()
    return outcome


def sequential(port: int, round_id: int, clients: list[Client]) -> list[Outcome]:
    return [run_client(port, round_id, c, None) for c in clients]


def burst(port: int, round_id: int, clients: list[Client]) -> list[Outcome]:
    start = threading.Event()
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(run_client, port, round_id, c, start) for c in clients]
        time.sleep(0.5)  # every thread waiting at the start line
        start.set()
        return [f.result() for f in futures]


# ----------------------------------------------------------------- figures ---


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


@dataclasses.dataclass
class Figures:
    label: str
    requests: int
    wall: float  # first request sent .. last answer read
    all_submitted: float  # first request sent .. last submit answered
    per_step: dict[str, list[float]]
    slow: int  # answers slower than CLIENT_TIMEOUT_S
    cpu: dict[str, float] = dataclasses.field(default_factory=dict)  # seconds, by process

    @property
    def p99(self) -> float:
        return max(percentile(v, 99) for v in self.per_step.values() if v)


def figures(label: str, outcomes: list[Outcome]) -> Figures:
    timings = [t for o in outcomes for t in o.timings]
    first = min(t.start for t in timings)
    per_step: dict[str, list[float]] = defaultdict(list)
    for t in timings:
        per_step[t.step].append(t.seconds)
    submits = [t.end for t in timings if t.step == "submit"]
    return Figures(
        label,
        len(timings),
        max(t.end for t in timings) - first,
        (max(submits) - first) if submits else float("nan"),
        dict(per_step),
        sum(t.seconds > CLIENT_TIMEOUT_S for t in timings),
    )


def print_figures(f: Figures) -> None:
    print(
        f"\n{f.label}: {f.requests} requests in {f.wall:.1f} s "
        f"({f.requests / f.wall:.1f} req/s); all submitted after {f.all_submitted:.1f} s; "
        f"{f.slow} answers slower than {CLIENT_TIMEOUT_S:.0f} s"
    )
    print(f"  {'step':<9}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    if f.cpu:
        print(
            "  CPU per request: "
            + ", ".join(f"{kind} {t / f.requests * 1000:.1f} ms" for kind, t in f.cpu.items())
        )
    for step in STEPS:
        values = f.per_step.get(step, [])
        if values:
            print(
                f"  {step:<9}{len(values):>5}"
                + "".join(f"{percentile(values, p) * 1000:>10.0f}" for p in (50, 95, 99, 100))
            )


# ------------------------------------------------------------ verification ---


def verify(round_id: int, clients: list[Client], outcomes: list[Outcome]) -> list[str]:
    """Every answer stored exactly once, as sent; the audit trail and texts to match."""
    from django.db.models import Count

    from naravard.collect.models import Answer, AuditAction, AuditEvent, Response, ResponseStatus
    from naravard.qualitative.models import Text

    problems = [f"{o.org} {e}" for o in outcomes for e in o.errors]
    responses = {
        r.municipality_id: r
        for r in Response.objects.filter(round_id=round_id, municipality__isnull=False)
    }
    answers: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for response_id, item_id, value in Answer.objects.filter(
        response__round_id=round_id
    ).values_list("response_id", "item_id", "value"):
        answers[response_id][item_id].append(value)
    events: dict[int, Counter] = defaultdict(Counter)
    for row in (
        AuditEvent.objects.filter(round_id=round_id, response__isnull=False)
        .values("response_id", "action", "item_id")
        .annotate(n=Count("pk"))
    ):
        events[row["response_id"]][(row["action"], row["item_id"])] += row["n"]
    texts: dict[int, Counter] = defaultdict(Counter)
    for response_id, item_id in Text.objects.filter(
        round_id=round_id, replaced_at__isnull=True
    ).values_list("response_id", "item_id"):
        texts[response_id][item_id] += 1
    asked = {c.org for c in clients}
    for c in clients:
        r = responses.get(c.org)
        if r is None:
            problems.append(f"{c.org}: no response row")
            continue
        if r.status != ResponseStatus.SUBMITTED or r.version != 2:
            problems.append(f"{c.org}: status {r.status} version {r.version} (submitted, 2)")
        if r.submitted_answers != c.answers:
            problems.append(f"{c.org}: submitted answers differ from what was sent")
        stored = answers.get(r.pk, {})
        twice = [item for item, values in stored.items() if len(values) != 1]
        if twice:
            problems.append(f"{c.org}: answers stored more than once: {twice}")
        if {k: v[0] for k, v in stored.items()} != c.answers:
            problems.append(f"{c.org}: stored answers differ from what was sent")
        want = Counter({(AuditAction.CREATE.value, item): 1 for item in c.answers})
        want[(AuditAction.SUBMIT.value, "")] = 1
        if events.get(r.pk, Counter()) != want:
            problems.append(f"{c.org}: audit trail {dict(events.get(r.pk, {}))} != {dict(want)}")
        free = Counter(item for item in FREE_TEXT_ITEMS if item in c.answers)
        if texts.get(r.pk, Counter()) != free:
            problems.append(
                f"{c.org}: texts for coding {dict(texts.get(r.pk, {}))} != {dict(free)}"
            )
    for org, r in responses.items():
        if org not in asked and (r.version or answers.get(r.pk) or events.get(r.pk)):
            problems.append(f"{org}: changed although no client sent anything for it")
    return problems


def check(label: str, problems: list[str]) -> bool:
    if problems:
        print(f"\nVERIFY {label}: FAILED, {len(problems)} problems:")
        for p in problems[:30]:
            print(f"  {p}")
        return False
    print(f"VERIFY {label}: every answer stored exactly once, as sent; audit and texts match")
    return True


# -------------------------------------------------------------------- main ---


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="60 municipalities")
    parser.add_argument("--municipalities", type=int, default=None, help="how many (max 290)")
    parser.add_argument("--conflicts", type=int, default=10, help="stale saves (409 expected)")
    parser.add_argument("--server-threads", type=int, default=None, help="naravard serve --threads")
    parser.add_argument(
        "--server-processes",
        type=int,
        default=0,
        help="naravard serve --processes (default 0: naravard's own, one per core)",
    )
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME}")
    args = parser.parse_args()
    n = min(args.municipalities or (60 if args.quick else 290), 290)

    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "naravard.settings",
    }
    env.setdefault("NARAVARD_SECRET_KEY", secrets.token_urlsafe(50))
    env.pop("NARAVARD_DEMO", None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    os.environ.setdefault("NARAVARD_SECRET_KEY", env["NARAVARD_SECRET_KEY"])

    t0 = time.perf_counter()
    create_database(env)
    import django

    django.setup()
    from django.db import connection

    clients = provision(n, args.conflicts)
    baseline_round = open_round()
    connection.close()
    print(
        f"Database {DB_NAME}: migrated and {n} respondents with tokens provisioned in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "deadline_bench_server.log"
    port = free_port()
    server = start_server(env, port, args.server_threads, args.server_processes, log)
    ok = True
    try:
        print(f"naravard serve on port {port} (log: {log})")
        before = cpu_snapshot(server.pid)
        seq = figures("Sequential", sequential(port, baseline_round.pk, clients))
        seq.cpu = cpu_used(before, cpu_snapshot(server.pid))
        ok &= check("sequential", verify(baseline_round.pk, clients, []))
        burst_round = open_round(earlier_than=baseline_round)
        connection.close()
        before = cpu_snapshot(server.pid)
        outcomes = burst(port, burst_round.pk, clients)
        brs = figures(f"Burst ({n} clients at once)", outcomes)
        brs.cpu = cpu_used(before, cpu_snapshot(server.pid))
        ok &= check("burst", verify(burst_round.pk, clients, outcomes))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        connection.close()
    print_figures(seq)
    print_figures(brs)
    ratio = brs.all_submitted / seq.all_submitted
    print(
        f"\nBurst/sequential, time until all submitted: {brs.all_submitted:.1f} s / "
        f"{seq.all_submitted:.1f} s = {ratio:.2f}"
    )

    def verdict(met: bool) -> str:
        return "PASS" if met else "MISS"

    print(
        f"{verdict(brs.all_submitted <= GOAL_ALL_SUBMITTED_S)} all {n} submitted within "
        f"{GOAL_ALL_SUBMITTED_S:.0f} s of the first request: {brs.all_submitted:.1f} s"
    )
    print(
        f"{verdict(brs.p99 < GOAL_P99_S)} p99 of every step < {GOAL_P99_S:.0f} s: {brs.p99:.2f} s"
    )
    print(f"{verdict(ratio <= 1.0)} burst no slower than sequential: ratio {ratio:.2f}")
    print(f"{verdict(ok)} nothing lost or stored twice")
    if not args.keep:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
