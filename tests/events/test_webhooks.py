"""Webhooks: signed calls to a registered URL, retried, bounded in time, logged."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.core.models import FAILED, SENT, Delivery, Webhook
from portal.testing import deliver


class Receiver:
    """A small HTTP server on loopback answering ``status`` (or hanging ``hang`` seconds)."""

    def __init__(self, status=200, hang=0.0):
        self.status, self.hang, self.calls = status, hang, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                if receiver.hang:
                    time.sleep(receiver.hang)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def factory(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]

    yield factory
    for item in made:
        item.close()


def _register(admin_client, url, kinds=("orders.placed",)):
    response = admin_client.post("/admin/webhooks", data={"url": url, "kinds": list(kinds),
                                                          "description": "ERP"})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_an_event_is_posted_signed_to_the_hook(app, db, admin_client, customer, place_order,
                                               receiver):
    ok = receiver()
    hook_id = _register(admin_client, ok.url)
    order = place_order(customer)
    deliver(app)
    [(headers, body)] = ok.calls
    secret = db.get(Webhook, hook_id).secret
    expected = hmac.new(secret.encode(), headers["X-Portal-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Portal-Signature"] == f"sha256={expected}"
    assert abs(int(headers["X-Portal-Timestamp"]) - time.time()) < 60
    event = json.loads(body)
    assert (event["kind"], event["subject"]) == ("orders.placed",
                                                 {"type": "order", "id": str(order.id)})
    assert event["payload"]["number"] == order.number
    page = admin_client.soup(f"/admin/webhooks/{hook_id}")
    assert "HTTP 200" in page.find(id="webhook-log").get_text()


def test_a_hook_answering_500_is_retried_then_failed_and_retryable(
        make_app, db, admin_client, customer, place_order, receiver):
    app = make_app(DELIVERY_BACKOFF_SECONDS="0", DELIVERY_MAX_ATTEMPTS="3", WORKER_QUEUE="memory")
    broken = receiver(status=500)
    _register(admin_client, broken.url)
    place_order(customer)
    for _ in range(4):
        deliver(app)
    assert len(broken.calls) == 3
    row = db.query(Delivery).filter_by(channel="webhook").one()
    assert (row.status, row.last_error) == (FAILED, "HTTP 500")
    detail = admin_client.soup(f"/admin/deliveries/{row.id}")
    assert "HTTP 500" in detail.find(id="delivery-error").get_text()
    broken.status = 204
    assert admin_client.post(f"/admin/deliveries/{row.id}/retry").status_code == 303
    deliver(app)
    db.refresh(row)
    assert row.status == SENT and len(broken.calls) == 4


def test_a_hanging_hook_times_out(make_app, db, admin_client, customer, place_order, receiver):
    app = make_app(WEBHOOK_TIMEOUT="0.5", WORKER_QUEUE="memory")
    slow = receiver(hang=3)
    _register(admin_client, slow.url)
    place_order(customer)
    started = time.monotonic()
    deliver(app)
    assert time.monotonic() - started < 2.5
    row = db.query(Delivery).filter_by(channel="webhook").one()
    assert "timed out" in row.last_error.lower() and row.status == "pending"


def test_only_chosen_events_are_sent(app, admin_client, customer, place_order, receiver):
    hook = receiver()
    _register(admin_client, hook.url, kinds=("orders.status_changed",))
    place_order(customer)
    deliver(app)
    assert hook.calls == []


def test_a_bad_address_is_refused_next_to_the_field(admin_client):
    response = admin_client.post("/admin/webhooks", data={"url": "ftp://erp", "kinds": []})
    assert response.status_code == 422
    assert "https://" in response.text and 'value="ftp://erp"' in response.text


def test_webhooks_and_deliveries_are_for_administrators(staff_client):
    assert staff_client.get("/admin/webhooks").status_code == 403
    assert staff_client.get("/admin/deliveries").status_code == 403


def test_unknown_ids_are_not_found(admin_client):
    assert admin_client.get("/admin/webhooks/999").status_code == 404
    assert admin_client.get("/admin/deliveries/999").status_code == 404
    assert admin_client.post("/admin/deliveries/999/retry").status_code == 404
