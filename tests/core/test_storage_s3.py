"""Object storage for several web hosts, against an S3 API server on loopback (moto)."""

from __future__ import annotations

import io

import boto3
import moto.server as moto_server
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

BUCKET = "portal-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    import os

    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_app(make_app, s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET)
    app = make_app(STORAGE_URL=f"s3://{BUCKET}/uploads", STORAGE_S3_ENDPOINT_URL=s3_endpoint,
                   STORAGE_S3_REGION="us-east-1", STORAGE_S3_ACCESS_KEY="test",
                   STORAGE_S3_SECRET_KEY="test")
    yield app, client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_uploads_go_to_the_bucket_and_come_back_as_downloads(s3_app):
    from portal.core.storage import S3Storage, get_storage, save_upload, send_stored

    app, client = s3_app
    assert isinstance(get_storage(app), S3Storage)
    with app.test_request_context():
        stored = save_upload(FileStorage(io.BytesIO(b"%PDF-1.4 katalog"), "Katalog şğı.pdf"),
                             area="documents", extensions=("pdf",), max_bytes=1000)
        assert _keys(client) == [f"uploads/{stored.key}"]
        response = send_stored(stored.key, download_name=stored.original_name,
                               content_type=stored.content_type)
        response.direct_passthrough = False
        assert response.get_data() == b"%PDF-1.4 katalog"
        assert "attachment" in response.headers["Content-Disposition"]
        get_storage(app).delete(stored.key)
        assert _keys(client) == []
        with pytest.raises(NotFound):
            send_stored(stored.key, download_name="x.pdf", content_type="application/pdf")


def test_an_upload_over_the_limit_leaves_nothing_in_the_bucket(s3_app):
    from portal.core.storage import UploadRefused, save_upload

    app, client = s3_app
    with app.test_request_context(), pytest.raises(UploadRefused, match="larger than"):
        save_upload(FileStorage(io.BytesIO(b"x" * 2000), "big.pdf"), area="documents",
                    extensions=("pdf",), max_bytes=1000)
    assert _keys(client) == []


def test_a_second_web_host_serves_what_the_first_stored(s3_app, make_app, s3_endpoint):
    from portal.core.storage import get_storage, save_upload

    first, _client = s3_app
    second = make_app(STORAGE_URL=f"s3://{BUCKET}/uploads", STORAGE_S3_ENDPOINT_URL=s3_endpoint,
                      STORAGE_S3_REGION="us-east-1", STORAGE_S3_ACCESS_KEY="test",
                      STORAGE_S3_SECRET_KEY="test")
    with first.test_request_context():
        stored = save_upload(FileStorage(io.BytesIO(b"shared bytes"), "a.txt"), area="support",
                             extensions=("txt",), max_bytes=100)
    with get_storage(second).open(stored.key) as handle:
        assert handle.read() == b"shared bytes"


def test_storage_url_is_checked():
    from portal import create_app
    from portal.core.storage import storage_from_settings

    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x",
                      "STORAGE_URL": "ftp://files/x"})
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        storage_from_settings(app)
