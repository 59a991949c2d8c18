"""The streaming repack gives exactly the bytes of pack(unzip(...)) (province summaries)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from xlreport.writer import zippack


def _zip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet9.xml", data)
        zf.writestr("xl/styles.xml", b"<styleSheet/>")
        zf.writestr("docProps/big.xml", data)  # not a worksheet: never split
    return buf.getvalue()


@pytest.mark.parametrize("where", [None, 0, 1, 700, 1019, 1020, 5000, -1])
def test_repack_equals_pack_of_unzip(monkeypatch: pytest.MonkeyPatch, where: int | None) -> None:
    monkeypatch.setattr(zippack, "_STREAM_FROM", 1000)  # stream every member of this test
    monkeypatch.setattr(zippack, "_PIECE", 1024)  # and in small pieces: markers straddle them
    rnd = random.Random(where)
    body = "".join(f'<row r="{i}"><c><v>{rnd.randint(0, 10**6)}</v></c></row>' for i in range(400))
    raw = body.encode()
    if where is not None:
        at = where if where >= 0 else len(raw)
        raw = raw[:at] + b"<headerFooter/>" + raw[at:] + b"<headerFooter/>"
    data = _zip(raw)
    assert zippack.repack(data) == zippack.pack(zippack.unzip(data))
