"""Load test with a database restart: simulated customers on gunicorn and PostgreSQL.

    .venv/bin/python benchmarks/load.py [--users 50] [--duration 60] [--restart-at 30]

Everything runs on loopback in throwaway places that are removed afterwards, also on Ctrl-C or
failure: a PostgreSQL cluster of its own (``initdb`` into a temporary folder, ``pg_ctl`` on a
free port; never the machine's shared server, which this test restarts), an instance folder,
and gunicorn (``--workers`` sync workers) on a free port. The database gets ``portal db
upgrade``, ``portal demo`` and ``--users`` customer accounts spread over the demo companies.

Each simulated user is a thread with its own HTTP session (``requests``): it signs in once, then
until the time is up picks at random (think time ``--think`` seconds on average between steps):
the dashboard with its panels, the catalogue (a page or a search), an invoice, the order list,
"add to cart" (the htmx request) and, when its cart holds something, the checkout page and
"Send the order" with the page's idempotency key. A 503 is retried after 0.25 s like a patient
user would (the order with the same key, so a retry can never place it twice); any answer over
``--hang`` seconds counts as a hang.

Two phases of ``--duration`` seconds each:

1. **steady**: the load alone. Expected: no answer but 2xx/3xx.
2. **restart**: the same load; at ``--restart-at`` seconds the cluster is restarted with
   ``pg_ctl restart -m fast``. Expected: 503 pages (fast, no 500, no hang) while it is away and
   the service back by itself within seconds of the server, with no order lost or doubled.

Orders are checked against the database after each phase: every order a user was told was
placed (the answer's redirect to ``/orders/<id>``) must be there once under its idempotency key,
and no load user may have an order nobody was told about. The tables are printed and written
into ``benchmarks/README.md`` between ``<!-- load:start -->`` and ``<!-- load:end -->``.
The exit code is 1 when the steady phase had any error, the restart phase any 5xx but 503 or
any hang, or an order is lost or doubled.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PASSWORD = "portal-load-2026"
USER_PREFIX = "load"
RETRY_503 = 0.25

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PANEL = re.compile(r'id="panel-([\w-]+)" hx-get="([^"]+)"')
PRODUCT = re.compile(r'name="product_id" value="(\d+)"')
DOCUMENT = re.compile(r'href="/documents/(\d+)"')
HIDDEN = re.compile(r'<input[^>]*name="(idempotency_key|cart_shown_at)"[^>]*value="([^"]*)"'
                    r'|<input[^>]*value="([^"]*)"[^>]*name="(idempotency_key|cart_shown_at)"')
ADDRESS = re.compile(r'<select[^>]*name="address"[^>]*>.*?<option[^>]*value="([^"]+)"', re.S)
ORDER_URL = re.compile(r"/orders/(\d+)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# -- the throwaway cluster ----------------------------------------------------------------------


def postgres_bindir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                            reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    raise SystemExit("initdb not found: install Debian's postgresql (apt-get install postgresql)")


class Cluster:
    """A PostgreSQL cluster in a temporary folder on a free loopback port."""

    def __init__(self, work: Path):
        self.bindir = postgres_bindir()
        self.dir = work / "pg"
        self.dir.mkdir()
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        # PostgreSQL refuses to run as root: as root, its tools run as the postgres user.
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_pg:
            shutil.chown(work, "postgres")
            shutil.chown(self.dir, "postgres")
        self.started = False

    def _tool(self, *args, check=True, timeout=120):
        return subprocess.run([*self.as_pg, str(self.bindir / args[0]), *args[1:]],
                              cwd=self.dir, check=check, timeout=timeout,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def start(self) -> None:
        self._tool("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E",
                   "UTF8", "--locale=C.UTF-8")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
                   "-c max_connections=120")
        self._tool("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                   "-o", options, "start")
        self.started = True
        self._tool("psql", "-w", "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                   "postgres", "-d", "postgres", "-c", "CREATE DATABASE portal_load")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/portal_load"

    def restart(self) -> tuple[float, float]:
        """``pg_ctl restart -m fast``; the monotonic times it began and the server was back."""
        began = time.monotonic()
        self._tool("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                   "-m", "fast", "restart")
        return began, time.monotonic()

    def version(self) -> str:
        out = subprocess.run([str(self.bindir / "postgres"), "--version"], capture_output=True,
                             text=True).stdout
        match = re.search(r"\d+(\.\d+)+", out)
        return match.group(0) if match else "?"

    def stop(self) -> None:
        if self.started or (self.data / "postmaster.pid").exists():
            self._tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop",
                       check=False, timeout=60)
            self.started = False


# -- the data and the server --------------------------------------------------------------------


def portal_env(url: str, instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    return {**env, "PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_SECRET_KEY": "load-test-" + os.urandom(8).hex()}


def prepare(env: dict, users: int) -> list[str]:
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([str(BIN / "portal"), *command], env=env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    code = f"""
from sqlalchemy import select
from portal import create_app
from portal.core.db import get_engine, get_session
from portal.core.demo import COMPANIES, DEMO_GROUP
from portal.core.models import CUSTOMER, AccessGroup, AccessGroupMember, CustomerCompany, User
from portal.core.passwords import hash_password

app = create_app()
with app.app_context():
    session = get_session()
    group = session.scalar(select(AccessGroup).where(AccessGroup.name == DEMO_GROUP))
    companies = [session.scalar(select(CustomerCompany).where(
        CustomerCompany.external_id == c["external_id"])) for c in COMPANIES]
    digest = hash_password({PASSWORD!r})  # one argon2 hash for all: the same password
    for n in range({users}):
        company = companies[n % len(companies)]
        user = User(username=f"{USER_PREFIX}{{n + 1:03d}}", kind=CUSTOMER,
                    full_name=f"Load {{n + 1}}", company_id=company.id,
                    email=f"{USER_PREFIX}{{n + 1}}@example.com", password_hash=digest)
        session.add(user)
        session.flush()
        session.add(AccessGroupMember(group_id=group.id, user_id=user.id))
    session.commit()
    get_engine().dispose()
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    return [f"{USER_PREFIX}{n + 1:03d}" for n in range(users)]


class Server:
    def __init__(self, env: dict, workers: int, log: Path):
        self.port = free_port()
        self.log = log
        self._out = open(log, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--log-level", "warning", "portal:create_app()"],
            env=env, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn ended:\n" + self.log.read_text(errors="replace"))
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /readyz")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()


# -- the simulated users ------------------------------------------------------------------------


@dataclass
class Record:
    phase: str
    action: str
    started: float
    seconds: float
    status: int  # 0: no answer (connection error or client time-out)
    error: str = ""


@dataclass
class Stats:
    records: list[Record] = field(default_factory=list)
    confirmed: dict[str, int] = field(default_factory=dict)  # idempotency key → order id
    unresolved: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Phase:
    def __init__(self, name: str):
        self.name = name


class Customer(threading.Thread):
    # Sign-ins (argon2, 64 MiB each) at most this many at once: the first phase starts after.
    signing_in = threading.Semaphore(5)

    def __init__(self, base: str, username: str, stats: Stats, args, phase: Phase,
                 stop: threading.Event, go: threading.Event, seed: str,
                 sessions: dict[str, requests.Session]):
        super().__init__(daemon=True, name=username)
        self.base, self.username, self.stats, self.args = base, username, stats, args
        self.phase, self.stop_event, self.go = phase, stop, go
        self.random = random.Random(seed)
        self.new_session = username not in sessions  # signed in once, kept for every phase
        self.http = sessions.setdefault(username, requests.Session())
        self.http.headers["Accept-Language"] = "tr,en;q=0.5"
        self.csrf = ""
        self.products: list[str] = []
        self.documents: list[str] = []
        self.cart_lines = 0
        self.signed_in = threading.Event()

    # One request, recorded. A 503 is retried (same request) while the phase runs; a request
    # without an answer is not (the server may still be working on it).
    def request(self, action: str, method: str, url: str, *, retry: bool = True,
                until: float | None = None, **kwargs) -> requests.Response | None:
        while True:
            started = time.monotonic()
            try:
                response = self.http.request(method, self.base + url, allow_redirects=False,
                                             timeout=(5, self.args.timeout), **kwargs)
                status = response.status_code
                error = ""
            except requests.RequestException as exc:
                response, status, error = None, 0, f"{exc.__class__.__name__}: {exc}"
            record = Record(self.phase.name, action, started, time.monotonic() - started, status,
                            error)
            self.stats.records.append(record)
            if status == 503 and retry and not self._time_up(until):
                time.sleep(RETRY_503)
                continue
            return response

    def _time_up(self, until: float | None) -> bool:
        if until is not None:
            return time.monotonic() > until
        return self.stop_event.is_set()

    def think(self) -> None:
        self.stop_event.wait(self.random.uniform(0, 2 * self.args.think))

    def sign_in(self) -> None:
        page = self.request("sign-in page", "GET", "/login")
        token = CSRF.search(page.text).group(1)
        answer = self.request("sign in", "POST", "/login", data={
            "csrf_token": token, "username": self.username, "password": PASSWORD})
        if answer is None or answer.status_code != 303:
            raise RuntimeError(f"{self.username} could not sign in: "
                               f"{answer.status_code if answer is not None else 'no answer'}")

    def run(self) -> None:
        try:
            if self.new_session:
                with self.signing_in:
                    self.sign_in()
            self.catalogue()
            self.invoices()
            self.signed_in.set()
            self.go.wait()
            while not self.stop_event.is_set():
                self.think()
                if self.stop_event.is_set():
                    break
                choices = [self.dashboard, self.catalogue, self.invoice, self.order_list,
                           self.add_to_cart]
                weights = [3, 3, 2, 2, 2]
                if self.cart_lines:
                    choices.append(self.place_order)
                    weights.append(2)
                self.random.choices(choices, weights)[0]()
        except Exception as exc:  # noqa: BLE001 (reported, the run fails)
            with self.stats.lock:
                self.stats.problems.append(f"{self.username}: {exc!r}")

    def _remember_csrf(self, response) -> None:
        if response is not None and response.status_code == 200:
            match = CSRF.search(response.text)
            if match:
                self.csrf = match.group(1)

    def dashboard(self) -> None:
        page = self.request("dashboard", "GET", "/")
        self._remember_csrf(page)
        if page is None or page.status_code != 200:
            return
        for name, url in PANEL.findall(page.text):
            self.request("dashboard panel", "GET", url,
                         headers={"HX-Request": "true", "HX-Target": f"panel-{name}"})

    def catalogue(self) -> None:
        if self.random.random() < 0.3:
            url = "/orders/catalogue?q=" + self.random.choice(["kablo", "vida", "boya", "priz"])
        else:
            url = f"/orders/catalogue?page={self.random.randint(1, 3)}"
        page = self.request("catalogue", "GET", url)
        self._remember_csrf(page)
        if page is not None and page.status_code == 200:
            found = PRODUCT.findall(page.text)
            if found:
                self.products = sorted(set(found) | set(self.products))

    def invoices(self) -> None:
        page = self.request("invoice list", "GET", "/documents/invoice/")
        if page is not None and page.status_code == 200:
            self.documents = DOCUMENT.findall(page.text) or self.documents

    def invoice(self) -> None:
        if not self.documents:
            return self.invoices()
        self.request("invoice", "GET", f"/documents/{self.random.choice(self.documents)}")

    def order_list(self) -> None:
        self.request("order list", "GET", "/orders/")

    def add_to_cart(self) -> None:
        if not self.products or not self.csrf:
            return self.catalogue()
        answer = self.request("add to cart", "POST", "/orders/cart/add", data={
            "csrf_token": self.csrf, "product_id": self.random.choice(self.products),
            "quantity": str(self.random.randint(1, 5)), "next": "/orders/catalogue"},
            headers={"HX-Request": "true", "HX-Target": "cart-status",
                     "X-CSRFToken": self.csrf})
        if answer is not None and answer.status_code == 200:
            self.cart_lines += 1

    def place_order(self) -> None:
        page = self.request("checkout page", "GET", "/orders/checkout")
        if page is None or page.status_code != 200:
            return
        hidden = {}
        for name1, value1, value2, name2 in HIDDEN.findall(page.text):
            hidden[name1 or name2] = value1 or value2
        token = CSRF.search(page.text)
        address = ADDRESS.search(page.text)
        if "idempotency_key" not in hidden or token is None:
            self.cart_lines = 0  # an empty cart (its lines were placed already)
            return
        key = hidden["idempotency_key"]
        data = {"csrf_token": token.group(1), "idempotency_key": key,
                "cart_shown_at": hidden.get("cart_shown_at", ""),
                "address": address.group(1) if address else "delivery",
                "po_number": f"LOAD-{key[:8]}"}
        with self.stats.lock:
            self.stats.unresolved.add(key)
        # Retried on 503 with the same key until it is answered: up to --hang past the phase's
        # end, so that an order in flight when the phase ends is still settled.
        answer = self.request("send the order", "POST", "/orders/checkout", data=data,
                              until=self.phase_end + self.args.hang)
        if answer is None:
            return
        match = ORDER_URL.search(answer.headers.get("Location", ""))
        if answer.status_code == 303 and match:
            with self.stats.lock:
                self.stats.unresolved.discard(key)
                self.stats.confirmed[key] = int(match.group(1))
            self.cart_lines = 0
            self.request("order page", "GET", f"/orders/{match.group(1)}", retry=False)
        elif answer.status_code == 422:
            with self.stats.lock:
                self.stats.unresolved.discard(key)
                self.stats.problems.append(f"{self.username}: order refused (422)")
            self.cart_lines = 0

    phase_end = 0.0


# -- running a phase ----------------------------------------------------------------------------


def orders_in_database(url: str) -> dict[str, list[int]]:
    import psycopg

    plain = re.sub(r"^postgresql\+\w+://", "postgresql://", url)
    with psycopg.connect(plain, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT o.idempotency_key, o.id FROM orders_order o "
            "JOIN portal_user u ON u.id = o.placed_by_id WHERE u.username LIKE %s",
            (USER_PREFIX + "%",)).fetchall()
    found: dict[str, list[int]] = {}
    for key, order_id in rows:
        found.setdefault(key, []).append(order_id)
    return found


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_phase(name: str, server: Server, usernames: list[str], args, stats: Stats,
              sessions: dict, cluster: Cluster | None = None) -> dict:
    phase = Phase(name)
    stop, go = threading.Event(), threading.Event()
    users = [Customer(server.base, u, stats, args, phase, stop, go, f"{name}-{u}", sessions)
             for u in usernames]
    say(f"{name}: {len(users)} users for {args.duration} s"
        + (f", database restart at {args.restart_at} s" if cluster else ""))
    for user in users:
        user.start()
    for user in users:  # the clock starts when everyone is signed in
        user.signed_in.wait(timeout=300)
    start = time.monotonic()
    go.set()
    end = start + args.duration
    Customer.phase_end = end
    restart = None
    if cluster is not None:
        time.sleep(max(0.0, start + args.restart_at - time.monotonic()))
        say(f"{name}: pg_ctl restart -m fast")
        restart = cluster.restart()
        say(f"{name}: server back after {restart[1] - restart[0]:.2f} s")
    time.sleep(max(0.0, end - time.monotonic()))
    stop.set()
    for user in users:
        user.join(timeout=args.hang + args.timeout + 30)
    stragglers = [u.name for u in users if u.is_alive()]
    if stragglers:
        stats.problems.append(f"{name}: users still running after the phase: {stragglers}")
    return {"name": name, "start": start, "end": end, "restart": restart}


def summarise(result: dict, stats: Stats, args) -> dict:
    records = [r for r in stats.records if r.phase == result["name"]]
    timed = [r for r in records if result["start"] <= r.started]
    by_status: dict[int, int] = {}
    for record in records:
        by_status[record.status] = by_status.get(record.status, 0) + 1
    ok = [r.seconds for r in timed if 200 <= r.status < 400]
    actions: dict[str, list[Record]] = {}
    for record in timed:
        actions.setdefault(record.action, []).append(record)
    summary = {
        "requests": len(records), "by_status": by_status,
        "per_second": len(timed) / args.duration,
        "p50": percentile(ok, 0.5), "p95": percentile(ok, 0.95), "max": max(ok, default=0),
        "hangs": sum(1 for r in records if r.seconds > args.hang),
        "no_answer": sum(1 for r in records if r.status == 0),
        "no_answer_examples": sorted({f"{r.action} after {r.seconds:.1f} s at "
                                      f"{r.started - result['start']:.1f} s: {r.error[:300]}"
                                      for r in records if r.status == 0})[:8],
        "server_errors": sum(1 for r in records if r.status >= 500 and r.status != 503),
        "errors": sum(1 for r in records if not 200 <= r.status < 400),
        "actions": {a: (len(rs), percentile([r.seconds for r in rs], 0.5),
                        percentile([r.seconds for r in rs], 0.95),
                        max(r.seconds for r in rs)) for a, rs in sorted(actions.items())},
    }
    if result["restart"]:
        began, up = result["restart"]
        unavailable = [r for r in records if r.status == 503]
        after = [r for r in records if r.started >= up]
        first_ok = min((r.started + r.seconds for r in after if 200 <= r.status < 400),
                       default=None)
        summary |= {
            "restart_seconds": up - began,
            "503": len(unavailable),
            "503_max": max((r.seconds for r in unavailable), default=0),
            "503_p95": percentile([r.seconds for r in unavailable], 0.95),
            "first_ok_after_up": None if first_ok is None else first_ok - up,
            "last_503_after_up": max((r.started + r.seconds - up for r in unavailable),
                                     default=None),
            "errors_after": sum(1 for r in after if not 200 <= r.status < 400
                                and r.started > up + args.recovery),
        }
    return summary


def check_orders(url: str, stats: Stats) -> dict:
    found = orders_in_database(url)
    told = stats.confirmed
    lost = [k for k, order_id in told.items() if order_id not in found.get(k, [])]
    doubled = [k for k, ids in found.items() if len(ids) > 1]
    unknown = [k for k in found if k not in told]  # in the database, nobody told
    return {"told": len(told), "in_db": sum(len(v) for v in found.values()), "lost": len(lost),
            "doubled": len(doubled), "untold": len(unknown),
            "unresolved": len(stats.unresolved)}


# -- report -------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def phase_table(summary: dict, orders: dict) -> str:
    statuses = ", ".join(f"{'no answer' if s == 0 else s}: {n:,}"
                         for s, n in sorted(summary["by_status"].items()))
    lines = ["| figure | value |", "| --- | ---: |",
             f"| requests (by status) | {summary['requests']:,} ({statuses}) |",
             f"| requests/s | {summary['per_second']:.1f} |",
             f"| latency of answered requests p50 / p95 / max (ms) | {ms(summary['p50'])} / "
             f"{ms(summary['p95'])} / {ms(summary['max'])} |",
             f"| 5xx other than 503 | {summary['server_errors']} |",
             f"| hangs (answers over the hang limit) / no answer at all | {summary['hangs']} "
             f"/ {summary['no_answer']} |"]
    if "503" in summary:
        first = summary["first_ok_after_up"]
        last = summary["last_503_after_up"]
        lines += [
            f"| `pg_ctl restart -m fast` took (s) | {summary['restart_seconds']:.2f} |",
            f"| 503 answers / their p95 / max latency (ms) | {summary['503']:,} / "
            f"{ms(summary['503_p95'])} / {ms(summary['503_max'])} |",
            "| first 200 after the server was back (s) | "
            + ("none" if first is None else f"{first:.2f}") + " |",
            "| last 503 after the server was back (s) | "
            + ("none" if last is None else f"{last:.2f}") + " |"]
    lines += [f"| orders told placed / in the database (all phases so far) | {orders['told']} "
              f"/ {orders['in_db']} |",
              f"| lost / doubled / in the database untold / unanswered | {orders['lost']} / "
              f"{orders['doubled']} / {orders['untold']} / {orders['unresolved']} |"]
    return "\n".join(lines)


def action_table(summary: dict) -> str:
    lines = ["| step | requests | p50 ms | p95 ms | max ms |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for action, (count, p50, p95, top) in summary["actions"].items():
        lines.append(f"| {action} | {count:,} | {ms(p50)} | {ms(p95)} | {ms(top)} |")
    return "\n".join(lines)


def write_readme(body: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"<!-- load:start -->\n{body}\n<!-- load:end -->"
    if "<!-- load:start -->" in text:
        text = re.sub(r"<!-- load:start -->.*<!-- load:end -->", lambda _m: block, text,
                      flags=re.S)
    else:
        text = (text.rstrip() + "\n\n## Load and a database restart (`load.py`, "
                "`make bench-load`)\n\n" + block + "\n")
    readme.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds per phase")
    parser.add_argument("--restart-at", type=float, default=30,
                        help="seconds into the restart phase (negative: no restart phase)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a user's steps, seconds")
    parser.add_argument("--hang", type=float, default=10,
                        help="an answer slower than this many seconds is a hang")
    parser.add_argument("--timeout", type=float, default=15, help="client read time-out")
    parser.add_argument("--recovery", type=float, default=10,
                        help="errors later than this after the server is back fail the run")
    parser.add_argument("--note", default="", help="a sentence about the machine for README")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    def terminated(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGINT, terminated)
    work = Path(tempfile.mkdtemp(prefix="portal-load.", dir="/tmp"))
    os.chmod(work, 0o755)
    cluster = server = None
    failed = True
    try:
        cluster = Cluster(work)
        say(f"PostgreSQL {cluster.version()} cluster on 127.0.0.1:{cluster.port}")
        cluster.start()
        instance = work / "instance"
        instance.mkdir()
        env = portal_env(cluster.url, instance)
        say(f"database: upgrade, demo, {args.users} load users")
        usernames = prepare(env, args.users)
        server = Server(env, args.workers, work / "gunicorn.log")
        server.wait_ready()
        say(f"gunicorn -w {args.workers} on {server.base}")
        load_before = os.getloadavg()
        stats = Stats()
        sessions: dict[str, requests.Session] = {}
        Customer.signing_in = threading.Semaphore(args.workers)
        steady = run_phase("steady", server, usernames, args, stats, sessions)
        steady_sum = summarise(steady, stats, args)
        steady_orders = check_orders(cluster.url, stats)
        print(phase_table(steady_sum, steady_orders), flush=True)
        sections = [("steady", steady_sum, steady_orders)]
        if args.restart_at >= 0:
            restarted = run_phase("restart", server, usernames, args, stats, sessions, cluster)
            restart_sum = summarise(restarted, stats, args)
            restart_orders = check_orders(cluster.url, stats)
            print(phase_table(restart_sum, restart_orders), flush=True)
            sections.append(("restart", restart_sum, restart_orders))
        load_after = os.getloadavg()
        log = server.log.read_text(errors="replace")
        tracebacks = log.count("Traceback (most recent call last)")
        for problem in stats.problems[:20]:
            say(f"problem: {problem}")
        if tracebacks:
            say(f"gunicorn log has {tracebacks} tracebacks; the first:")
            start = log.index("Traceback (most recent call last)")
            print(log[start:start + 4000], flush=True)

        failures = []
        if steady_sum["errors"]:
            failures.append(f"steady phase: {steady_sum['errors']} errors")
        for name, summary, orders in sections:
            if summary["server_errors"]:
                failures.append(f"{name}: {summary['server_errors']} 5xx other than 503")
            if summary["hangs"]:
                failures.append(f"{name}: {summary['hangs']} hangs")
            if summary["no_answer"]:
                failures.append(f"{name}: {summary['no_answer']} requests without an answer")
                for example in summary["no_answer_examples"]:
                    say(f"{name}: no answer: {example}")
            if orders["lost"] or orders["doubled"] or orders["untold"]:
                failures.append(f"{name}: orders lost {orders['lost']}, doubled "
                                f"{orders['doubled']}, untold {orders['untold']}")
            if summary.get("errors_after"):
                failures.append(f"{name}: {summary['errors_after']} errors more than "
                                f"{args.recovery:g} s after the server was back")
        if tracebacks:
            failures.append(f"{tracebacks} tracebacks in the gunicorn log")
        if stats.problems:
            failures.append(f"{len(stats.problems)} client problems")

        heading = (
            f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, `benchmarks/load.py --users "
            f"{args.users} --duration {args.duration} --restart-at {args.restart_at:g}` "
            f"(think time {args.think:g} s on average, gunicorn -w {args.workers} sync workers, "
            f"PostgreSQL {cluster.version()} in a throwaway cluster, load and server on the same "
            f"{os.cpu_count()} cores, {platform.python_implementation()} "
            f"{platform.python_version()}; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after). {args.note}".strip())
        body = [heading]
        for name, summary, orders in sections:
            title = ("Steady load" if name == "steady" else
                     f"Database restarted at {args.restart_at:g} s")
            body += [f"### {title}", phase_table(summary, orders),
                     f"Per step ({name} phase, from the start of the clock; "
                     "503s and their retries included):", action_table(summary)]
        body.append("Result: " + ("**failed**: " + "; ".join(failures) if failures else
                                  "passed (no error under steady load; during the restart only "
                                  "503s, no 500, no hang; no order lost or doubled)."))
        text = "\n\n".join(body)
        print(text, flush=True)
        if not args.no_readme:
            write_readme(text)
        failed = bool(failures)
        return 1 if failed else 0
    except KeyboardInterrupt:
        say("interrupted; cleaning up")
        return 130
    finally:
        if server is not None:
            server.stop()
            if failed:
                lines = [line for line in server.log.read_text(errors="replace").splitlines()
                         if "database unavailable" not in line]
                if lines:
                    print("--- gunicorn log (without the 503 warnings) ---\n"
                          + "\n".join(lines[-60:]), flush=True)
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
