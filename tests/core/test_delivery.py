"""What a browser and a load balancer see: compression, versioned static files, probes."""

from __future__ import annotations

import gzip

from bs4 import BeautifulSoup
from sqlalchemy import text

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _assets(html: str) -> tuple[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    css = soup.find("link", rel="stylesheet")["href"]
    script = soup.find("script", src=True)
    return css, script


def test_html_is_gzipped_for_clients_that_accept_it(customer_client):
    plain = customer_client.get("/")
    assert "Content-Encoding" not in plain.headers
    response = customer_client.get("/", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"
    assert gzip.decompress(response.data).decode() == plain.get_data(as_text=True)


def test_compression_can_be_left_to_a_proxy(make_app):
    app = make_app(COMPRESS_RESPONSES="0")
    response = app.test_client().get("/login", headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_static_files_have_versioned_urls_cached_for_a_year(customer_client):
    css, script = _assets(customer_client.get("/").get_data(as_text=True))
    assert script.has_attr("defer")  # htmx does not block the first paint
    for url in (css, script["src"]):
        assert "?v=" in url
        response = customer_client.get(url, headers=GZIP)
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(gzip.decompress(response.data)) > len(response.data)
    unversioned = customer_client.get(css.split("?")[0])
    assert "max-age=31536000" not in unversioned.headers.get("Cache-Control", "")


def test_the_version_is_the_content_hash(app, tmp_path):
    import hashlib
    from pathlib import Path

    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="portal.css")
    expected = hashlib.sha256(Path(app.static_folder, "portal.css").read_bytes()).hexdigest()
    assert url.endswith(f"?v={expected[:12]}")


def test_first_view_of_the_dashboard_fits_25_kb_compressed(customer_client):
    page = customer_client.get("/", headers=GZIP)
    total = len(page.data)
    soup = BeautifulSoup(gzip.decompress(page.data), "html.parser")
    urls = [tag["href"] for tag in soup.find_all("link", rel="stylesheet")]
    urls += [tag["src"] for tag in soup.find_all("script", src=True)]
    for url in urls:
        total += len(customer_client.get(url, headers=GZIP).data)
    assert total <= 25 * 1024, total


def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_the_database_and_the_migrations(client, app):
    assert client.get("/readyz").status_code == 200
    engine = app.extensions["portal.engine"]
    with engine.begin() as conn:
        saved = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        conn.execute(text("DELETE FROM alembic_version"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503 and "migrations pending" in response.text
    finally:
        with engine.begin() as conn:
            for version in saved:
                conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                             {"v": version})
    assert client.get("/readyz").status_code == 200


def test_readyz_reports_a_database_that_does_not_answer(client, monkeypatch, tmp_path):
    from sqlalchemy import create_engine

    from portal.core.views import health

    gone = create_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}")
    monkeypatch.setattr(health, "get_engine", lambda _app: gone)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.text == "database unavailable\n"
    assert client.get("/healthz").status_code == 200  # the process itself is fine
