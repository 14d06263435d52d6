"""`make bench`: Newsroom's article page served as in production, measured
with wrk, against a Django hello-world view and nginx serving a static file.

What it does, in one run:

1. builds a throwaway site in a temporary folder: SQLite database (the
   embedded default; `BENCH_DATABASE_URL` to use PostgreSQL), the demo
   content, the smart-city feature (about 820 words, photo, event box,
   sidebars) with approved comments and a newsroom reply, collected static
   files;
2. starts gunicorn (production settings: DEBUG off, WhiteNoise, Redis as the
   shared cache when it answers at `BENCH_REDIS_URL`, default db 4, under a
   key prefix of its own) with `BENCH_WORKERS` sync workers (2), and nginx
   with the shipped deploy/nginx/newsroom.conf in front of it;
3. measures each target with wrk in `BENCH_ROUNDS` rounds (3) of
   `BENCH_SECONDS` (5) over all targets, so that a change in the machine's
   load weighs on all of them alike, and prints the median requests per
   second, the 99th percentile, the bytes per answer and the ratios the issue
   sets (the median of the ratios within each round);
4. stops everything it started and deletes its folder and Redis keys.

Figures depend on the machine and on what else runs on it: compare the
ratios of one run, not figures of different runs.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.nginx import nginx_available, running_nginx  # noqa: E402

PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
GUNICORN_PORT = int(os.environ.get("BENCH_PORT", "8120"))
NGINX_HTTPS_PORT, NGINX_HTTP_PORT = GUNICORN_PORT + 1, GUNICORN_PORT + 2
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
ARTICLE = "/articles/quelle-place-pour-le-numerique-dans-le-developpement-des-metropoles/"

SETUP_COMMENTS = """
from articles.demo import SMART_CITY_SLUG
from articles.models import Article
from comments.models import Comment, CommentStatus
from comments.services import approve_comment, reply_as_newsroom

article = Article.objects.get(slug=SMART_CITY_SLUG)
texts = [
    "Marseille a tous les atouts pour devenir une vraie métropole numérique.",
    "Et la fracture numérique dans les quartiers nord, on en parle quand ?",
    "Les capteurs, c'est bien, à condition que les données restent publiques.",
    "Bravo pour ce dossier très complet sur les réseaux intelligents.",
    "La police municipale connectée, ça pose quand même des questions.",
    "Vivement le Forum au Pharo, j'y serai.",
]
for n, text in enumerate(texts):
    comment = Comment.objects.create(
        article=article, author_name=f"Lecteur {n}", author_email=f"lecteur{n}@example.org",
        text=text, status=CommentStatus.PENDING,
    )
    approve_comment(comment.pk, moderator=None)
    if n == 1:
        reply_as_newsroom(parent_id=comment.pk, text="Nous y reviendrons.", moderator=None)
"""


def redis_answers():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
        client.ping()
        return client
    except Exception:  # noqa: BLE001 - no Redis: local memory cache, said in the report
        return None


def run(command, env, **kwargs):
    return subprocess.run(
        command, env=env, cwd=BASE_DIR, check=True, capture_output=True, text=True, **kwargs
    )


def prepare(folder, env):
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput"], env)
    run([*manage, "load_demo", "--allow-production"], env)
    run([*manage, "shell", "-c", SETUP_COMMENTS], env)
    run([*manage, "collectstatic", "--noinput", "-v0"], env)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our local server
                return response
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our local server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def wrk(url, *, headers=(), connections=8, threads=2, seconds=None):
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds or SECONDS}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", output)
    size = float(read.group(1)) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[read.group(2)]
    return {
        "rate": rate,
        "p99_ms": p99_ms,
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "bytes_per_response": round(size / max(requests, 1)),
    }


def static_file(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return f"/static/{manifest['paths']['css/site.css']}"


def main():  # noqa: PLR0915 - one straight script
    for tool, path in [("wrk", WRK), ("nginx", "nginx")]:
        if tool == "nginx" and not nginx_available() or tool == "wrk" and not Path(path).exists():
            sys.exit(f"make bench a besoin de {tool} (apt-get install {tool}).")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    redis = redis_answers()
    prefix = f"bench-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_BEHIND_PROXY": "true",
        "SITE_URL": "https://localhost",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"),
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "SERVE_MEDIA": "false",
        "CACHE_KEY_PREFIX": prefix,
        "LOG_LEVEL": "WARNING",
    }
    if redis and not os.environ.get("BENCH_NO_REDIS"):
        env["REDIS_URL"] = REDIS_URL
    else:
        redis = None
        env.pop("REDIS_URL", None)
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    gunicorn = None
    try:
        print(f"Préparation ({database}, cache {'Redis' if redis else 'mémoire locale'}) dans {folder}…")
        prepare(folder, env)
        gunicorn = subprocess.Popen(
            [GUNICORN, "newsroom.wsgi", "--bind", f"127.0.0.1:{GUNICORN_PORT}", "--workers", str(WORKERS)]
            + ["--log-level", "warning"],
            env=env,
            cwd=BASE_DIR,
        )
        app = f"http://127.0.0.1:{GUNICORN_PORT}"
        wait_for(f"{app}/bench/hello/")
        with running_nginx(
            folder / "nginx",
            upstream=f"127.0.0.1:{GUNICORN_PORT}",
            static_root=folder / "static",
            media_root=folder / "media",
            https_port=NGINX_HTTPS_PORT,
            http_port=NGINX_HTTP_PORT,
            workers=2,
        ):
            front = f"https://localhost:{NGINX_HTTPS_PORT}"
            status, headers, page = fetch(f"{app}{ARTICLE}")
            fetch(f"{app}{ARTICLE}")
            etag = headers["ETag"]
            css = static_file(folder / "static")
            words = len(re.sub(r"<[^>]+>", " ", page.decode()).split())
            print(f"Article : {len(page) // 1024} Ko de HTML, {words} mots, ETag {etag}")

            def current_etag():
                # The ETag changes when a sidebar is computed again or the
                # page's time slot ends: ask for it before each run.
                return [f"If-None-Match: {fetch(f'{app}{ARTICLE}')[1]['ETag']}"]

            targets = [
                ("hello", "Django hello world (gunicorn)", f"{app}/bench/hello/", [], 8),
                ("hit", "article, cache hit (gunicorn)", f"{app}{ARTICLE}", [], 8),
                ("not_modified", "article, 304 (gunicorn)", f"{app}{ARTICLE}", current_etag, 8),
                ("miss", "article, cache miss (gunicorn)", f"{app}{ARTICLE}", ["X-Bench-Miss: 1"], 8),
                ("static", "static file (nginx)", f"{front}{css}", [], 64),
                ("front", "article (nginx → gunicorn)", f"{front}{ARTICLE}", [], 64),
            ]

            for _key, _label, url, headers_, connections in targets:
                headers_ = headers_() if callable(headers_) else headers_
                wrk(url, headers=headers_, connections=connections, seconds=2)  # warm up, fill the caches
            # Rounds over every target, so that a change in the machine's load
            # weighs on all of them alike; the median of the rounds is kept.
            runs = {key: [] for key, *_ in targets}
            for _round in range(ROUNDS):
                for key, _label, url, headers_, connections in targets:
                    headers_ = headers_() if callable(headers_) else headers_
                    runs[key].append(wrk(url, headers=headers_, connections=connections))
            results = {}
            for key, label, *_ in targets:
                results[key] = sorted(runs[key], key=lambda run: run["rate"])[len(runs[key]) // 2]
                result = results[key]
                print(f"  {label:38} {result['rate']:>10.0f} req/s   p99 {result['p99_ms']:>7.1f} ms", end="")
                rates = ", ".join(f"{run['rate']:.0f}" for run in runs[key])
                print(f"   {result['bytes_per_response']:>6} o/réponse   (tours : {rates})", end="")
                print(f", {result['non_2xx_3xx']} non 2xx/3xx" if result["non_2xx_3xx"] else "")
    finally:
        if gunicorn:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if redis:
            keys = list(redis.scan_iter(match=f"{prefix}:*"))
            if keys:
                redis.delete(*keys)
        shutil.rmtree(folder, ignore_errors=True)

    def ratio(key, base):
        """The median over the rounds of the ratio within each round: the
        two figures of one round were measured a few seconds apart."""
        values = sorted(
            run["rate"] / reference["rate"] for run, reference in zip(runs[key], runs[base], strict=True)
        )
        return values[len(values) // 2], values

    ratios = [
        ("cache miss / hello world", *ratio("miss", "hello"), 0.05),
        ("cache hit / hello world", *ratio("hit", "hello"), 0.9),
        ("304 / hello world", *ratio("not_modified", "hello"), 0.9),
        ("article via nginx / static via nginx", *ratio("front", "static"), 0.5),
    ]
    print(f"\nRatios (gunicorn {WORKERS} workers, {database}, médiane des {ROUNDS} tours de {SECONDS} s) :")
    for label, value, values, target in ratios:
        rounds = ", ".join(f"{v:.3f}" for v in values)
        verdict = "OK" if value >= target else "MANQUÉ"
        print(f"  {label:38} {value:>6.3f}   cible ≥ {target}   {verdict:6}  ({rounds})")
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
