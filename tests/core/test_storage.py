"""The storage interface every upload goes through: generated keys, limits, safe downloads."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from portal.core.storage import UploadRefused, get_storage, save_upload, send_stored, valid_key


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_an_upload_is_kept_under_a_generated_key_and_sent_under_its_own_name(app):
    with app.test_request_context():
        stored = save_upload(upload(b"%PDF-1.4 hello", "Fatura şğı\x07.pdf"), area="tests",
                             extensions=("pdf",), max_bytes=1000)
        assert stored.original_name == "Fatura şğı.pdf" and stored.size == 14
        assert stored.key.startswith("tests/") and valid_key(stored.key)
        response = send_stored(stored.key, download_name=stored.original_name,
                               content_type=stored.content_type)
        response.direct_passthrough = False
        assert response.get_data() == b"%PDF-1.4 hello"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("data,name,message", [
    (b"x" * 1001, "big.pdf", "larger than the limit"),
    (b"", "empty.pdf", "empty"),
    (b"<script>", "page.html", "not accepted"),
])
def test_refused_uploads_keep_nothing(app, data, name, message):
    with app.test_request_context():
        with pytest.raises(UploadRefused, match=message):
            save_upload(upload(data, name), area="tests", extensions=("pdf",), max_bytes=1000)
        root = get_storage().root / "tests"
        assert not root.exists() or not any(root.iterdir())


@pytest.mark.parametrize("key", ["../secret", "tests/../../x", "tests/" + "g" * 32, "", "a/b/c"])
def test_keys_that_are_not_generated_never_reach_the_disk(app, key):
    with app.test_request_context():
        assert get_storage().open(key) is None
