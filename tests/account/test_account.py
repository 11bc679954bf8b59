"""The customer's own account: contact details, change password, language."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.core.models import AuditLog, User
from portal.testing import PASSWORD
from tests.admin.conftest import field_errors

NEW = "violet-mountain-river"


def _change(client, current=PASSWORD, new=NEW, again=NEW):
    return client.post("/account/password", data={
        "pw-current_password": current, "pw-new_password": new, "pw-confirm_password": again})


def test_account_shows_own_company_and_contact_person(customer_client, db, customer,
                                                      make_company):
    make_company("Other Co", contact_name="Someone Else")
    from portal.core.models import CustomerCompany

    company = db.get(CustomerCompany, customer.company_id)
    company.billing_address = "Atatürk Cad. 12\nKadıköy"
    company.contact_name = "Murat Kaya"
    company.contact_email = "murat@supplier.example"
    db.commit()
    soup = customer_client.soup("/account/")
    text = soup.find("main").get_text(" ")
    assert "Ayşe Demir" in text and company.name in text and "Murat Kaya" in text
    assert "Atatürk Cad. 12" in text
    assert "Someone Else" not in text and "Other Co" not in text
    assert soup.find("a", href="mailto:murat@supplier.example")


def test_change_password_success(customer_client, db, customer):
    response = _change(customer_client)
    assert response.status_code == 303
    db.expire_all()
    assert db.query(AuditLog).filter_by(action="user.change_password").count() == 1
    customer_client.post("/logout")
    assert customer_client.login(customer.username, PASSWORD).status_code == 401
    assert customer_client.login(customer.username, NEW).status_code == 303


def test_each_failure_has_its_own_message_next_to_the_field(customer_client, db, customer):
    cases = [
        (dict(current="wrong-password-1"), "pw-current_password",
         "The current password is not correct."),
        (dict(current=""), "pw-current_password", "Enter your current password."),
        (dict(new="short", again="short"), "pw-new_password", "Use at least 10 characters."),
        (dict(new="password123", again="password123"), "pw-new_password",
         "This password is too common; choose one that is harder to guess."),
        (dict(again="something-else-1"), "pw-confirm_password",
         "The two passwords are not the same."),
        (dict(new=PASSWORD, again=PASSWORD), "pw-new_password",
         "The new password must differ from the current one."),
    ]
    for kwargs, field, message in cases:
        response = _change(customer_client, **kwargs)
        assert response.status_code == 422, kwargs
        assert field_errors(response.text).get(field) == [message], kwargs
        soup = BeautifulSoup(response.text, "html.parser")
        # The form is kept, the password fields are never sent back.
        for name in ("pw-current_password", "pw-new_password", "pw-confirm_password"):
            assert not soup.find("input", attrs={"name": name}).get("value")
        assert soup.find("h1").text == "My account"
    db.expire_all()
    assert customer_client.post("/logout").status_code == 303
    assert customer_client.login(customer.username, PASSWORD).status_code == 303


def test_language_preference_is_saved_on_the_user(customer_client, db, customer):
    soup = customer_client.soup("/account/")
    form = soup.find("form", id="language-form")
    assert {i["value"] for i in form.find_all("input", type="radio")} == {"en", "tr"}
    response = customer_client.post(form["action"], data={"lang": "tr", "next": "/account/"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/account/")
    db.expire_all()
    assert db.get(User, customer.id).locale == "tr"
    page = customer_client.soup("/account/")
    assert page.find("html")["lang"] == "tr"
    assert page.find("input", attrs={"name": "lang", "value": "tr"}).has_attr("checked")


def test_password_change_needs_csrf(customer_client):
    response = customer_client.post("/account/password", csrf=False, data={
        "pw-current_password": PASSWORD, "pw-new_password": NEW, "pw-confirm_password": NEW})
    assert response.status_code == 400


def test_guessing_the_current_password_is_slowed_down(customer_client, db, customer):
    for _ in range(5):
        assert _change(customer_client, current="not-my-password").status_code == 422
    response = _change(customer_client)  # even the right password has to wait now
    assert response.status_code == 429
    assert field_errors(response.text)["pw-current_password"] == [
        "Too many wrong passwords. Try again in 1 second."]
    db.expire_all()
    from portal.core.passwords import verify_password

    assert verify_password(db.get(User, customer.id).password_hash, PASSWORD)  # unchanged
