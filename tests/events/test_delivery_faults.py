"""Faults: a mail server that refuses, stalls or is down loses nothing and sends each mail once."""

import threading
import time

from portal.core.models import FAILED, PENDING, SENT, Delivery
from portal.testing import deliver


def _customer_with_mail(db, customer, locale="en"):
    customer = db.merge(customer)
    customer.email, customer.locale = "ayse@anadolu.test", locale
    db.commit()
    return customer


def _statuses(db):
    db.expire_all()
    return sorted(d.status for d in db.query(Delivery))


def test_a_server_down_then_back_gets_every_mail_once(app, db, customer, place_order,
                                                      smtp_server):
    customer = _customer_with_mail(db, customer)
    smtp_server.stop()
    first = place_order(customer)
    deliver(app)
    deliver(app)
    assert _statuses(db) == [PENDING]
    assert db.query(Delivery).one().attempts == 2
    assert "ConnectionRefusedError" in db.query(Delivery).one().last_error
    second = place_order(customer)
    smtp_server.start()  # back on the same port
    deliver(app)
    deliver(app)  # nothing left to send
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == sorted([f"Order {first.number} received",
                               f"Order {second.number} received"])
    assert _statuses(db) == [SENT, SENT]


def test_a_refusing_server_is_retried_then_failed_with_its_error(make_app, db, customer,
                                                                 place_order, smtp_server):
    app = make_app(SMTP_URL=smtp_server.url, DELIVERY_BACKOFF_SECONDS="0",
                   DELIVERY_MAX_ATTEMPTS="3", WORKER_QUEUE="memory")
    customer = _customer_with_mail(db, customer)
    smtp_server.answer = "554 Message refused"
    place_order(customer)
    for _ in range(5):
        deliver(app)
    row = db.query(Delivery).one()
    db.refresh(row)
    assert (row.status, row.attempts) == (FAILED, 3)
    assert "554" in row.last_error and "refused" in row.last_error
    assert smtp_server.messages == []


def test_a_stalling_server_times_out_and_the_mail_goes_later(app, db, customer, place_order,
                                                             smtp_server):
    customer = _customer_with_mail(db, customer)
    smtp_server.delay = 2.5  # SMTP_TIMEOUT is 1 second in these tests
    place_order(customer)
    started = time.monotonic()
    deliver(app)
    assert time.monotonic() - started < 2.4
    assert "timed out" in db.query(Delivery).one().last_error.lower()
    smtp_server.delay = 0
    deliver(app)
    time.sleep(2)  # the stalled session has ended
    assert len(smtp_server.messages) == 1
    assert _statuses(db) == [SENT]


def test_two_worker_copies_never_send_a_mail_twice(app, db, make_user, make_company,
                                                   place_order, smtp_server):
    company = make_company()
    buyers = [make_user(f"buyer{n}", company=company, email=f"buyer{n}@example.test")
              for n in range(3)]
    for buyer in buyers:
        for _ in range(3):
            place_order(buyer)
    barrier = threading.Barrier(2)

    def copy():
        barrier.wait()
        deliver(app)

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deliver(app)
    received = [(m["To"], m["Subject"]) for m in smtp_server.messages]
    assert len(received) == 27  # 9 orders × 3 people of the company
    assert len(set(received)) == 27


def test_the_huey_consumer_delivers_after_the_commit(make_app, db, customer, place_order,
                                                     smtp_server):
    app = make_app(SMTP_URL=smtp_server.url, WORKER_QUEUE="sqlite")
    customer = _customer_with_mail(db, customer)
    huey = app.extensions["portal.huey"]
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False,
                                    initial_delay=0.05, max_delay=0.2)
    with app.test_request_context():
        from decimal import Decimal as D

        from plugins.orders.models import Product
        from plugins.orders.ordering import NewLine, OrderDetails
        from plugins.orders.ordering import place_order as place

        place_order  # noqa: B018 - the fixture made the product
        session = app.extensions["portal.sessionmaker"]()
        product = session.query(Product).first()
        order = place(session, company_id=customer.company_id, user=customer,
                      details=OrderDetails("key-000000000001-huey"),
                      lines=[NewLine(product.id, product.code, product.name, product.unit,
                                     D("1"), D("10"), D("20"))])
        session.commit()  # after the commit the dispatch task is in Huey's SQLite queue
        session.close()
    assert huey.pending_count() == 1
    consumer.start()
    try:
        deadline = time.monotonic() + 15
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
    assert [m["Subject"] for m in smtp_server.messages] == [f"Order {order.number} received"]
