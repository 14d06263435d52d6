"""Run the shipped nginx configuration (deploy/nginx/newsroom.conf) locally.

Used by its test (tests/deploy/test_nginx.py) and by `make bench`: the very
file a deployer copies is rendered with local ports and folders (only its
${NEWSROOM_...} values are replaced, as `envsubst` with a list would) and
included in a minimal main configuration, with a throwaway self-signed
certificate.
"""

import os
import re
import shutil
import signal
import socket
import string
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

SITE_TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "newsroom.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN_CONF = """\
{user}
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {site};
}}
"""


def nginx_available():
    return Path(NGINX).exists() and os.access(NGINX, os.X_OK)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_site(values):
    """The shipped file with its ${NEWSROOM_...} values replaced; nginx's own
    $variables are left alone."""
    text = string.Template(SITE_TEMPLATE.read_text()).safe_substitute(
        {f"NEWSROOM_{name.upper()}": value for name, value in values.items()}
    )
    if re.search(r"\$\{NEWSROOM_[A-Z_]+\}", text):
        raise ValueError("A ${NEWSROOM_...} value of deploy/nginx/newsroom.conf was not given.")
    return text


def _self_signed_certificate(folder):
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


def _wait_for_port(port, process, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped at start (status {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port} within {timeout} s")


@contextmanager
def running_nginx(folder, *, upstream, static_root, media_root, https_port=None, http_port=None, workers=1):
    """nginx running the shipped configuration in `folder`; yields the ports
    {"https": …, "http": …}. Stops it on the way out."""
    folder = Path(folder)
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    certificate, key = _self_signed_certificate(folder)
    ports = {"https": https_port or free_port(), "http": http_port or free_port()}
    site = folder / "newsroom.conf"
    site.write_text(
        render_site(
            {
                "server_name": "localhost",
                "http_listen": f"127.0.0.1:{ports['http']}",
                "https_listen": f"127.0.0.1:{ports['https']}",
                "tls_certificate": certificate,
                "tls_key": key,
                "upstream": upstream,
                "static_root": static_root,
                "media_root": media_root,
                "cache_path": folder / "cache",
            }
        )
    )
    main = folder / "nginx.conf"
    # As root, nginx's workers would switch to `nobody`, who cannot read the
    # test's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    main.write_text(MAIN_CONF.format(user=user, workers=workers, prefix=folder, site=site))
    process = subprocess.Popen(
        [NGINX, "-c", str(main), "-p", str(folder), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(ports["https"], process)
        yield ports
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
