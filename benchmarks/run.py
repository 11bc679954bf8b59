"""Scale benchmark: each main page at two data scales, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/run.py [--small 0.001] [--large 0.1] [--db sqlite,postgresql]

For each database, two data sets are prepared once (``portal db upgrade``, ``portal demo``, then
``generate.py`` at the scale factor; kept under ``--work`` and in databases named
``portal_bench_<scale>`` on ``--postgres-url``, reused on the next run unless ``--fresh``).
Then, for every page, it measures the SQL statements of one request and the median server
time of ``--repeat`` requests through Flask's test client (no network), alternating the two
scales in ``--rounds`` passes so that machine noise hits both alike. The ratio is time at the
large scale ÷ time at the small one; a flat page stays near 1.

With ``--throughput SECONDS`` it also serves the large data set with gunicorn on loopback and
loads each page with wrk (or a small bounded Python client when wrk is missing), as a share of
the requests per second of a trivial endpoint (a signed-in 404) in the same pass.

The tables are printed and written into ``benchmarks/README.md`` between the markers
``<!-- scale:start -->`` and ``<!-- scale:end -->``. Figures are recorded, never asserted by
tests (tests assert SQL statement counts instead).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import event

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PASSWORD = "portal-demo-2026"

# (label, user, URL). Deep pages clamp to the last page on a small data set.
PAGES = [
    ("dashboard", "ayse", "/"),
    ("dashboard open-orders panel", "ayse", "/orders/panel"),
    ("orders", "ayse", "/orders/"),
    ("orders, status in progress", "ayse", "/orders/?status=in_progress"),
    ("orders, page 300", "ayse", "/orders/?page=300"),
    ("order statement", "ayse", "/orders/statement"),
    ("catalogue", "ayse", "/orders/catalogue"),
    ("catalogue search", "ayse", "/orders/catalogue?q=kablo"),
    ("catalogue, page 40", "ayse", "/orders/catalogue?page=40"),
    ("invoices", "ayse", "/documents/invoice/"),
    ("invoices, page 300", "ayse", "/documents/invoice/?page=300"),
    ("goods issues, page 300", "ayse", "/documents/goods_issue/?page=300"),
    ("invoices CSV (all)", "ayse", "/documents/invoice/export.csv"),
    ("balance", "ayse", "/balances/"),
    ("balance by orders", "ayse", "/balances/orders"),
    ("balance of one order", "ayse", "/balances/orders/SO-DEMO-0001"),
    ("staff order inbox", "admin", "/admin/orders/"),
    ("admin companies", "admin", "/admin/companies"),
    ("admin users", "admin", "/admin/users"),
]
THROUGHPUT_PAGES = ["/", "/orders/panel", "/orders/", "/documents/invoice/",
                    "/orders/catalogue?q=kablo", "/orders/statement"]
TRIVIAL = "/bench-no-such-page"


def scale_tag(scale: float) -> str:
    return format(scale, "g").replace(".", "_")


class DataSet:
    def __init__(self, database: str, scale: float, args):
        self.database, self.scale = database, scale
        self.instance = Path(args.work) / f"{database}-{scale_tag(scale)}"
        if database == "sqlite":
            self.url = f"sqlite:///{self.instance / 'portal.sqlite3'}"
        else:
            base = args.postgres_url.rsplit("/", 1)[0]
            self.url = f"{base}/{args.database_prefix}_{scale_tag(scale)}"
        self.server_url = args.postgres_url

    @property
    def env(self) -> dict:
        return {**os.environ, "PORTAL_DATABASE_URL": self.url,
                "PORTAL_INSTANCE_PATH": str(self.instance)}

    def prepare(self, fresh: bool) -> None:
        marker = self.instance / "generated"
        if marker.exists() and not fresh:
            # Reused: bring the schema to head (new indexes) and refresh statistics.
            subprocess.run([str(BIN / "portal"), "db", "upgrade"], env=self.env, check=True,
                           stdout=subprocess.DEVNULL)
            return
        if self.instance.exists():
            shutil.rmtree(self.instance)
        self.instance.mkdir(parents=True)
        if self.database == "postgresql":
            self._recreate_database()
        print(f"preparing {self.database} at scale {self.scale:g} …", flush=True)
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run([str(BIN / "portal"), *command], env=self.env, check=True,
                           stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--database-url", self.url,
                        "--scale", str(self.scale)], env=self.env, check=True)
        marker.write_text(dt.datetime.now(dt.UTC).isoformat())

    def _recreate_database(self) -> None:
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        server = re.sub(r"^postgresql\+\w+://", "postgresql://", self.server_url)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

    def app(self):
        from portal import create_app

        os.environ["PORTAL_INSTANCE_PATH"] = str(self.instance)
        return create_app({"DATABASE_URL": self.url, "INSTANCE_PATH": str(self.instance)})


def signed_in_client(app, username: str):
    from itsdangerous import URLSafeTimedSerializer

    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf_token"] = "bench"
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps("bench")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 303:
        raise SystemExit(f"could not sign in as {username}: {response.status_code}")
    return client


class Target:
    """One data set's app, its signed-in clients and a statement counter."""

    def __init__(self, data: DataSet):
        self.data = data
        self.app = data.app()
        self.clients = {user: signed_in_client(self.app, user) for user in ("ayse", "admin")}
        self.statements = 0
        event.listen(self.app.extensions["portal.engine"], "before_cursor_execute",
                     self._count)

    def _count(self, *_args):
        self.statements += 1

    def get(self, user: str, url: str):
        response = self.clients[user].get(url, headers={"Accept-Encoding": "identity"})
        response.get_data()
        return response

    def probe(self, user: str, url: str) -> tuple[int, int, int]:
        self.get(user, url)  # warm caches
        self.statements = 0
        response = self.get(user, url)
        return response.status_code, len(response.get_data()), self.statements

    def timed(self, user: str, url: str, repeat: int) -> list[float]:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            self.get(user, url)
            times.append((time.perf_counter() - start) * 1000)
        return times


def measure_pages(small: Target, large: Target, repeat: int, rounds: int) -> list[dict]:
    rows = []
    for label, user, url in PAGES:
        status_s, _bytes_s, queries_s = small.probe(user, url)
        status_l, bytes_l, queries_l = large.probe(user, url)
        medians = {"small": [], "large": []}
        for _ in range(rounds):
            medians["small"].append(statistics.median(small.timed(user, url, repeat)))
            medians["large"].append(statistics.median(large.timed(user, url, repeat)))
        ms_small = statistics.median(medians["small"])
        ms_large = statistics.median(medians["large"])
        rows.append({"label": label, "url": url, "status": f"{status_s}/{status_l}",
                     "bytes": bytes_l, "queries": f"{queries_s}/{queries_l}",
                     "small": ms_small, "large": ms_large, "ratio": ms_large / ms_small})
        print(f"  {label}: {ms_small:.1f} → {ms_large:.1f} ms", flush=True)
    return rows


# -- throughput -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def load_with_wrk(port: int, url: str, cookie: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c10", f"-d{seconds}s", "-H", f"Cookie: {cookie}",
         "-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{port}{url}"],
        capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def load_with_python(port: int, url: str, cookie: str, seconds: int,
                     connections: int = 10) -> float:
    """Keep-alive clients on threads for ``seconds``; completed requests per second."""
    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            try:
                conn.request("GET", url, headers={"Cookie": cookie,
                                                  "Accept-Encoding": "gzip"})
                conn.getresponse().read()
                done[index] += 1
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def measure_throughput(target: Target, seconds: int, workers: int) -> tuple[str, list[dict]]:
    port = free_port()
    cookie = "; ".join(f"{c.key}={c.value}"
                       for c in target.clients["ayse"]._cookies.values())
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "portal:create_app()"],
        env=target.data.env, cwd=ROOT)
    tool = "wrk" if shutil.which("wrk") else "python client"
    load = load_with_wrk if tool == "wrk" else load_with_python
    rows = []
    try:
        wait_for(port)
        load(port, TRIVIAL, cookie, 2)  # warm every worker
        for url in THROUGHPUT_PAGES:
            base = load(port, TRIVIAL, cookie, seconds)
            rate = load(port, url, cookie, seconds)
            rows.append({"url": url, "rate": rate, "trivial": base, "share": rate / base})
            print(f"  {url}: {rate:.0f} req/s = {rate / base:.2f} of {base:.0f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return tool, rows


# -- report -----------------------------------------------------------------------------------

def page_table(database: str, small: float, large: float, rows: list[dict]) -> str:
    lines = [f"### {database}: scale {small:g} → {large:g}", "",
             "| page | status | bytes | SQL statements | ms small | ms large | ratio |",
             "| --- | --- | ---: | --- | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row['label']} (`{row['url']}`) | {row['status']} | {row['bytes']:,} "
                     f"| {row['queries']} | {row['small']:.1f} | {row['large']:.1f} "
                     f"| {row['ratio']:.2f}× |")
    return "\n".join(lines)


def throughput_table(database: str, tool: str, workers: int, rows: list[dict]) -> str:
    lines = [f"### {database}: throughput at the large scale ({tool}, gunicorn -w {workers})",
             "", "| page | requests/s | trivial endpoint requests/s | share |",
             "| --- | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| `{row['url']}` | {row['rate']:.0f} | {row['trivial']:.0f} "
                     f"| {row['share']:.2f} |")
    return "\n".join(lines)


def write_readme(body: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"<!-- scale:start -->\n{body}\n<!-- scale:end -->"
    if "<!-- scale:start -->" in text:
        text = re.sub(r"<!-- scale:start -->.*<!-- scale:end -->", lambda _m: block, text,
                      flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Scale (`run.py`, `make bench`)\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=float, default=0.001)
    parser.add_argument("--large", type=float, default=0.1)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--throughput", type=int, default=0, metavar="SECONDS",
                        help="seconds of load per page and pass (0: skip)")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--work", default="/tmp/portal-bench")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "PORTAL_BENCH_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/postgres"))
    parser.add_argument("--database-prefix", default="portal_bench",
                        help="PostgreSQL databases are named PREFIX_<scale> (one per checkout "
                             "when several run at once)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data sets")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--prepare-only", action="store_true", help="generate, measure nothing")
    args = parser.parse_args()

    sections = [f"Run {dt.date.today().isoformat()} on {os.cpu_count()} cores "
                f"({platform.python_implementation()} {platform.python_version()}): "
                f"`benchmarks/run.py --small {args.small:g} --large {args.large:g} "
                f"--repeat {args.repeat} --rounds {args.rounds}"
                + (f" --throughput {args.throughput}" if args.throughput else "") + "`. "
                "SQL statements and status are small/large; times are medians of "
                f"{args.rounds} alternated passes of {args.repeat} requests."]
    for database in args.db.split(","):
        small_data = DataSet(database, args.small, args)
        large_data = DataSet(database, args.large, args)
        small_data.prepare(args.fresh)
        large_data.prepare(args.fresh)
        if args.prepare_only:
            continue
        print(f"{database}: measuring pages", flush=True)
        small, large = Target(small_data), Target(large_data)
        rows = measure_pages(small, large, args.repeat, args.rounds)
        sections.append(page_table(database, args.small, args.large, rows))
        print(sections[-1], flush=True)
        if args.throughput:
            print(f"{database}: throughput", flush=True)
            tool, trows = measure_throughput(large, args.throughput, args.workers)
            sections.append(throughput_table(database, tool, args.workers, trows))
            print(sections[-1], flush=True)
    if not args.no_readme and not args.prepare_only:
        write_readme("\n\n".join(sections))


if __name__ == "__main__":
    main()
