"""Scale benchmark: do key pages cost the same at 1,000 and at 100,000 ideas?

`make bench` (or `.venv/bin/python bench/run.py`). Builds one SQLite database per size under
bench/data/ with `manage.py seed_demo --ideas N` (reused when present and the right size), then
starts one worker process per database. Each worker serves requests in-process with
django.test.Client, signed in as the demo innovation manager. The parent interleaves the
workers in short rounds, so a noisy neighbour on the machine slows both datasets alike.

Per route and dataset it reports the query count (CaptureQueriesContext) and p50/p95 wall time,
checks the goals (same query count at both sizes; p95 at the large size <= 1.5 x p95 at the
small one), prints a Markdown table and writes bench/results/<timestamp>.json and latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (``python bench/run.py``), the project root is not on the import path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
GOAL_RATIO = 1.5
BULK_VERB = "demo.bulk_loaded"  # seedbed.core.demo.bulk.BULK_VERB, read without Django
BASELINE = "baseline"
# Route name -> who asks. The manager sees everything; a contributor's view is filtered by
# org unit, which is a different query plan and must scale too.
ROUTES = {
    BASELINE: "manager",
    "home": "manager",
    "challenge list": "manager",
    "challenge page": "manager",
    "idea page": "manager",
    "API idea list": "manager",
    "home (contributor)": "contributor",
    "idea list (contributor)": "contributor",
    "challenge page (contributor)": "contributor",
    "API idea list (contributor)": "contributor",
    # Duplicate suggestions while typing (bench/duplicates.py): cycles through the paraphrases.
    "suggestions (contributor)": "contributor",
    # The feed's default sort, one filter with a sort no counter knows, and a 2-word search.
    "feed": "manager",
    "feed filtered": "manager",
    "search": "manager",
    "search (contributor)": "contributor",
    # The pipeline (issue #5): one initiative for every ten ideas (10,000 at the large size).
    "board": "manager",
    "portfolio matrix": "manager",
    "portfolio matrix SVG": "manager",
    "portfolio balance": "manager",
    "initiative list": "manager",
    "initiative page": "manager",
    "gate page": "manager",
    "API initiative list": "manager",
    "initiative list (contributor)": "contributor",
    "API initiative list (contributor)": "contributor",
}
SUGGESTIONS = "suggestions (contributor)"


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def env_for(db: Path) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "SEEDBED_TESTING": "1",
            "DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(ROOT)}


# --- Datasets -------------------------------------------------------------------------------

def loaded_size(db: Path) -> int | None:
    """The number of bulk ideas in a dataset file, or None if it is missing or unfinished."""
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            row = conn.execute(
                "SELECT changes FROM audit_auditevent WHERE verb = ? ORDER BY seq DESC LIMIT 1",
                [BULK_VERB]).fetchone()
            applied = {f"{app}.{name}" for app, name in
                       conn.execute("SELECT app, name FROM django_migrations")}
    except sqlite3.Error:
        return None
    if not our_migrations() <= applied:
        return None  # built before a newer migration: its schema is out of date
    return json.loads(row[0])["ideas"]["after"] if row else None


def our_migrations() -> set[str]:
    """Seedbed's own migrations, as django_migrations names them ("ideas.0001_initial")."""
    return {f"{path.parent.parent.name}.{path.stem}"
            for path in (ROOT / "seedbed").glob("*/migrations/0*.py")}


def ensure_dataset(size: int, *, rebuild: bool) -> Path:
    db = DATA / f"ideas-{size}.sqlite3"
    if not rebuild and loaded_size(db) == size:
        print(f"dataset {label(size)}: reusing {db.relative_to(ROOT)}", flush=True)
        return db
    DATA.mkdir(parents=True, exist_ok=True)
    building = db.with_suffix(".building")
    for path in (db, building):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"dataset {label(size)}: building {db.relative_to(ROOT)} …", flush=True)
    started = time.perf_counter()
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"], ["seed_demo", "--ideas", str(size)]):
        subprocess.run([*manage, *args], env=env_for(building), cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    # Fold the WAL into the main file so the dataset is one self-contained file.
    with sqlite3.connect(building) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.rename(db)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    print(f"dataset {label(size)}: built in {time.perf_counter() - started:.0f} s", flush=True)
    return db


# --- Worker: one process per dataset, driven over stdin/stdout ------------------------------

def worker(db: Path) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from seedbed.accounts.models import User
    from seedbed.ideas.models import Challenge, Comment, Idea, Vote
    from seedbed.pipeline.models import Initiative

    clients = {}
    for role in set(ROUTES.values()):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=f"{role}@demo.seedbed.test"))
    challenge = Challenge.objects.order_by("-idea_count", "pk").first()
    # The same discussion size at every scale, so the idea page compares like with like.
    open_ideas = Idea.objects.filter(challenge__status="open", vote_count__gte=3)
    idea = (open_ideas.filter(comment_count=8).order_by("pk").first()
            or open_ideas.filter(comment_count__gte=1).order_by("-comment_count", "pk").first())
    paths = {
        "baseline": "/bench/baseline",
        "home": "/",
        "challenge list": "/challenges/",
        "challenge page": f"/challenges/{challenge.pk}/",
        "idea page": f"/ideas/{idea.pk}/",
        "API idea list": "/api/v1/ideas",
    }
    paths["home (contributor)"] = paths["home"]
    paths["idea list (contributor)"] = "/ideas/"
    paths["challenge page (contributor)"] = paths["challenge page"]
    paths["API idea list (contributor)"] = paths["API idea list"]
    paths["feed"] = "/ideas/"
    paths["feed filtered"] = f"/ideas/?challenge={challenge.pk}&sort=trending"
    # Two words of one idea text of the bulk set (every text repeats every few dozen ideas).
    paths["search"] = "/ideas/?q=returnable+crates"
    paths["search (contributor)"] = paths["search"]
    # An initiative past its first gate, with its team, records and decisions.
    initiative = Initiative.objects.filter(status="active", stage__position=1,
                                           confidential=False).order_by("pk").first()
    paths["board"] = reverse("pipeline:board")
    paths["portfolio matrix"] = reverse("pipeline:portfolio_matrix")
    paths["portfolio matrix SVG"] = reverse("pipeline:portfolio_matrix_svg")
    paths["portfolio balance"] = reverse("pipeline:portfolio_balance")
    paths["initiative list"] = reverse("pipeline:initiative_list")
    paths["initiative page"] = reverse("pipeline:initiative_detail", args=[initiative.pk])
    paths["gate page"] = reverse("pipeline:initiative_gate", args=[initiative.pk])
    paths["API initiative list"] = "/api/v1/pipeline/initiatives"
    paths["initiative list (contributor)"] = paths["initiative list"]
    paths["API initiative list (contributor)"] = paths["API initiative list"]
    from bench import duplicates

    rotating = {SUGGESTIONS: duplicates.suggestion_paths()}
    paths[SUGGESTIONS] = rotating[SUGGESTIONS][0]
    turn = {route: 0 for route in rotating}

    def get(route: str) -> None:
        path = paths[route]
        if route in rotating:
            path = rotating[route][turn[route] % len(rotating[route])]
            turn[route] += 1
        response = clients[ROUTES[route]].get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    def handle(command: dict) -> object:
        if command["cmd"] == "describe":
            return {
                "paths": paths,
                "rows": {"ideas": Idea.objects.count(), "users": User.objects.count(),
                         "challenges": Challenge.objects.count(), "votes": Vote.objects.count(),
                         "comments": Comment.objects.count(),
                         "initiatives": Initiative.objects.count()},
                "challenge_ideas": challenge.idea_count,
                "idea_comments": idea.comment_count, "idea_votes": idea.vote_count,
            }
        if command["cmd"] == "recall":
            return duplicates.recall_at_5(User.objects.get(email="contributor@demo.seedbed.test"))
        route = command["route"]
        if command["cmd"] == "queries":
            with CaptureQueriesContext(connection) as captured:
                get(route)
            return [q["sql"] for q in captured.captured_queries]
        if command["cmd"] == "time":
            timings = []
            for _ in range(command["n"]):
                started = time.perf_counter()
                get(route)
                timings.append((time.perf_counter() - started) * 1000)
            return timings
        raise ValueError(command)

    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "quit":
            break
        try:
            reply = {"ok": handle(command)}
        except Exception as exc:  # report to the parent, which stops the run
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(reply), flush=True)


class Worker:
    def __init__(self, size: int, db: Path):
        self.size = size
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(db)], env=env_for(db), cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, **command):
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {label(self.size)} exited")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"worker {label(self.size)}: {reply['error']}")
        return reply["ok"]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write('{"cmd": "quit"}\n')
            self.proc.stdin.flush()
            self.proc.wait(timeout=30)


# --- Measuring and reporting ----------------------------------------------------------------

def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure(workers: list[Worker], requests: int, batch: int, warmup: int) -> dict:
    for w in workers:
        for route in ROUTES:
            w.ask(cmd="time", route=route, n=warmup)
    queries = {w.size: {r: w.ask(cmd="queries", route=r) for r in ROUTES} for w in workers}
    timings: dict[int, dict[str, list[float]]] = {w.size: {r: [] for r in ROUTES} for w in workers}
    rounds = -(-requests // batch)
    for number in range(rounds):
        # Alternate who goes first, so neither dataset always runs just after the other.
        order = workers if number % 2 == 0 else workers[::-1]
        for route in ROUTES:
            for w in order:
                timings[w.size][route] += w.ask(cmd="time", route=route, n=batch)
    return {"queries": queries, "timings": timings}


def summarise(sizes: list[int], measured: dict) -> list[dict]:
    small, large = sizes[0], sizes[-1]
    rows = []
    base_p95 = percentile(measured["timings"][large][BASELINE], 95)
    for route in ROUTES:
        row: dict = {"route": route}
        for size in sizes:
            times = measured["timings"][size][route]
            row[size] = {"queries": len(measured["queries"][size][route]),
                         "p50_ms": round(statistics.median(times), 2),
                         "p95_ms": round(percentile(times, 95), 2),
                         "mean_ms": round(statistics.fmean(times), 2), "n": len(times)}
        row["p95_vs_baseline"] = round(row[large]["p95_ms"] / base_p95, 1)
        row["p95_large_vs_small"] = round(row[large]["p95_ms"] / row[small]["p95_ms"], 2)
        row["same_queries"] = row[small]["queries"] == row[large]["queries"]
        row["within_ratio"] = row["p95_large_vs_small"] <= GOAL_RATIO
        if route == BASELINE:
            # No database, no template: its spread is pure machine jitter, not scale.
            row["goal"] = "reference"
        else:
            row["goal"] = "PASS" if row["same_queries"] and row["within_ratio"] else "MISS"
        rows.append(row)
    return rows


def duplicate_goals(sizes: list[int], rows: list[dict], recall: dict) -> dict:
    """Issue #4: recall@5 >= 0.8 on the paraphrase set at the largest size, and the suggestion
    request's p95 within 3 x the idea page's p95 there."""
    from bench.duplicates import P95_GOAL, RECALL_GOAL

    large = sizes[-1]
    by_route = {row["route"]: row for row in rows}
    ratio = round(by_route[SUGGESTIONS][large]["p95_ms"]
                  / by_route["idea page"][large]["p95_ms"], 2)
    r = recall[large]
    recall_ok, ratio_ok = r["recall_at_5"] >= RECALL_GOAL, ratio <= P95_GOAL
    lines = ["| duplicate suggestions | " + " | ".join(label(s) for s in sizes) + " | goal |",
             "|" + "---|" * (len(sizes) + 2),
             "| recall@5 (paraphrases) | " + " | ".join(
                 f"{recall[s]['recall_at_5']:.2f} ({recall[s]['hits']}/{recall[s]['pairs']})"
                 for s in sizes) + f" | ≥ {RECALL_GOAL} at {label(large)}: "
             + ("PASS" if recall_ok else "MISS") + " |",
             "| p95 suggestions ÷ p95 idea page | " + " | ".join(
                 f"{by_route[SUGGESTIONS][s]['p95_ms'] / by_route['idea page'][s]['p95_ms']:.2f}"
                 for s in sizes) + f" | ≤ {P95_GOAL} at {label(large)}: "
             + ("PASS" if ratio_ok else "MISS") + " |"]
    misses = ([] if recall_ok else ["duplicate recall@5"]) + \
        ([] if ratio_ok else ["suggestion p95 vs idea page"])
    return {"recall": {label(s): recall[s] for s in sizes}, "p95_ratio": ratio,
            "recall_goal": RECALL_GOAL, "p95_goal": P95_GOAL,
            "recall_pass": recall_ok, "p95_pass": ratio_ok, "misses": misses,
            "text": "\n".join(lines) + "\n"}


def table(sizes: list[int], rows: list[dict]) -> str:
    s, b = label(sizes[0]), label(sizes[-1])
    head = (f"| route | queries {s} | queries {b} | p50 {s} | p95 {s} | p50 {b} | p95 {b} "
            f"| p95 ÷ baseline ({b}) | p95 {b} ÷ {s} | goal |")
    lines = [head, "|" + "---|" * 10]
    for row in rows:
        lo, hi = row[sizes[0]], row[sizes[-1]]
        why = [] if row["same_queries"] or row["goal"] != "MISS" else ["queries differ"]
        why += [] if row["within_ratio"] or row["goal"] != "MISS" else [f"p95 ratio > {GOAL_RATIO}"]
        goal = row["goal"] + (f" ({', '.join(why)})" if why else "")
        lines.append(
            f"| {row['route']} | {lo['queries']} | {hi['queries']} | {lo['p50_ms']:.1f} ms "
            f"| {lo['p95_ms']:.1f} ms | {hi['p50_ms']:.1f} ms | {hi['p95_ms']:.1f} ms "
            f"| {row['p95_vs_baseline']:.1f}× | {row['p95_large_vs_small']:.2f} | {goal} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000",
                        help="comma-separated idea counts, smallest first (default 1000,100000)")
    parser.add_argument("--requests", type=int, default=300,
                        help="timed requests per route and dataset (default 300)")
    parser.add_argument("--batch", type=int, default=25,
                        help="requests per route in each interleaved round (default 25)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the datasets")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--load-originals", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker))
        return 0
    if args.load_originals:
        import django

        django.setup()
        from bench import duplicates

        print(f"paraphrase originals: {duplicates.load_originals()} inserted", flush=True)
        return 0

    sizes = sorted(int(size) for size in args.sizes.split(","))
    started = time.perf_counter()
    dbs = {size: ensure_dataset(size, rebuild=args.rebuild) for size in sizes}
    for db in dbs.values():
        # The duplicate finder's test set: the originals of bench/paraphrases.json (once).
        subprocess.run([sys.executable, __file__, "--load-originals", str(db)], env=env_for(db),
                       cwd=ROOT, check=True)
    workers = [Worker(size, dbs[size]) for size in sizes]
    try:
        described = {w.size: w.ask(cmd="describe") for w in workers}
        for w in workers:
            d = described[w.size]
            print(f"dataset {label(w.size)}: {d['rows']}; challenge page has "
                  f"{d['challenge_ideas']:,} ideas; idea page has {d['idea_comments']} comments "
                  f"and {d['idea_votes']} votes", flush=True)
        print(f"measuring {args.requests} requests per route and dataset …", flush=True)
        measured = measure(workers, args.requests, args.batch, args.warmup)
        recall = {w.size: w.ask(cmd="recall") for w in workers}
    finally:
        for w in workers:
            w.close()
    rows = summarise(sizes, measured)
    print()
    print(table(sizes, rows))
    print()
    misses = [row["route"] for row in rows if row["goal"] == "MISS"]
    dup = duplicate_goals(sizes, rows, recall)
    print(dup["text"])
    misses += dup["misses"]
    print(f"goals: same query count at {label(sizes[0])} and {label(sizes[-1])}; p95 at "
          f"{label(sizes[-1])} <= {GOAL_RATIO} x p95 at {label(sizes[0])}: "
          + ("all PASS" if not misses else f"MISS for {', '.join(misses)}"))

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "when": stamp,
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "cpus": os.cpu_count(), "platform": platform.platform()},
        "settings": {"requests": args.requests, "batch": args.batch, "warmup": args.warmup,
                     "goal_ratio": GOAL_RATIO},
        "datasets": {label(s): {"file": str(dbs[s].relative_to(ROOT)), **described[s]}
                     for s in sizes},
        "duplicates": {k: v for k, v in dup.items() if k != "text"},
        "routes": [{**{k: v for k, v in row.items() if not isinstance(k, int)},
                    **{label(s): row[s] for s in sizes},
                    "sql": {label(s): measured["queries"][s][row["route"]] for s in sizes}}
                   for row in rows],
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    body = json.dumps(result, indent=2)
    (RESULTS / f"{stamp}.json").write_text(body)
    (RESULTS / "latest.json").write_text(body)
    print(f"results: bench/results/{stamp}.json ({result['seconds']:.0f} s in all)")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
