"""`make bench-scale`: every page and admin screen at two archive sizes.

1. Two PostgreSQL databases of its own (`newsroom_bench_1k` and
   `newsroom_bench_100k`, or BENCH_DB_1K and BENCH_DB_100K, on the server of
   BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432): created,
   migrated, and filled by `manage.py generate_scale_data` with 1,000 articles
   / 10,000 comments and 100,000 articles / 1,000,000 comments. A database
   already filled is reused as it is (`--regenerate` makes it again).
2. The static files collected once, as a deploy does (production settings
   need the manifest).
3. `bench/measure.py` on each database with DEBUG off, the two sizes in
   turn for `--rounds` rounds (so that both see the same load on a shared
   machine): median of `--runs` in-process requests per case in all, response
   size, query count, and the large tables any query reads sequentially
   (EXPLAIN ANALYZE of every SELECT: « none » is the proof that each is served
   by an index).
4. The table: both sizes side by side, the 100k / 1k ratio and the target.

Usage: `make bench-scale` or `.venv/bin/python bench/bench_scale.py [--runs 20]
[--regenerate] [--only 1k]`. The table is also written to `var/bench-scale.md`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

# The benchmark runs our own manage.py and script with fixed arguments.
# ruff: noqa: S603
ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = {
    "1k": {
        "articles": 1_000,
        "comments": 10_000,
        "database": os.environ.get("BENCH_DB_1K", "newsroom_bench_1k"),
    },
    "100k": {
        "articles": 100_000,
        "comments": 1_000_000,
        "database": os.environ.get("BENCH_DB_100K", "newsroom_bench_100k"),
    },
}
# Issue 8's targets: (kind, value). "ratio": at most this × the 1k time;
# "ms": below this at 100k; "kb": response below this size at 100k.
TARGETS = {
    "home": [("ratio", 1.5)],
    "ordinary article": [("ratio", 1.5)],
    "search « métropole »": [("ratio", 1.5), ("ms", 100)],
    "section, last page": [("ratio", 1.5)],
    "sitemap.xml (index)": [("ratio", 1.5)],
    "sitemap articles, last page": [("ratio", 1.5)],
    # A young site has a few tags, a large one hundreds: the page grows up to
    # its 1,000 URLs, the cost per URL stays.
    "sitemap tags": [("ms", 100)],
    "Google News sitemap": [("ratio", 1.5)],
    "admin comment list": [("ms", 300), ("kb", 200)],
    "admin search by e-mail": [("ms", 300)],
    "admin bulk approve 100": [("ms", 2000)],
    "admin article list": [("ms", 500)],
    "comment POST": [("ratio", 1.5)],
    "purge_comment_data": [("ms", 2000)],
}


def server_url():
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name):
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(name):
    with psycopg.connect(server_url(), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Base {name} créée.")


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(size, *, regenerate):
    spec = SIZES[size]
    ensure_database(spec["database"])
    env = {**os.environ, "DATABASE_URL": database_url(spec["database"]), "DJANGO_DEBUG": "true"}
    manage("migrate", "--noinput", "-v0", env=env)
    command = ["generate_scale_data", f"--articles={spec['articles']}", f"--comments={spec['comments']}"]
    if regenerate:
        command.append("--reset")
    manage(*command, env=env)


def production_env(database, static_root):
    return {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-scale-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": "",
        "LOG_LEVEL": "ERROR",
    }


def collect_static(static_root):
    env = production_env(SIZES["1k"]["database"], static_root)
    manage("collectstatic", "--noinput", "-v0", env=env)


def measure(size, *, runs, static_root, output):
    print(f"\n== {size} ==", flush=True)
    env = production_env(SIZES[size]["database"], static_root)
    subprocess.run(
        [PYTHON, "bench/measure.py", f"--runs={runs}", f"--output={output}"], cwd=ROOT, env=env, check=True
    )
    return json.loads(Path(output).read_text())


def merge(rounds):
    """One result per case from several rounds: the median of all samples,
    the rest from the last round."""
    merged = rounds[-1]
    for name, result in merged["results"].items():
        samples = [sample for data in rounds for sample in data["results"][name]["samples"]]
        result["ms"] = statistics.median(samples)
        result["samples"] = samples
    return merged


def verdict(name, small, big):
    checks = []
    for kind, limit in TARGETS.get(name, []):
        if kind == "ratio" and small:
            checks.append(big["ms"] / small["ms"] <= limit)
        elif kind == "ms":
            checks.append(big["ms"] < limit)
        elif kind == "kb":
            checks.append(big["bytes"] < limit * 1024)
    if not checks:
        return ""
    return "ok" if all(checks) else "MISSED"


def target_text(name):
    words = {"ratio": "≤ {}× 1k", "ms": "< {} ms", "kb": "< {} KB"}
    return ", ".join(words[kind].format(limit) for kind, limit in TARGETS.get(name, []))


def table(results):
    small, big = results.get("1k"), results.get("100k")
    header = (
        "| page | 1k | 100k | 100k / 1k | size 1k → 100k | queries 1k / 100k "
        "| sequential scans at 100k | target | |"
    )
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    names = (big or small)["results"].keys()
    for name in names:
        one = small["results"].get(name) if small else None
        two = big["results"].get(name) if big else None
        ratio = f"{two['ms'] / one['ms']:.2f}×" if one and two and one["ms"] else "—"
        size = f"{_kb(one)} → {_kb(two)}"
        queries = f"{one['queries'] if one else '—'} / {two['queries'] if two else '—'}"
        mark = verdict(name, one, two) if two else ""
        scans = ", ".join(two.get("seq_scans", [])) or "none" if two else "—"
        cells = [name, _ms(one), _ms(two), ratio, size, queries, scans, target_text(name), mark]
        lines.append("| " + " | ".join(cells) + " |")
    counts = [
        f"{size}: {data['counts']['articles']:,} articles, {data['counts']['comments']:,} comments".replace(
            ",", " "
        )
        for size, data in results.items()
    ]
    return "\n".join(lines) + "\n\n" + "; ".join(counts) + "\n"


def _ms(result):
    return f"{result['ms']:.1f} ms" if result else "—"


def _kb(result):
    return f"{result['bytes'] / 1024:.0f} KB" if result else "—"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="measured requests per case (median)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the sizes are measured in turn this many times, so that both see the same machine load",
    )
    parser.add_argument("--regenerate", action="store_true", help="make the databases' data again")
    parser.add_argument("--only", choices=sorted(SIZES), help="one size only")
    options = parser.parse_args()
    sizes = [options.only] if options.only else list(SIZES)
    for size in sizes:
        prepare(size, regenerate=options.regenerate)
    static_root = ROOT / "var" / "bench-static"
    collect_static(static_root)
    rounds = {size: [] for size in sizes}
    runs = max(1, options.runs // options.rounds)
    with tempfile.TemporaryDirectory() as folder:
        for number in range(options.rounds):
            for size in sizes:
                output = Path(folder) / f"{size}-{number}.json"
                rounds[size].append(measure(size, runs=runs, static_root=static_root, output=output))
    results = {size: merge(data) for size, data in rounds.items()}
    text = table(results)
    print("\n" + text)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-scale.md").write_text(text)


if __name__ == "__main__":
    main()
