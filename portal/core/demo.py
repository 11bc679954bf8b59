"""``portal demo``: the core's demo records, then each enabled plugin's, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from portal.core.access import CUSTOMER_PROFILE_KEY
from portal.core.db import get_session, utcnow
from portal.core.demo_branding import load_demo_branding
from portal.core.models import (
    CUSTOMER,
    STAFF,
    AccessGroup,
    AccessGroupMember,
    CustomerCompany,
    Profile,
    User,
)
from portal.core.passwords import hash_password
from portal.core.plugins import CORE, get_registry
from portal.core.settings import EXTERNAL_ACCESS, set_setting
from portal.core.text import search_key

DEMO_PASSWORD = "portal-demo-2026"
"""Every demo account's password (listed in the README)."""

STAFF_USERS = [("admin", "Deniz Yıldız", True), ("temsilci", "Murat Kaya", False)]
COMPANIES = [
    {"external_id": "C-1001", "name": "Anadolu Yapı Market A.Ş.", "tax_number": "0680012345",
     "billing_address": "Atatürk Cad. 12\n34710 Kadıköy / İstanbul",
     "delivery_address": "Depo: Organize Sanayi Bölgesi 4. Cad. 7\n41400 Gebze / Kocaeli",
     "phone": "+90 216 555 01 01", "email": "satinalma@anadoluyapi.example",
     "contact_name": "Murat Kaya", "contact_phone": "+90 212 555 10 10",
     "contact_email": "murat.kaya@supplier.example",
     "users": [("ayse", "Ayşe Demir"), ("mehmet", "Mehmet Öztürk")]},
    {"external_id": "C-1002", "name": "Işık Elektrik Ltd. Şti.", "tax_number": "4650098765",
     "billing_address": "Kızılay Mah. Gazi Mustafa Kemal Blv. 45\n06420 Çankaya / Ankara",
     "delivery_address": "Kızılay Mah. Gazi Mustafa Kemal Blv. 45\n06420 Çankaya / Ankara",
     "phone": "+90 312 555 02 02", "email": "info@isikelektrik.example",
     "contact_name": "Deniz Yıldız", "contact_phone": "+90 212 555 10 11",
     "contact_email": "deniz.yildiz@supplier.example",
     "users": [("ilker", "İlker Şahin"), ("zeynep", "Zeynep Çelik")]},
    {"external_id": "C-1003", "name": "Ege Tarım Ürünleri Koop.", "tax_number": "3210054321",
     "billing_address": "Alsancak Mah. Kıbrıs Şehitleri Cad. 88\n35220 Konak / İzmir",
     "delivery_address": "Menemen Yolu 3. km\n35660 Menemen / İzmir",
     "phone": "+90 232 555 03 03", "email": "muhasebe@egetarim.example",
     "contact_name": "Murat Kaya", "contact_phone": "+90 212 555 10 10",
     "contact_email": "murat.kaya@supplier.example",
     "users": [("selin", "Selin Arslan")]},
]
DEMO_GROUP = "Customers"
RESTRICTED_GROUP = "Restricted buyers"
"""A group on the Customer profile for customers who may see only part of the catalogue.

The core cannot know product categories: the orders plugin's demo data adds the restriction
(kind ``orders.categories``) to this group by name."""
RESTRICTED_USERS = [("C-1003", "emre", "Emre Koç")]
INVITED_USER = ("C-1001", "can", "Can Aydın")
DEMO_ACTIVATION_TOKEN = "demo-invite-can-2026"
"""The invited demo user's activation link is ``/activate/demo-invite-can-2026`` (only its hash is
stored, like every link; it is renewed for 7 days each time the demo is loaded until used)."""
DEACTIVATED_USER = ("C-1002", "burak", "Burak Yılmaz")


def core_demo_data(session) -> None:
    set_setting(session, EXTERNAL_ACCESS, "1")
    load_demo_branding(session)
    for username, name, admin in STAFF_USERS:
        _user(session, username, kind=STAFF, full_name=name, is_admin=admin)
    profile = session.scalar(select(Profile).where(Profile.key == CUSTOMER_PROFILE_KEY))
    group = session.scalar(select(AccessGroup).where(AccessGroup.name == DEMO_GROUP))
    if group is None:
        group = AccessGroup(name=DEMO_GROUP, profile_id=profile.id,
                            description="Every demo customer: the built-in Customer profile.")
        session.add(group)
        session.flush()
    for data in COMPANIES:
        data = dict(data)
        users = data.pop("users")
        company = session.scalar(select(CustomerCompany)
                                 .where(CustomerCompany.external_id == data["external_id"]))
        if company is None:
            company = CustomerCompany(**data, search_key=search_key(data["name"]))
            session.add(company)
            session.flush()
        for username, name in users:
            user = _user(session, username, kind=CUSTOMER, full_name=name,
                         company_id=company.id, email=f"{username}@example.com")
            _member(session, group, user)
    _more_people(session, profile)


def _company(session, external_id: str) -> CustomerCompany:
    return session.scalar(select(CustomerCompany).where(CustomerCompany.external_id == external_id))


def _member(session, group: AccessGroup, user: User) -> None:
    if session.get(AccessGroupMember, (group.id, user.id)) is None:
        session.add(AccessGroupMember(group_id=group.id, user_id=user.id))
        session.flush()


def _more_people(session, profile: Profile) -> None:
    """A restricted group, an invited user with a pending link and a deactivated user."""
    group = session.scalar(select(AccessGroup).where(AccessGroup.name == RESTRICTED_GROUP))
    if group is None:
        group = AccessGroup(name=RESTRICTED_GROUP, profile_id=profile.id,
                            description="Customer profile, limited to some product categories.")
        session.add(group)
        session.flush()
    for external_id, username, name in RESTRICTED_USERS:
        user = _user(session, username, kind=CUSTOMER, full_name=name,
                     company_id=_company(session, external_id).id,
                     email=f"{username}@example.com")
        _member(session, group, user)

    customers = session.scalar(select(AccessGroup).where(AccessGroup.name == DEMO_GROUP))
    external_id, username, name = INVITED_USER
    invited = session.scalar(select(User).where(User.username == username))
    if invited is None:
        invited = User(username=username, kind=CUSTOMER, full_name=name,
                       company_id=_company(session, external_id).id,
                       email=f"{username}@example.com")
        session.add(invited)
        session.flush()
        _member(session, customers, invited)
    expires = invited.activation_expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    if invited.password_hash is None and (expires is None or expires <= utcnow()):
        # Not activated yet: the link is (re)made valid for 7 days.
        invited.activation_token_hash = hashlib.sha256(DEMO_ACTIVATION_TOKEN.encode()).hexdigest()
        invited.activation_expires_at = utcnow() + dt.timedelta(days=7)

    external_id, username, name = DEACTIVATED_USER
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = _user(session, username, kind=CUSTOMER, full_name=name,
                     company_id=_company(session, external_id).id,
                     email=f"{username}@example.com", is_active=False)
        _member(session, customers, user)


def _user(session, username: str, **fields) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash=hash_password(DEMO_PASSWORD), **fields)
        session.add(user)
        session.flush()
    return user


def _demo_impls(registry) -> dict:
    return {registry.owner_of(i.plugin_name): i
            for i in registry.pm.hook.portal_demo_data.get_hookimpls()}


def load_demo(app) -> None:
    registry = get_registry(app)
    session = get_session()
    impls = _demo_impls(registry)
    for name in [CORE, *registry.ordered_enabled()]:
        impl = impls.get(name)
        if impl is not None:
            impl.function(*[{"session": session}[arg] for arg in impl.argnames])
            session.flush()
    session.commit()


def has_demo_data(app, name: str) -> bool:
    return name in _demo_impls(get_registry(app))


def load_plugin_demo(app, name: str) -> bool:
    """Load one enabled plugin's demo data (idempotent, like ``portal demo``), in the current
    transaction; the caller commits. Returns False when the plugin has none."""
    impl = _demo_impls(get_registry(app)).get(name)
    if impl is None or name == CORE:
        return False
    session = get_session()
    impl.function(*[{"session": session}[arg] for arg in impl.argnames])
    session.flush()
    return True
