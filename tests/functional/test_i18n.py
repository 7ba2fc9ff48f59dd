"""English and Arabic: the switch in the header, the choice remembered per user, right-to-left
pages, messages beside fields in the page's language, names in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD, csrf_token
from tests.demo_data import demo_into
from tests.factories import make_actor
from tracker.db import session_factory
from tracker.i18n import localized, text_direction
from tracker.models import User

LoginAs = Callable[..., int]


def _switch(client: FlaskClient, locale: str, back_to: str = "/") -> None:
    token = csrf_token(client.get(back_to).get_data(as_text=True))
    response = client.post(
        "/language", data={"locale": locale, "next": back_to, "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.location == back_to


def test_visitor_switches_the_sign_in_page_to_arabic_right_to_left(client: FlaskClient) -> None:
    _switch(client, "ar", "/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html
    assert ">English<" in html  # the switch offers the other language
    _switch(client, "en", "/login")
    assert '<html lang="en" dir="ltr">' in client.get("/login").get_data(as_text=True)


def test_browser_preference_picks_arabic_for_a_visitor(client: FlaskClient) -> None:
    html = client.get("/login", headers={"Accept-Language": "ar,en;q=0.5"}).get_data(as_text=True)
    assert 'dir="rtl"' in html


def test_choice_is_remembered_for_the_user_on_another_browser(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    user_id = login_as("analyst", username="polyglot")
    _switch(client, "ar", "/agreements/")
    with session_factory(database_url)() as db:
        user = db.get(User, user_id)
        assert user is not None
        assert user.locale == "ar"
    other = app.test_client()
    token = csrf_token(other.get("/login").get_data(as_text=True))
    other.post(
        "/login", data={"username": "polyglot", "password": TEST_PASSWORD, "csrf_token": token}
    )
    html = other.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "الاتفاقات" in html


def test_validation_messages_are_in_the_pages_language(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_actor(db, slug="taken-slug")
    login_as("analyst")
    _switch(client, "ar", "/actors/new")
    page = client.get("/actors/new").get_data(as_text=True)
    response = client.post(
        "/actors/new",
        data={"name_en": "", "slug": "x!", "kind": "militia", "csrf_token": csrf_token(page)},
    )
    html = response.get_data(as_text=True)
    assert "هذا الحقل مطلوب." in html  # WTForms' own message, in Arabic
    assert "استخدم حروفًا لاتينية صغيرة" in html  # ours
    response = client.post(
        "/actors/new",
        data={
            "name_en": "Militia",
            "slug": "taken-slug",
            "kind": "militia",
            "parent_id": "None",
            "csrf_token": csrf_token(html),
        },
    )
    assert "الاسم المختصر taken-slug مستخدم لطرف آخر." in response.get_data(as_text=True)


def test_unknown_language_is_refused_without_an_error_page(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    user_id = login_as("viewer")
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"locale": "fr", "next": "/", "csrf_token": token})
    assert response.status_code == 302
    with session_factory(database_url)() as db:
        assert db.scalar(select(User.locale).where(User.id == user_id)) == "en"


def test_names_fall_back_to_the_other_language(app: Flask) -> None:
    both = SimpleNamespace(name_en="Kafr Nabudah", name_ar="كفرنبودة")
    english_only = SimpleNamespace(name_en="Hmeimim", name_ar=None)
    arabic_only = SimpleNamespace(name_en="", name_ar="حميميم")
    assert localized(both, "name", "ar") == "كفرنبودة"
    assert localized(both, "name", "en") == "Kafr Nabudah"
    assert localized(english_only, "name", "ar") == "Hmeimim"
    assert localized(arabic_only, "name", "en") == "حميميم"
    assert localized(None, "name", "en") == ""
    assert text_direction("ar") == "rtl"
    assert text_direction("en") == "ltr"


def test_account_page_offers_the_language_and_password_forms(
    client: FlaskClient, login_as: LoginAs
) -> None:
    login_as("viewer")
    _switch(client, "ar", "/account")
    html = client.get("/account").get_data(as_text=True)
    assert "تغيير كلمة المرور" in html
    assert 'name="locale"' in html
    assert "جلساتك المفتوحة" in html


def test_messages_outside_a_request_are_in_english(app: Flask) -> None:
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Agreements") == "Agreements"


def test_report_page_in_arabic_translates_verdicts_and_categories(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    login_as("analyst")
    _switch(client, "ar", "/agreements/sochi-2018/report")
    html = client.get("/agreements/sochi-2018/report").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "<td>خرق</td>" in html  # the verdict "Violation" in the totals
    assert "<td>هجوم بري</td>" in html  # the category "Ground assault" in the breakdown
