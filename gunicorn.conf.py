"""Production settings for `gunicorn wsgi:app` (read automatically from the project root).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get('GUNICORN_BIND', '0.0.0.0:8000')
workers = int(os.environ.get('GUNICORN_WORKERS', multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get('GUNICORN_THREADS', 2))
worker_class = 'gthread'
timeout = 60
graceful_timeout = 30
keepalive = 5
# Load the app once in the master: workers share the code pages and start fast.
preload_app = True
accesslog = '-'
errorlog = '-'
forwarded_allow_ips = os.environ.get('FORWARDED_ALLOW_IPS', '127.0.0.1')
