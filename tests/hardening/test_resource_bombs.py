"""Small files that cost a lot to parse (alias bombs, deep nesting, zip and PDF bombs, binary garbage) are refused
with a reason before the expensive step runs, and the rest of the batch goes on."""

from __future__ import annotations

import time
import zipfile
import zlib
from pathlib import Path

import pytest

from ragqa.index.loaders import LoadError, article_from_text, load_file, load_paths

# Generous safety nets only: each refusal happens before the costly step, in milliseconds.
FAST_S = 5.0


def alias_bomb(levels: int = 9) -> str:
    """YAML "billion laughs": each level lists the previous one nine times (9**levels strings once expanded)."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + "\naudience: hr\n---\n# Body\n\nText.\n"


def nested_html(depth: int) -> str:
    return "<html><body><main>" + "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "</main></body></html>"


def zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A .docx-named zip whose document part inflates from kilobytes to `unpacked_mb` megabytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (unpacked_mb * 1024 * 1024) + b"</w:document>")
    return path


def pdf(content: bytes, info: str = "") -> bytes:
    """A minimal one-page PDF whose content stream is `content`, Flate-compressed; `info` is its /Info dict."""
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if info:
        objects.append(info.encode())
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root 1 0 R%s >>" % (len(objects) + 1, b" /Info 6 0 R" if info else b"")
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _refused(path: Path) -> str:
    started = time.perf_counter()
    with pytest.raises(LoadError) as refused:
        load_file(path, doc_id=path.stem, source=path.name)
    assert time.perf_counter() - started < FAST_S
    return str(refused.value)


def test_yaml_alias_bomb_in_front_matter_is_refused_before_expansion(tmp_path):
    bomb = alias_bomb()
    assert len(bomb) < 700  # a few hundred bytes that would expand to ~43 million strings
    path = tmp_path / "bomb.md"
    path.write_text(bomb, encoding="utf-8")
    reason = _refused(path)
    assert "anchors and aliases" in reason and "line 2" in reason


def test_a_single_yaml_anchor_is_refused_too(tmp_path):
    path = tmp_path / "anchor.md"
    path.write_text("---\ntitle: &t Pay\nurl: *t\n---\nBody text.\n", encoding="utf-8")
    assert "anchors and aliases" in _refused(path)


def test_oversized_and_deeply_nested_front_matter_is_refused(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: x\n" + "".join(f"k{i}: {'v' * 60}\n" for i in range(1200)) + "---\nBody.\n",
                   encoding="utf-8")
    assert "larger than 64 KB" in _refused(big)
    deep = tmp_path / "deep.md"
    deep.write_text("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n", encoding="utf-8")
    assert "front matter" in _refused(deep)


def test_deeply_nested_html_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text(nested_html(20_000), encoding="utf-8")
    reason = _refused(path)
    assert "nested more than 200 levels" in reason
    with pytest.raises(LoadError, match="nested more than 200"):
        article_from_text("deep", nested_html(5_000), fmt="html")


def test_html_nested_as_deep_as_real_pages_still_loads(tmp_path):
    path = tmp_path / "ok.html"
    path.write_text(nested_html(150), encoding="utf-8")
    assert "deep text" in load_file(path, doc_id="ok", source="ok.html").text


def test_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = zip_bomb(tmp_path / "bomb.docx", unpacked_mb=40)
    assert path.stat().st_size < 200 * 1024
    reason = _refused(path)
    assert "zip bomb" in reason and "word/document.xml" in reason


def test_docx_whose_parts_add_up_past_the_limit_is_refused(tmp_path, monkeypatch):
    import ragqa.index.loaders as loaders

    monkeypatch.setattr(loaders, "MAX_UNZIPPED_BYTES", 2 * 1024 * 1024)  # the rule, not the size, is under test
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for i in range(3):
            archive.writestr(f"word/media/image{i}.bin", bytes(1024 * 1024))
    assert "unpacks to 3 MB; the limit is 2 MB" in _refused(path)


def test_docx_custom_property_naming_an_audience_is_refused(tmp_path):
    import docx

    path = tmp_path / "memo.docx"
    document = docx.Document()
    document.add_paragraph("The board meets on Thursday.")
    document.save(str(path))
    custom = ('<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
              'custom-properties"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
              'name="Audience"><vt:lpwstr xmlns:vt="x">hr</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("docProps/custom.xml", custom)
    assert "custom property 'Audience'" in _refused(path)


def test_pdf_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf(b"BT /F1 12 Tf 72 700 Td (x) Tj ET" + b" " * (80 * 1024 * 1024)))
    assert path.stat().st_size < 200 * 1024
    assert "decompresses beyond" in _refused(path)


def test_pdf_metadata_naming_an_audience_is_refused_and_a_plain_pdf_loads(tmp_path):
    restricted = tmp_path / "restricted.pdf"
    restricted.write_bytes(pdf(b"BT /F1 12 Tf 72 700 Td (Board minutes) Tj ET", "<< /Audience (hr) >>"))
    assert "'/Audience'" in _refused(restricted)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf(b"BT /F1 12 Tf 72 700 Td (Board minutes) Tj ET", "<< /Title (Minutes) >>"))
    article = load_file(plain, doc_id="plain", source="plain.pdf")
    assert "Board minutes" in article.text and article.acl == ()


@pytest.mark.parametrize("text", [
    bytes(range(256)).decode("latin-1") * 20,
    (bytes(range(128, 256)) * 50).decode("utf-8", "replace"),
    "header\x00" + "x" * 100,
], ids=["control characters", "replacement characters", "NUL"])
def test_binary_garbage_uploaded_as_text_is_refused_like_a_binary_file(text):
    with pytest.raises(LoadError, match="binary content"):
        article_from_text("garbage", text, fmt="txt")


def test_bombs_in_a_folder_are_reported_and_the_rest_is_ingested(tmp_path):
    (tmp_path / "bomb.md").write_text(alias_bomb(), encoding="utf-8")
    (tmp_path / "deep.html").write_text(nested_html(5000), encoding="utf-8")
    zip_bomb(tmp_path / "bomb.docx", unpacked_mb=20)
    (tmp_path / "fine.md").write_text("# Fine\n\nA normal article.\n", encoding="utf-8")
    started = time.perf_counter()
    result = load_paths([tmp_path])
    assert time.perf_counter() - started < FAST_S
    assert [a.doc_id for a in result.articles] == ["fine"]
    assert sorted(Path(f.path).name for f in result.failures) == ["bomb.docx", "bomb.md", "deep.html"]
