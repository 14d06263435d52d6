"""`make stack`: Newsroom on several servers, on this machine, with real processes.

    python scripts/stack.py start     # everything below, then waits until nginx answers
    python scripts/stack.py stop      # stops what `start` started, by pid (idempotent)
    python scripts/stack.py status    # one line per service
    python scripts/stack.py stop-service|start-service|kill NAME   # one service (the stack test)
    python scripts/stack.py manage ARGS…   # manage.py with the stack's environment

What runs, all on 127.0.0.1, each with its pid file and log under var/stack/:

    nginx    :8480 (HTTPS; :8484 redirects) the shipped deploy/nginx/newsroom.conf with two upstreams
    app-a    :8481 gunicorn, DEBUG off, production settings (its own, empty, MEDIA_ROOT)
    app-b    :8482 the same, a second app server
    s3       :8483 moto's standalone S3 server, bucket `newsroom-media` (media, public reads)
    redis    :6390 a Redis of its own (no persistence), the cache shared by both app servers
    worker         manage.py db_worker (django-tasks-db): notifications, renditions, reads
    PostgreSQL     the local server (127.0.0.1:5432), database `newsroom_stack`

Every port can be moved with STACK_<NAME>_PORT (STACK_NGINX_PORT=9480…). nginx
is installed from Debian (apt-get) when it is missing. Nothing here is for
production: the values a deployer sets are in .env.production.example and deploy/.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nginx import MAIN_CONF, _self_signed_certificate, render_site  # noqa: E402

VAR = Path(os.environ.get("STACK_DIR", ROOT / "var" / "stack"))
BIN = Path(sys.executable).parent
PYTHON = sys.executable
HOST = "127.0.0.1"
BUCKET = "newsroom-media"
DATABASE = os.environ.get("STACK_DATABASE", "newsroom_stack")
PG_URL = os.environ.get("STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def _port(name, default):
    return int(os.environ.get(f"STACK_{name.upper().replace('-', '_')}_PORT", default))


PORTS = {
    "nginx": _port("nginx", 8480),
    "nginx-http": _port("nginx-http", 8484),
    "app-a": _port("app-a", 8481),
    "app-b": _port("app-b", 8482),
    "s3": _port("s3", 8483),
    "redis": _port("redis", 6390),
}
APP_SERVERS = ("app-a", "app-b")
# Start order; `stop` goes the other way.
SERVICES = ("redis", "s3", "app-a", "app-b", "worker", "nginx")
SITE_URL = f"https://localhost:{PORTS['nginx']}"
S3_URL = f"http://{HOST}:{PORTS['s3']}"
MAIL_DIR = VAR / "mail"


def media_root(app):
    return VAR / app / "media"


def secret_key():
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def environment(app="app-a"):
    """The production-like environment of every Django process of the stack."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "AWS_", "EMAIL_", "TASKS_", "MEDIA_"))
    }
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secret_key(),  # the same on every server: sessions hold on either
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": SITE_URL,
            "DJANGO_BEHIND_PROXY": "true",
            "DJANGO_HSTS_SECONDS": "0",  # a local name: no browser should remember HSTS for it
            "SITE_URL": SITE_URL,
            "DATABASE_URL": f"{PG_URL}/{DATABASE}",
            "REDIS_URL": f"redis://{HOST}:{PORTS['redis']}/0",
            "CACHE_KEY_PREFIX": "stack",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": S3_URL,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "stack",
            "AWS_SECRET_ACCESS_KEY": "stack",  # moto's server takes any key
            "MEDIA_PUBLIC_URL": f"{S3_URL}/{BUCKET}/",
            "AWS_DEFAULT_ACL": "public-read",  # readers fetch pictures from the bucket
            "MEDIA_ROOT": str(media_root(app)),
            "STATIC_ROOT": str(VAR / "static"),
            "EMAIL_FILE_PATH": str(MAIL_DIR),
            "COMMENTS_MODERATOR_EMAILS": "moderation@localhost",
            # Every test reader posts from 127.0.0.1: no flood interval between them.
            "COMMENTS_FLOOD_SECONDS": "0",
            "LOG_FORMAT": "json",
        }
    )
    return env


def command(name):
    """The command line of a service."""
    if name == "redis":
        return [
            "redis-server",
            "--bind",
            HOST,
            "--port",
            str(PORTS["redis"]),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(VAR),
        ]
    if name == "s3":
        return [str(BIN / "moto_server"), "-H", HOST, "-p", str(PORTS["s3"])]
    if name in APP_SERVERS:
        return [
            str(BIN / "gunicorn"),
            "newsroom.wsgi",
            "--bind",
            f"{HOST}:{PORTS[name]}",
            "--workers",
            os.environ.get("STACK_GUNICORN_WORKERS", "2"),
            # A server killed with its workers can be started again at once on its port.
            "--reuse-port",
            "--graceful-timeout",
            "5",
            "--access-logfile",
            "-",
            "--name",
            f"newsroom-{name}",
        ]
    if name == "worker":
        return [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
    if name == "nginx":
        return [
            nginx_binary(),
            "-c",
            str(VAR / "nginx" / "nginx.conf"),
            "-p",
            str(VAR / "nginx"),
            "-g",
            "daemon off;",
        ]
    raise ValueError(f"unknown service {name}")


# --- Processes, by pid file ----------------------------------------------------------------


def pid_file(name):
    return VAR / f"{name}.pid"


def running_pid(name):
    """The pid of a running service, from its pid file; None if it is not running."""
    try:
        pid = int(pid_file(name).read_text())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return None
    return None if state == "Z" else pid


def start_service(name):
    if running_pid(name):
        return
    for port in (PORTS.get(name), PORTS["nginx-http"] if name == "nginx" else None):
        if port and port_is_open(port):
            variable = f"STACK_{name.upper().replace('-', '_')}_PORT"
            raise RuntimeError(
                f"Port {port} ({name}) already taken by another program: move it with {variable}."
            )
    (VAR / "logs").mkdir(parents=True, exist_ok=True)
    log = open(VAR / "logs" / f"{name}.log", "ab")  # noqa: SIM115 (kept by the child)
    env = environment(name if name in APP_SERVERS else "app-a")
    process = subprocess.Popen(  # noqa: S603 (our own command lines)
        command(name),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped or killed with its children
    )
    log.close()
    pid_file(name).write_text(str(process.pid))
    port = PORTS.get(name)
    if port:
        wait_for_port(port, name)
    if name == "s3":
        create_bucket()


def stop_service(name, *, sig=signal.SIGTERM, timeout=15):
    """Stop a service and its children by its pid; nothing if it is not running."""
    pid = running_pid(name)
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + timeout
        while running_pid(name) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.05)
        if running_pid(name):
            os.killpg(pid, signal.SIGKILL)
            time.sleep(0.2)
        _reap(pid)
    pid_file(name).unlink(missing_ok=True)


def kill_service(name):
    """SIGKILL a service and its whole process group, as a crashed server dies."""
    pid = running_pid(name)
    if pid:
        os.killpg(pid, signal.SIGKILL)
        while running_pid(name):
            _reap(pid)
            time.sleep(0.02)


def _reap(pid):
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def port_is_open(port):
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) == 0


def wait_for_port(port, name, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not running_pid(name):
            raise RuntimeError(f"{name} stopped at start: see {VAR / 'logs' / (name + '.log')}")
        if port_is_open(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen on {port} within {timeout} s")


# --- What the services need ----------------------------------------------------------------


def nginx_binary():
    return shutil.which("nginx") or "/usr/sbin/nginx"


def ensure_nginx():
    if Path(nginx_binary()).exists():
        return
    print("nginx absent : installation depuis Debian (apt-get install nginx)…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env)  # noqa: S603


def ensure_database():
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def manage(*args, check=True, capture=False):
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment(),
        check=check,
        capture_output=capture,
        text=True,
    )


def create_bucket():
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=S3_URL,
        region_name="us-east-1",
        aws_access_key_id="stack",
        aws_secret_access_key="stack",
    )
    if BUCKET not in {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(Bucket=BUCKET)


def write_nginx_config():
    """The shipped site file, rendered as a deployer would, with one `server`
    line per app server in its upstream, and the upstream that answered in
    an X-Upstream header (the stack test reads it)."""
    folder = VAR / "nginx"
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "cert.pem", folder / "key.pem"
    if not certificate.exists():
        _self_signed_certificate(folder)
    (VAR / "empty-media").mkdir(exist_ok=True)
    site = render_site(
        {
            "server_name": "localhost",
            "http_listen": f"{HOST}:{PORTS['nginx-http']}",
            "https_listen": f"{HOST}:{PORTS['nginx']}",
            "tls_certificate": certificate,
            "tls_key": key,
            "upstream": f"{HOST}:{PORTS['app-a']}",
            "static_root": VAR / "static",
            "media_root": VAR / "empty-media",
            "cache_path": folder / "cache",
        }
    )
    site = several_upstreams(site, [f"{HOST}:{PORTS[app]}" for app in APP_SERVERS])
    site = site.replace(
        "    add_header X-Cache-Status $upstream_cache_status always;\n",
        "    add_header X-Cache-Status $upstream_cache_status always;\n"
        "    add_header X-Upstream $upstream_addr always;\n",
        1,
    )
    (folder / "newsroom.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        MAIN_CONF.format(user=user, workers=2, prefix=folder, site=folder / "newsroom.conf")
    )


def several_upstreams(site, addresses):
    """The rendered site with its one upstream `server` line repeated for each address."""
    lines = site.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(f"server {addresses[0]} "))
    line = lines[index]
    lines[index : index + 1] = [line.replace(addresses[0], address, 1) for address in addresses]
    return "".join(lines)


def wait_for_site(timeout=60):
    """Until the home page answers 200 through nginx."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{SITE_URL}/", context=context, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{SITE_URL}/ did not answer 200 within {timeout} s: see {VAR / 'logs'}")
        time.sleep(0.2)


# --- Commands --------------------------------------------------------------------------------


def start(*, demo=True):
    started = time.monotonic()
    ensure_nginx()
    for app in APP_SERVERS:
        media_root(app).mkdir(parents=True, exist_ok=True)
    MAIL_DIR.mkdir(parents=True, exist_ok=True)
    start_service("redis")
    start_service("s3")
    ensure_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    if demo:
        manage("load_demo", "--allow-production")
    write_nginx_config()
    for name in ("app-a", "app-b", "worker", "nginx"):
        start_service(name)
    wait_for_site()
    print(
        f"La pile tourne ({time.monotonic() - started:.0f} s) : {SITE_URL}/ ; arrêt : make stack-stop",
        flush=True,
    )


def stop():
    for name in reversed(SERVICES):
        stop_service(name)
    print("La pile est arrêtée.", flush=True)


def status():
    for name in SERVICES:
        pid = running_pid(name)
        where = f" :{PORTS[name]}" if name in PORTS else ""
        print(f"{name:7} {'en marche, pid ' + str(pid) if pid else 'arrêté'}{where}")


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    action, *rest = argv
    if action == "start":
        start()
    elif action == "stop":
        stop()
    elif action == "status":
        status()
    elif action == "manage":
        return manage(*rest, check=False).returncode
    elif action in {"stop-service", "start-service", "kill"} and len(rest) == 1 and rest[0] in SERVICES:
        {"stop-service": stop_service, "start-service": start_service, "kill": kill_service}[action](rest[0])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
