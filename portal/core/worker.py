"""The delivery worker on Huey: the queue that runs :mod:`portal.core.delivery` in the background.

* Storage: Redis when ``REDIS_URL`` is set (several machines share one queue), else a SQLite file
  ``huey.sqlite3`` in the instance folder (one machine; the embedded default). ``WORKER_QUEUE``
  = ``memory`` keeps the queue in the process (tests).
* After a commit that recorded events (or queued mails) the web process enqueues a ``dispatch``
  task; the task creates the deliveries and enqueues one ``send`` task each. A failed send is
  scheduled again after its backoff. Every minute a periodic ``sweep`` dispatches and enqueues
  whatever is due, so nothing depends on a task message surviving: the database is the truth,
  the queue only says "look now".
* ``portal worker`` runs Huey's consumer (threads; ``--workers``). Several copies may run: the
  claims in :mod:`portal.core.delivery` keep each delivery to one sender.
"""

from __future__ import annotations

import logging
from pathlib import Path

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event as sa_event

from portal.core import delivery
from portal.core.db import utcnow

log = logging.getLogger("portal.worker")


def make_huey(app):
    mode = app.config.get("WORKER_QUEUE") or ("redis" if app.config.get("REDIS_URL") else "sqlite")
    if mode == "redis":
        return RedisHuey("portal", url=app.config["REDIS_URL"], results=False)
    if mode == "memory":
        return MemoryHuey("portal", results=False)
    return SqliteHuey("portal", filename=str(Path(app.instance_path) / "huey.sqlite3"),
                      results=False)


def init_app(app) -> None:
    huey = make_huey(app)
    tasks = _register_tasks(huey, app)
    app.extensions["portal.huey"] = huey
    app.extensions["portal.worker_tasks"] = tasks

    @sa_event.listens_for(app.extensions["portal.sessionmaker"], "after_commit")
    def _after_commit(session):
        wants = session.info.pop("portal.events", False) | session.info.pop(
            "portal.deliveries", False)
        if wants:
            kick(app)

    @sa_event.listens_for(app.extensions["portal.sessionmaker"], "after_rollback")
    def _after_rollback(session):
        session.info.pop("portal.events", None)
        session.info.pop("portal.deliveries", None)


def kick(app) -> None:
    """Tell the worker to look now (a lost message only delays until the next sweep)."""
    try:
        app.extensions["portal.worker_tasks"]["dispatch"]()
    except Exception:  # noqa: BLE001 - the queue being down must never fail the user's change
        log.exception("Could not enqueue the dispatch task; the periodic sweep will pick it up")


def _register_tasks(huey, app) -> dict:
    def send_later(delivery_id: int, retry_at) -> None:
        seconds = max((retry_at - utcnow()).total_seconds(), 0)
        send.schedule(args=(delivery_id,), delay=seconds)

    @huey.task(name="portal.send")
    def send(delivery_id: int) -> None:
        with app.app_context():
            retry_at = delivery.deliver(delivery_id)
        if retry_at is not None:
            send_later(delivery_id, retry_at)

    @huey.task(name="portal.dispatch")
    def dispatch() -> None:
        with app.app_context():
            delivery.dispatch()
            due = delivery.due_ids()
        for delivery_id in due:
            send(delivery_id)

    @huey.periodic_task(crontab(minute="*"), name="portal.sweep")
    def sweep() -> None:
        dispatch.call_local()

    return {"send": send, "dispatch": dispatch, "sweep": sweep}


def run(app, workers: int = 2) -> None:
    """Run the consumer until interrupted (Ctrl-C or SIGTERM stop it gracefully)."""
    huey = app.extensions["portal.huey"]
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                    initial_delay=0.1, max_delay=1.0, check_worker_health=True)
    app.extensions["portal.worker_tasks"]["dispatch"]()  # whatever waited while we were away
    consumer.run()
