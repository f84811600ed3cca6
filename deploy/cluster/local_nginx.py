"""nginx from Debian's package, run by the current user in front of the academy on
loopback: a whole nginx.conf generated into a folder, with the project's own proxy rules
(deploy/nginx/academy-proxy.conf). Used by cluster.py and tests/test_deploy.py.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def nginx_conf(folder, port, upstreams):
    """A whole nginx.conf for the simulation: the project's proxy rules, loopback, plain
    HTTP, every file nginx writes inside `folder`."""
    user = 'user root root;\n' if os.geteuid() == 0 else ''
    servers = '\n'.join(
        f'        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;' for p in upstreams
    )
    temp = '\n'.join(
        f'    {kind}_temp_path {folder}/{kind};'
        for kind in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi')
    )
    return f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstream '$status $upstream_addr $upstream_status $upstream_cache_status $request';
    access_log {folder}/access.log upstream;
{temp}
    keepalive_timeout 30s;
    upstream academy {{
{servers}
        keepalive 32;
    }}
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=academy_public:10m max_size=64m
                     inactive=10m use_temp_path=off;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location /static/ {{
            alias {ROOT}/lms/static/;
            expires 1h;
        }}
        include {ROOT}/deploy/nginx/academy-proxy.conf;
    }}
}}
"""


def start_nginx(nginx, folder, port, upstreams):
    conf = folder / 'nginx.conf'
    conf.write_text(nginx_conf(folder, port, upstreams), encoding='utf-8')
    test = subprocess.run(  # noqa: S603 - our own nginx, our own file
        [nginx, '-t', '-q', '-p', str(folder), '-c', str(conf)], capture_output=True, text=True
    )
    if test.returncode:
        raise RuntimeError(f'nginx -t refused the configuration:\n{test.stderr}')
    process = subprocess.Popen(  # noqa: S603 - our own nginx, our own file
        [nginx, '-p', str(folder), '-c', str(conf), '-g', 'daemon off;'],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    wait_for_port(port, process, 'nginx')
    return process


def wait_for_port(port, process, name, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'{name} stopped: {process.stderr.read().decode()[-2000:]}')
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f'{name} did not open port {port}')


def kill_group(process):
    """SIGKILL to a process and its children: a machine that stops without warning."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
