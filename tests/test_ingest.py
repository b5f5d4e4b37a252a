"""Every input kind reads to the same Article; every bad input is a typed error, not a traceback."""
import gzip

import pytest

from newsgraph.errors import BinaryInput, EmptyInput, FetchError, InputError
from newsgraph.ingest import decode, detect_language, fetch, read, read_csv, read_jsonl
from newsgraph.record import Failure

TEXT = ("Café owners in Lyon said on Monday that the “naïve” parking plan would cost them "
        "customers, and the mayor’s office promised a review.")
ASCII_LATIN = "The naïve café owner said the plan would fail, the mayor's office reported."

PAGE = """<!DOCTYPE html><html><head><title>Harbor talks stall</title>
<meta name="author" content="Lena Park"><meta property="og:site_name" content="Coast Daily">
<meta property="article:published_time" content="2024-03-05"></head><body>
<nav>Home | World | Sport</nav><article><h1>Harbor talks stall</h1>
<p>Negotiators for the port workers walked out of the talks on Tuesday, union leader Rosa Diaz said.</p>
<p>“We came to bargain, not to be lectured,” Diaz told reporters outside the ministry.</p>
<p>The ministry said it would publish its offer in full so that members could judge it themselves.</p>
</article><footer>© Coast Daily</footer></body></html>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_encodings_decode_to_the_same_text(encoding):
    assert decode(TEXT.encode(encoding)) == TEXT


def test_latin1_text_is_detected_and_decoded():
    assert decode(ASCII_LATIN.encode("latin-1")) == ASCII_LATIN


@pytest.mark.parametrize("data, error", [
    (b"", EmptyInput), (b" \n\t \n", EmptyInput),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), BinaryInput),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", BinaryInput),
    (gzip.compress(b"hello world " * 50), BinaryInput),
    (bytes(range(256)) * 20, BinaryInput),
])
def test_bad_bytes_raise_typed_errors_with_a_fix(data, error):
    with pytest.raises(error) as info:
        decode(data, "upload.bin")
    assert "upload.bin" in str(info.value)


@pytest.mark.parametrize("text, lang", [
    ("The minister said on Monday that the talks would resume in Geneva next week.", "en"),
    ("Le ministre a déclaré lundi que les négociations reprendraient la semaine prochaine à Genève.", "fr"),
    ("Der Minister sagte am Montag, dass die Gespräche in der nächsten Woche in Genf weitergehen.", "de"),
    ("El ministro dijo el lunes que las negociaciones se reanudarán la próxima semana en Ginebra.", "es"),
    ("Министр заявил в понедельник, что переговоры возобновятся на следующей неделе.", "ru"),
    ("وقال الوزير يوم الاثنين إن المحادثات ستستأنف الأسبوع المقبل في جنيف", "ar"),
])
def test_language_identification(text, lang):
    assert detect_language(text) == lang


def test_html_file_yields_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (art,) = list(read(str(path)))
    assert "walked out of the talks on Tuesday" in art.text
    assert "Home | World" not in art.text and "© Coast Daily" not in art.text
    assert art.title == "Harbor talks stall"
    assert art.published == "2024-03-05"
    assert art.authors == ["Lena Park"]


def test_malformed_html_still_yields_its_text(tmp_path):
    path = tmp_path / "broken.htm"
    path.write_text("<html><body><p>Rescue teams reached the village on <b>Sunday<p>Three people "
                    "were missing, officials said.</div></span>", encoding="utf-8")
    (art,) = list(read(str(path)))
    assert "Rescue teams reached the village" in art.text and "Three people were missing" in art.text


def test_txt_keeps_text_exactly_and_takes_headline(tmp_path):
    raw = "Port strike ends\n\nDock workers returned on Friday.\r\nShips moved again.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    (art,) = list(read(str(path)))
    assert art.text == raw
    assert art.title == "Port strike ends"


def test_jsonl_batch_keeps_order_and_reports_bad_rows():
    data = "\n".join([
        '{"id": "a", "text": "First story about the port.", "source": "Coast Daily"}',
        '{"id": "b", "text": "   "}',
        'not json at all',
        '{"id": "c", "html": "<html><body><p>Second story about the harbor strike.</p></body></html>",'
        ' "published": "2024-01-02"}',
    ]).encode()
    items = list(read_jsonl(data, "batch.jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Article"]
    assert items[0].id == "a" and items[0].source == "Coast Daily"
    assert items[1].id == "b" and items[1].error == "EmptyInput"
    assert items[2].id == "batch.jsonl:3" and "not valid JSON" in items[2].message
    assert items[3].id == "c" and "harbor strike" in items[3].text and items[3].published == "2024-01-02"


def test_csv_batch_reads_fields_and_needs_a_text_column():
    data = ("id,title,text,published\n1,Port,\"Dock workers said, on Friday, they would return.\",2024-02-01\n"
            "2,Empty,,2024-02-02\n").encode("cp1252")
    items = list(read_csv(data, "b.csv"))
    assert items[0].text == "Dock workers said, on Friday, they would return." and items[0].title == "Port"
    assert isinstance(items[1], Failure) and items[1].id == "2"
    with pytest.raises(InputError, match="no 'text' or 'html' column"):
        list(read_csv(b"id,body\n1,hello\n", "b.csv"))


@pytest.fixture(scope="module")
def server():
    from conftest import PageServer

    srv = PageServer()
    srv.pages = {"/story": ("text/html; charset=utf-8", PAGE.encode()), "/plain": ("text/plain", TEXT.encode("utf-16"))}
    yield srv.base
    srv.close()


def test_url_is_fetched_and_extracted(server):
    art = fetch(f"{server}/story", timeout=5)
    assert "walked out of the talks" in art.text and art.url.endswith("/story")
    assert fetch(f"{server}/plain", timeout=5).text == TEXT


def test_url_errors_are_typed(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/missing", timeout=5)
    with pytest.raises(FetchError, match="could not fetch"):
        fetch("http://127.0.0.1:9/nothing", timeout=2)
