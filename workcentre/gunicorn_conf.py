"""Gunicorn hooks for `workcentre serve` (passed as `--config python:workcentre.gunicorn_conf`)."""

import gc


def post_worker_init(worker) -> None:
    """Move what the worker built at start-up (modules, the app, its caches) out of the garbage
    collector's reach: a full collection otherwise walks those ~200,000 long-lived objects
    again and again, about a third of a large week page's time."""
    gc.freeze()
