"""Newsroom on several servers, with real processes (issue 13): `make stack-test`.

Everything goes through nginx (https://localhost:8480), as readers and staff
would: two gunicorn app servers behind it, PostgreSQL, Redis, moto's S3
server and the task worker (scripts/stack.py). nginx adds to each answer the
app server that made it (`X-Upstream`, empty when its cache answered), which
is how a test knows which server did what.

The tests run in file order and share the stack; each leaves it running.
"""

import email
import email.policy
import os
import re
import secrets
import shutil
import statistics
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from tests.stack.conftest import FIGURES

pytestmark = [
    pytest.mark.stack,
    # The stack's certificate is self-signed.
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),
]

STAFF = ("pile", "pile-mot-de-passe-1")


# --- Readers and staff, through nginx ----------------------------------------------------------


class Visitor:
    """One browser: its own cookies and keep-alive connection."""

    def __init__(self, site):
        self.site = site
        self.http = requests.Session()
        self.http.verify = False
        self.http.trust_env = False  # no proxy, no CA bundle from the environment

    def get(self, path, **kwargs):
        return self.http.get(self.site + path, allow_redirects=False, timeout=10, **kwargs)

    def post(self, path, data, **kwargs):
        headers = {"Origin": self.site, "Referer": self.site + path}
        return self.http.post(
            self.site + path, data=data, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )


def upstream(response):
    return response.headers.get("X-Upstream", "")


def reader_page(site, path):
    """A fresh reader (no cookie) opens `path`."""
    return Visitor(site).get(path)


def post_comments(site, path, texts):
    """Readers write on the article at `path` and send their comments, as
    the page's form does: fresh hidden fields, then the post once the minimum
    time has passed. Returns the answers to the posts."""
    page = reader_page(site, path)
    article_id = re.search(r'name="article" value="(\d+)"', page.text).group(1)
    readers = [Visitor(site) for _ in texts]
    tokens = [reader.get(f"/commentaires/jeton/{article_id}/").json() for reader in readers]
    time.sleep(3.2)  # COMMENTS_MIN_SUBMIT_SECONDS
    return [
        reader.post(
            "/commentaires/envoyer/",
            {
                **token,
                "name": f"Lectrice {n}",
                "email": f"lectrice{n}-{secrets.token_hex(4)}@example.org",
                "text": text,
            },
        )
        for n, (reader, token, text) in enumerate(zip(readers, tokens, texts, strict=True))
    ]


def log_in_staff(stack):
    stack.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"user, _ = get_user_model().objects.get_or_create(username={STAFF[0]!r})\n"
        "user.is_staff = user.is_superuser = True\n"
        f"user.set_password({STAFF[1]!r})\n"
        "user.save()",
        capture=True,
    )
    staff = Visitor(stack.SITE_URL)
    form = staff.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = staff.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": STAFF[0], "password": STAFF[1], "next": "/admin/"},
    )
    assert (answer.status_code, answer.headers["Location"]) == (302, "/admin/")
    return staff


def next_request_goes_to(visitor, server, probe="/admin/"):
    """Asks cheap uncached pages until the previous one came from the *other*
    server: nginx takes its upstreams in turn, so the next request goes to `server`."""
    for _ in range(10):
        if upstream(visitor.get(probe)) not in ("", server):
            return
    raise AssertionError(f"nginx never alternated its upstreams towards {server}")


class FormFields(HTMLParser):
    """The values a browser would send for the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in ("submit", "file", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


def media_urls(page, stack):
    return set(re.findall(rf"{re.escape(stack.S3_URL)}/[^\"' ,]+", page))


def log_of(stack, service):
    return (stack.VAR / "logs" / f"{service}.log").read_text(errors="replace")


def files_under(folder):
    return sorted(str(path) for path in folder.rglob("*") if path.is_file())


def jpeg_photo():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1400, 900), (30, 110, 170)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def article_paths(stack):
    home = reader_page(stack.SITE_URL, "/")
    return sorted(set(re.findall(r'href="(/articles/[^"/]+/)"', home.text)))


def commentable_article_paths(stack):
    """The articles whose comments are still open (they close 30 days after
    publication, and the stack's database lives on between runs)."""
    paths = [
        path for path in article_paths(stack) if 'name="article"' in reader_page(stack.SITE_URL, path).text
    ]
    assert paths, (
        "no article of the stack's demo takes comments any more: make stack-stop, dropdb newsroom_stack"
    )
    return paths


# --- The five scenarios ---------------------------------------------------------------------------


def test_a_comment_approved_on_the_other_server_is_visible_within_one_second(stack):
    site = stack.SITE_URL
    path = commentable_article_paths(stack)[0]
    text = f"Un avis publié à travers la pile {secrets.token_hex(4)}."
    reader_page(site, path)  # the page is in nginx's cache

    [posted] = post_comments(site, path, [text])
    staff = log_in_staff(stack)
    listing = staff.get(f"/admin/comments/comment/?q={text.split()[-1]}")
    comment_id = re.search(r'name="_selected_action" value="(\d+)"', listing.text).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listing.text).group(1)
    other = next(
        f"127.0.0.1:{stack.PORTS[app]}"
        for app in stack.APP_SERVERS
        if upstream(posted) != f"127.0.0.1:{stack.PORTS[app]}"
    )
    next_request_goes_to(staff, other)
    approval = staff.post(
        "/admin/comments/comment/",
        {"csrfmiddlewaretoken": token, "action": "approve", "_selected_action": comment_id, "index": "0"},
    )
    approved_at = time.monotonic()
    seen_after = None
    while time.monotonic() < approved_at + 1.0:
        if text in reader_page(site, path).text:
            seen_after = time.monotonic() - approved_at
            break
        time.sleep(0.05)
    time.sleep(max(0.0, approved_at + 1.0 - time.monotonic()))
    one_second_later = reader_page(site, path)
    # The moderator's session and the approval's message, on both servers in turn.
    after = [staff.get("/admin/comments/comment/") for _ in range(2)]

    assert posted.status_code == 302
    assert [response.status_code for response in after] == [200, 200]
    assert {upstream(response) for response in after} == {upstream(posted), other}
    assert re.search(r"1 commentaire approuvé", after[0].text)
    assert (approval.status_code, upstream(approval)) == (302, other)
    assert upstream(posted) != upstream(approval)
    assert text in one_second_later.text
    FIGURES["approbation → visible par un nouveau lecteur"] = (
        f"{seen_after:.2f} s" if seen_after is not None else "1,00 s (au plus tard)"
    )


def test_a_photo_uploaded_on_one_server_is_shown_by_the_other_from_object_storage(stack):
    site, server_a, server_b = stack.SITE_URL, *(f"127.0.0.1:{stack.PORTS[app]}" for app in stack.APP_SERVERS)
    path = article_paths(stack)[1]
    before = media_urls(reader_page(site, path).text, stack)
    editor = log_in_staff(stack)
    listing = editor.get("/admin/articles/article/?q=" + path.strip("/").split("/")[-1].split("-")[0])
    article_id = re.search(r"/admin/articles/article/(\d+)/change/", listing.text).group(1)
    change = f"/admin/articles/article/{article_id}/change/"
    fields = form_fields(editor.get(change).text, "article_form")

    next_request_goes_to(editor, server_a)
    saved = editor.post(
        change, fields + [("_save", "Enregistrer")], files={"image": ("port.jpg", jpeg_photo(), "image/jpeg")}
    )
    deadline, shown = time.monotonic() + 30, None
    while time.monotonic() < deadline:  # the worker makes the renditions
        page = reader_page(site, path)
        if upstream(page) == server_b and (new := media_urls(page.text, stack) - before):
            shown = new
            break
        time.sleep(0.3)
    pictures = [requests.get(url, timeout=10) for url in sorted(shown or [])]

    assert (saved.status_code, upstream(saved)) == (302, server_a)
    assert shown, "server B never showed the new picture"
    assert {picture.status_code for picture in pictures} == {200}
    assert {picture.headers["Content-Type"] for picture in pictures} <= {"image/jpeg", "image/webp"}
    assert any(re.search(r"-\d+w\.(webp|jpg)$", url) for url in shown)
    assert [files_under(stack.media_root(app)) for app in stack.APP_SERVERS] == [[], []]
    # The worker made the renditions; no app server ran the image task.
    assert "articles.tasks.process_image state=SUCCESSFUL" in log_of(stack, "worker")
    assert [
        "articles.tasks.process_image state=RUNNING" in log_of(stack, app) for app in stack.APP_SERVERS
    ] == [False, False]


def test_readers_see_no_error_while_an_app_server_is_killed_and_restarted(stack):
    site, server_a = stack.SITE_URL, f"127.0.0.1:{stack.PORTS['app-a']}"
    paths = ["/", "/rubrique/economie/", "/rubrique/innovation/", "/evenements/", *article_paths(stack)]
    results, lock = [], threading.Lock()
    seconds, rate, threads = 30, 50, 10
    started = time.monotonic()

    def reader(number):
        visitor = Visitor(site)
        for tick in range(number, seconds * rate, threads):
            time.sleep(max(0.0, started + tick / rate - time.monotonic()))
            sent = time.monotonic()
            try:
                response = visitor.get(paths[tick % len(paths)])
                outcome = (
                    response.status_code,
                    response.headers.get("X-Cache-Status", ""),
                    upstream(response),
                )
            except requests.RequestException as error:
                outcome = (0, type(error).__name__, "")
            with lock:
                results.append((sent - started, time.monotonic() - sent, *outcome))

    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(8)
    stack.kill_service("app-a")  # SIGKILL, with its gunicorn workers
    killed_at = time.monotonic() - started
    time.sleep(5)
    stack.start_service("app-a")  # as systemd's Restart= would
    restarted_at = time.monotonic() - started
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started

    failed = [result for result in results if result[2] != 200]
    served_by_a_again = [r for r in results if r[0] > restarted_at + 1 and server_a in r[4].split(", ")[-1:]]
    latencies = sorted(result[1] for result in results)
    hits = sum(1 for result in results if result[3] == "HIT")
    assert len(results) == seconds * rate
    assert failed == []
    assert served_by_a_again
    FIGURES["lecteurs à travers nginx"] = (
        f"{len(results) / elapsed:.1f} requêtes/s ({len(results)} en {elapsed:.1f} s)"
    )
    FIGURES["part servie par le cache de nginx (X-Cache-Status: HIT)"] = f"{hits / len(results):.0%}"
    p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]
    FIGURES["latence p50 / p99"] = f"{p50 * 1000:.1f} ms / {p99 * 1000:.1f} ms"
    FIGURES["app-a tuée puis relancée"] = (
        f"à {killed_at:.1f} s puis {restarted_at:.1f} s ; 0 requête en échec ; "
        f"{len(served_by_a_again)} réponses de app-a ensuite"
    )


def test_pages_answer_without_redis_and_caching_resumes_when_it_is_back(stack):
    site = stack.SITE_URL
    paths = article_paths(stack)[:5] + ["/", "/rubrique/economie/"]
    pids = {app: stack.running_pid(app) for app in stack.APP_SERVERS}

    stack.stop_service("redis")
    # A query string of its own: nginx's cache has no copy, an app server answers.
    without = [reader_page(site, f"{path}?sans-redis={n}") for n in range(3) for path in paths]
    slow = statistics.median(response.elapsed.total_seconds() for response in without)
    stack.start_service("redis")
    for path in paths:
        reader_page(site, f"{path}?redis-revenu=1")
    keys = stack_redis_keys(stack)

    assert {response.status_code for response in without} == {200}
    assert {upstream(response) for response in without} == {
        f"127.0.0.1:{stack.PORTS[app]}" for app in stack.APP_SERVERS
    }
    assert keys > 0  # pages and fragments are cached again
    assert {app: stack.running_pid(app) for app in stack.APP_SERVERS} == pids  # no restart
    FIGURES["page sans Redis (médiane, à travers nginx)"] = f"{slow * 1000:.0f} ms"


def stack_redis_keys(stack):
    import redis

    client = redis.Redis(host="127.0.0.1", port=stack.PORTS["redis"])
    try:
        return client.dbsize()
    finally:
        client.close()


def test_comments_posted_while_the_worker_is_stopped_are_notified_once_each(stack):
    site = stack.SITE_URL
    path = commentable_article_paths(stack)[-1]
    marker = secrets.token_hex(4)
    texts = [f"Commentaire {n} en attente du worker {marker}." for n in range(10)]

    stack.stop_service("worker")
    answers = post_comments(site, path, texts)
    time.sleep(2)
    while_stopped = notified(stack, marker)
    stack.start_service("worker")
    recipients = moderator_recipients(stack)
    expected = sorted((recipient, text) for recipient in recipients for text in texts)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(notified(stack, marker)) < len(expected):
        time.sleep(0.3)
    time.sleep(2)  # anything sent twice would show by now

    assert [answer.status_code for answer in answers] == [302] * 10
    assert while_stopped == []
    # Each moderator (the demo's « moderateur » account, with its decision
    # links, and the shared mailbox of COMMENTS_MODERATOR_EMAILS) gets each
    # comment once.
    assert recipients == ["moderateur@example.org", "moderation@localhost"]
    assert sorted(notified(stack, marker)) == expected


def moderator_recipients(stack):
    """Who the notifications go to, as the worker computes it."""
    output = stack.manage(
        "shell",
        "-c",
        "from comments.tasks import recipients\nprint(','.join(sorted(a for a, _ in recipients())))",
        capture=True,
    )
    return output.stdout.strip().splitlines()[-1].split(",")


def notified(stack, marker):
    """(recipient, comment text) of the moderators' e-mails quoting `marker`,
    one entry per message (the file backend writes them under var/stack/mail)."""
    texts = []
    for file in sorted(stack.MAIL_DIR.glob("*.log")):
        for chunk in file.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",)).get_content()
            texts += [
                (message["To"], line.removeprefix("> "))
                for line in body.splitlines()
                if line.startswith("> ") and marker in line
            ]
    return texts


# --- Figures for README « Scaling further » -----------------------------------------------------------

# Each request asks an address nobody asked before: no cache has it, an app server renders it.
RENDER_EVERY_TIME = """
counter = 0
words = {{"port", "metropole", "hydrogene", "emploi", "tourisme", "numerique", "logement", "bus"}}
request = function()
  counter = counter + 1
  local query = "{query}"
  query = query:gsub("WORD", words[(counter % 8) + 1])
  return wrk.format("GET", query .. counter .. "-" .. math.random(1000000000))
end
"""


def test_figures_for_scaling_further(stack, tmp_path):
    wrk = shutil.which("wrk")
    if wrk is None:
        pytest.skip("wrk absent (apt-get install wrk): no throughput figures")
    path = article_paths(stack)[0]
    article, search = tmp_path / "article.lua", tmp_path / "search.lua"
    article.write_text(RENDER_EVERY_TIME.format(query=f"{path}?mesure="))
    search.write_text(RENDER_EVERY_TIME.format(query="/recherche/?q=WORD&mesure="))

    cached = run_wrk(wrk, stack.SITE_URL + path, connections=32)
    rendered = run_wrk(wrk, stack.SITE_URL + "/", connections=8, script=article)
    backends = database_backends(stack)
    before = cpu_seconds(stack, backends)
    searched = run_wrk(wrk, stack.SITE_URL + "/", connections=8, script=search)
    after = cpu_seconds(stack, database_backends(stack) | backends)
    app_cpu, database_cpu = after["app"] - before["app"], after["database"] - before["database"]

    assert cached["errors"] == rendered["errors"] == searched["errors"] == 0
    FIGURES["page en cache nginx (wrk, 32 connexions, 5 s)"] = f"{cached['rate']:.0f} requêtes/s"
    FIGURES["article rendu à chaque requête, fragments en cache (2 serveurs × 2 workers)"] = (
        f"{rendered['rate']:.0f} requêtes/s"
    )
    FIGURES["recherche rendue à chaque requête (requêtes SQL à chaque fois)"] = (
        f"{searched['rate']:.0f} requêtes/s"
    )
    FIGURES["temps CPU de la recherche : serveurs d'application / PostgreSQL"] = (
        f"{app_cpu:.1f} s / {database_cpu:.1f} s (rapport {app_cpu / max(database_cpu, 0.01):.1f} pour 1)"
    )


def run_wrk(wrk, url, *, connections, script=None, seconds=5):
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(failures.group(1)) if failures else 0
    errors += sum(map(int, socket_errors.groups())) if socket_errors else 0
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "errors": errors}


def database_backends(stack):
    """The pids of PostgreSQL's processes serving the stack's database."""
    query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    answer = stack.manage(
        "shell",
        "-c",
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        f"cursor.execute({query!r})\n"
        "print('pids:', *(row[0] for row in cursor.fetchall()))",
        capture=True,
    )
    line = next(line for line in answer.stdout.splitlines() if line.startswith("pids:"))
    return {int(pid) for pid in line.split()[1:]}


def cpu_seconds(stack, backends):
    """CPU seconds used so far by both app servers (every process of their
    groups) and by the database's backends."""
    ticks = os.sysconf("SC_CLK_TCK")
    groups = {stack.running_pid(app) for app in stack.APP_SERVERS}
    totals = {"app": 0.0, "database": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        if int(fields[2]) in groups:  # process group
            totals["app"] += used
        elif int(stat.parent.name) in backends:
            totals["database"] += used
    return totals
