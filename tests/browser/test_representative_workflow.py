"""Issue 3 in a real browser: a representative onboards a customer through the admin pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import main_menu, sign_in, sign_out

pytestmark = pytest.mark.browser

COMPANY = "Anadolu Yapı Malzemeleri A.Ş."
GROUP = "Wholesale buyers"
USERNAME = "deniz.kaya"
FULL_NAME = "Deniz Kaya"
NEW_PASSWORD = "Sunny-Meadow-4821"


@pytest.fixture
def closed_server(app, db, serve):
    """The portal with external access switched off, as on a fresh installation."""
    return serve(app, external_access=False)


def _heading(page: Page):
    return page.get_by_role("heading", level=1)


def _flash(page: Page):
    return page.get_by_role("status")


def test_representative_onboards_a_customer_who_then_signs_in(
        new_page, closed_server, admin):
    _onboard_and_sign_in(new_page, closed_server, javascript=True)


def test_the_onboarding_works_without_javascript(new_page, closed_server, admin):
    _onboard_and_sign_in(new_page, closed_server, javascript=False)


def _onboard_and_sign_in(new_page, server, javascript: bool) -> None:
    # Before the switch is on, the customer cannot sign in: nobody can, the portal is closed.
    staff = new_page(server, javascript=javascript)
    staff.goto("/login")
    expect(staff.get_by_text("The portal is closed for customers")).to_be_visible()

    sign_in(staff, "boss")
    expect(_heading(staff)).to_have_text("Administration")

    # Settings › Users and rights: allow external users.
    main_menu(staff).get_by_role("link", name="Users and rights").click()
    switch = staff.get_by_label("Allow external user access")
    expect(switch).not_to_be_checked()
    switch.check()
    staff.get_by_role("button", name="Save", exact=True).click()
    expect(_flash(staff)).to_contain_text("External users can sign in now.")
    expect(staff.get_by_label("Allow external user access")).to_be_checked()

    # An access group from the built-in Customer profile.
    main_menu(staff).get_by_role("link", name="Access groups").click()
    staff.get_by_role("link", name="New access group").click()
    staff.get_by_label("Group name").fill(GROUP)
    staff.get_by_label("Based on profile").select_option(label="Customer")
    staff.get_by_role("button", name="Create group").click()
    expect(_heading(staff)).to_have_text(f"Access group {GROUP}")
    expect(staff.get_by_text("Based on profile: Customer")).to_be_visible()

    # The customer company, then an external user for it with a password.
    main_menu(staff).get_by_role("link", name="Customer companies").click()
    staff.get_by_role("link", name="New company").click()
    staff.get_by_label("Company name").fill(COMPANY)
    staff.get_by_role("button", name="Save", exact=True).click()
    expect(_heading(staff)).to_have_text(COMPANY)
    expect(_flash(staff)).to_contain_text(f"Company {COMPANY} created.")

    staff.get_by_role("link", name="New external user for this company").click()
    expect(_heading(staff)).to_have_text("New external user")
    expect(staff.get_by_label("Customer company")).to_have_value(
        re.compile(rf"^#\d+ — {re.escape(COMPANY)}$"))
    staff.get_by_label("User name").fill(USERNAME)
    staff.get_by_label("Full name").fill(FULL_NAME)
    staff.get_by_label("E-mail").fill("deniz@anadolu.example")
    staff.get_by_label("Password (optional)").fill(NEW_PASSWORD)
    staff.get_by_role("button", name="Create user").click()
    expect(_heading(staff)).to_have_text(f"{FULL_NAME} ({USERNAME})")
    expect(_flash(staff)).to_contain_text(f"User {USERNAME} created.")
    expect(staff.get_by_text("In no access group")).to_be_visible()

    # Access rights on the user's card: add them to the new group.
    staff.get_by_label("Access group").select_option(label=GROUP)
    staff.get_by_role("button", name="Add to group").click()
    expect(_flash(staff)).to_contain_text(f"{USERNAME} added to {GROUP}.")
    expect(staff.locator("#user-groups").get_by_role("link", name=GROUP)).to_be_visible()
    sign_out(staff)

    # The customer signs in, in their own browser, and gets the customer's home page.
    customer = new_page(server, javascript=javascript)
    sign_in(customer, USERNAME, NEW_PASSWORD)
    expect(_heading(customer)).to_have_text(f"Welcome, {FULL_NAME}")
    expect(main_menu(customer).get_by_role("link", name="Home")).to_be_visible()
    main_menu(customer).get_by_role("link", name="My account").click()
    expect(customer.get_by_text(COMPANY)).to_be_visible()
