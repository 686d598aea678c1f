"""Example gunicorn settings for Seedbed (docs/operations.md).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py seedbed.wsgi

Settings for Seedbed itself come from the environment (SEEDBED_*, DATABASE_URL), not from here.
"""

import multiprocessing

# nginx on the same machine is the only client; the load balancer talks to nginx.
bind = "127.0.0.1:8000"

# Sync workers: Seedbed's pages are short database-bound requests. About two per core.
worker_class = "sync"
workers = multiprocessing.cpu_count() * 2

# A request that takes longer than this is stuck; nginx's proxy_read_timeout is a little longer.
timeout = 30
graceful_timeout = 30

# Recycle workers now and then, so that slow memory growth never builds up.
max_requests = 1000
max_requests_jitter = 100

# Access and error logs to standard output/error, where systemd's journal collects them.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}i)s'

# Only nginx on this machine may tell gunicorn the original scheme.
forwarded_allow_ips = "127.0.0.1"

# gunicorn ≥ 25.1 opens a control socket in $HOME by default; systemd (kill -HUP) manages the
# processes here, and the service's home is read-only. Older versions ignore this name.
control_socket_disable = True
