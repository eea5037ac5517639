"""Solves in a job queue: with `REDIS_URL` set, a solve is put on an RQ queue in Redis and done by
`workcentre worker` processes (each one solve at a time); without it, in a thread of the web
process. Progress, the heartbeat and stop requests go through the run's row either way
(`runs.py`), so any web process can follow a solve whichever process does it.

The worker runs each job in its own process (RQ's SimpleWorker, no forked work horse): a worker
killed during a solve takes the solve with it, its heartbeat stops, and the next reader of the run
marks it failed. A forked work horse would live on in its own process group after its parent is
killed and keep solving with nobody to supervise it.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from flask import Flask
from flask_babel import gettext as _

from ..models import PlanRun, utcnow
from . import runs

log = logging.getLogger(__name__)
DEFAULT_QUEUE = "workcentre-solves"
# How long enqueuing may wait for Redis before the solve runs in this process instead.
CONNECT_SECONDS = 1.0
# A job that outlives its solve's time limit by this much is ended by RQ (the run then fails).
JOB_MARGIN_SECONDS = 600
# The run panel adds a hint to check the workers after a queued run has waited this long.
LONG_WAIT = timedelta(seconds=20)

_worker_app: Flask | None = None  # the app of this worker process, set by `work`


def redis_url(app: Flask) -> str | None:
    """The queue's Redis: the SOLVE_REDIS_URL setting when the app has one, else REDIS_URL."""
    if "SOLVE_REDIS_URL" in app.config:
        return app.config["SOLVE_REDIS_URL"] or None
    return os.environ.get("REDIS_URL") or None


def queue_name(app: Flask) -> str:
    return app.config.get("SOLVE_QUEUE") or DEFAULT_QUEUE


def _queue(url: str, name: str, timeout: float | None = CONNECT_SECONDS):
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(url, socket_connect_timeout=CONNECT_SECONDS,
                                socket_timeout=timeout)
    return Queue(name, connection=connection)


def start(app: Flask, run: PlanRun) -> str:
    """Hand a created run to a worker through Redis, or solve it in this process when no queue
    is configured or Redis does not answer. Returns where it went: "queue" or "thread"."""
    url = redis_url(app)
    if url is not None:
        from redis.exceptions import RedisError

        try:
            _queue(url, queue_name(app)).enqueue(
                perform, run.id, job_id=f"plan-run-{run.id}",
                job_timeout=int(run.time_limit) + JOB_MARGIN_SECONDS,
                result_ttl=3600, failure_ttl=24 * 3600)
            return "queue"
        except RedisError as error:
            log.warning("plan run %s: the solve queue at %s is unreachable (%s); solving in "
                        "this web process instead", run.id, _safe(url), error)
    runs.start_in_background(app, run.id)
    return "thread"


def _safe(url: str) -> str:
    """The URL without a password, for the log."""
    from redis.connection import parse_url

    try:
        options = parse_url(url)
    except ValueError:
        return "(bad REDIS_URL)"
    return f"{options.get('host', '?')}:{options.get('port', '?')}/{options.get('db', 0)}"


def perform(run_id: int) -> None:
    """The job a worker runs: the whole solve of one run, in this process."""
    from .. import create_app

    app = _worker_app or create_app()
    runs.execute_run(app, run_id)


def work(app: Flask, *, burst: bool = False, queue: str | None = None) -> bool:
    """Take solves off the queue one at a time until stopped (or, with burst, until the queue is
    empty). Returns whether any solve was done."""
    from rq import SimpleWorker

    global _worker_app
    url = redis_url(app)
    if url is None:
        raise RuntimeError("REDIS_URL is not set")
    # No read timeout: the worker blocks on Redis while it waits for the next job.
    source = _queue(url, queue or queue_name(app), timeout=None)
    _worker_app = app
    return SimpleWorker([source], connection=source.connection).work(burst=burst)


def waiting_words(run: PlanRun) -> str:
    """What the run panel says about a run no process has started yet."""
    words = _("Suunnitelma odottaa vuoroaan. Se alkaa, kun suunnittelupalvelu vapautuu.")
    if utcnow() - run.created_at > LONG_WAIT:
        words += " " + _("Jos odotus jatkuu, pyydä pääkäyttäjää tarkistamaan, että "
                         "suunnittelupalvelu on käynnissä.")
    return words
