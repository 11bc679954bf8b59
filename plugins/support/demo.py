"""Demo support threads in Turkish and English (``portal demo``); idempotent.

Each thread is keyed by a fixed idempotency key, so loading the demo twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.core.db import utcnow
from portal.core.models import User

from .models import CLOSED
from .services.requests import change_status, find_by_key, open_request, reply
from .services.topics import ensure_default_topics, save_canned_reply

# key, customer, topic, subject, [(who, text)], final status; who = the customer or a staff name
THREADS = [
    ("demo-support-0001", "ayse", "delivery", "Sevkiyat ne zaman yola çıkar?",
     [("ayse", "Merhaba,\ngeçen hafta verdiğimiz çimento siparişinin sevk tarihi belli mi? "
               "Şantiyede yer açmamız gerekiyor."),
      ("temsilci", "Merhaba Ayşe Hanım,\nsiparişiniz perşembe sabahı yüklenecek; araç "
                   "plakasını aynı gün ileteceğiz.\nTakip: https://kargo.example/takip/12345"),
      ("ayse", "Teşekkürler, perşembe uygun.")], None),
    ("demo-support-0002", "mehmet", "invoice", "Faturada iskonto eksik",
     [("mehmet", "Son faturada anlaştığımız %5 iskonto uygulanmamış görünüyor. Kontrol "
                 "edebilir misiniz?"),
      ("temsilci", "Kontrol ettik, haklısınız. Fark için iade faturası kesildi; belgeler "
                   "sayfasında görebilirsiniz.")], CLOSED),
    ("demo-support-0003", "ilker", "product", "LED panel: dimmable version?",
     [("ilker", "Hello, is the 60x60 LED panel also available in a dimmable version? "
                "We need 40 pieces for an office project.")], None),
    ("demo-support-0004", "selin", "account", "Yeni kullanıcı eklenmesi",
     [("selin", "Muhasebeden bir arkadaşımızın da portala erişmesini istiyoruz."),
      ("admin", "Adını ve e-posta adresini yazar mısınız? Davet bağlantısını göndereceğiz.")],
     None),
]

CANNED = [
    ("Teşekkür / kapanış", "İlginiz için teşekkür ederiz. Başka bir sorunuz olursa bu talep "
                           "üzerinden yazabilirsiniz."),
    ("Thanks / closing", "Thank you. If anything else comes up, just reply to this request."),
]


def load_demo(session) -> None:
    ensure_default_topics(session)
    people = {u.username: u for u in session.scalars(
        select(User).where(User.username.in_({w for t in THREADS for w, _ in t[4]})))}
    start = utcnow() - dt.timedelta(days=3)
    for index, (key, author, topic, subject, messages, final) in enumerate(THREADS):
        customer = people.get(author)
        if customer is None or customer.company_id is None:
            continue
        if find_by_key(session, customer.company_id, key) is not None:
            continue
        moment = start + dt.timedelta(hours=5 * index)
        first_who, first_text = messages[0]
        request = open_request(session, company_id=customer.company_id, author=customer,
                               topic=topic, subject=subject, body=first_text,
                               idempotency_key=key, now=moment)
        for who, text in messages[1:]:
            moment += dt.timedelta(hours=2)
            if people.get(who) is not None:
                reply(session, request, author=people[who], body=text, now=moment)
        if final is not None:
            change_status(session, request, final, actor=people.get("temsilci"),
                          now=moment + dt.timedelta(hours=1))
    from .services.topics import canned_replies

    known = {c.title for c in canned_replies(session)}
    for title, body in CANNED:
        if title not in known:
            save_canned_reply(session, None, title=title, body=body)
