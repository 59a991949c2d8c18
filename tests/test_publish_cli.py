"""`xlreport publish` on the command line: exit codes, the refusal of a file with errors
(code publish-refused), the 未通过校验 stamp with --force, outputs that never replace an
input or a foreign file, byte-identical outputs, and the golden files of the demo return
(the HTML page and the Word document's document.xml).

Rewrite the goldens after an intended change::

    XLREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_publish_cli.py
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cli_helpers import invoke
from golden_helpers import check_parts, check_text
from publish_helpers import write_demo_return, write_return, write_summary


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_return(tmp_path_factory.mktemp("publish-cli") / "收到的报表")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish-faulty")
    return write_return(
        root, "gov-2021", code="A05", values={"s3.new.natural": "12件", "s3.new.total": "5"}
    )


@pytest.mark.parametrize("to", ["docx", "html"])
def test_clean_file_is_published(demo: Path, tmp_path: Path, to: str) -> None:
    out = tmp_path / f"报告.{to}"
    code, stdout, stderr = invoke(["publish", str(demo), "--to", to, "--out", str(out)])
    assert (code, stderr) == (0, "")
    assert "已发布清河县人民政府办公室 2024 年度报表" in stdout and str(out) in stdout
    assert out.is_file()


@pytest.mark.parametrize("to", ["docx", "html"])
def test_default_out_is_beside_the_input(tmp_path: Path, to: str) -> None:
    src = write_demo_return(tmp_path)
    code, _, _ = invoke(["publish", str(src), "--to", to])
    assert code == 0
    assert (tmp_path / f"{src.stem}.{to}").is_file()
    # running again replaces our own earlier output without --force
    assert invoke(["publish", str(src), "--to", to])[0] == 0


@pytest.mark.parametrize("to", ["docx", "html"])
def test_file_with_errors_is_refused(faulty: Path, tmp_path: Path, to: str) -> None:
    out = tmp_path / f"x.{to}"
    code, stdout, stderr = invoke(["publish", str(faulty), "--to", to, "--out", str(out)])
    assert code == 1 and stdout == ""
    assert "未发布（publish-refused）" in stderr and "--force" in stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    code, stdout, _ = invoke(["publish", str(faulty), "--to", to, "--out", str(out), "--json"])
    doc = json.loads(stdout)
    assert code == 1 and doc["refused"] and not doc["written"] and doc["exit_code"] == 1
    assert doc["findings"][0]["code"] == "publish-refused"
    assert doc["findings"][0]["found"] == str(doc["errors"]) and doc["errors"] >= 1
    assert all(f["severity"] == "error" for f in doc["findings"])


def test_force_stamps_every_page(faulty: Path, tmp_path: Path) -> None:
    html, word = tmp_path / "x.html", tmp_path / "x.docx"
    code, _, stderr = invoke(
        ["publish", str(faulty), "--to", "html", "--out", str(html), "--force"]
    )
    assert code == 0 and "未通过校验" in stderr
    text = html.read_text(encoding="utf-8")
    assert '<p role="note"' in text and "<strong>未通过校验</strong>" in text
    code, _, _ = invoke(
        ["publish", str(faulty), "--to", "docx", "--out", str(word), "--force", "--full"]
    )
    assert code == 0
    with zipfile.ZipFile(word) as zf:
        headers = [n for n in zf.namelist() if n.startswith("word/header")]
        body = zf.read("word/document.xml").decode()
        assert len(headers) == body.count("<w:headerReference") == body.count("<w:sectPr") == 3
        assert all("未通过校验" in zf.read(h).decode() for h in headers)


def test_clean_file_has_no_stamp(demo: Path, tmp_path: Path) -> None:
    html, word = tmp_path / "x.html", tmp_path / "x.docx"
    assert invoke(["publish", str(demo), "--to", "html", "--out", str(html), "--force"])[0] == 0
    assert "未通过校验" not in html.read_text(encoding="utf-8")
    assert invoke(["publish", str(demo), "--to", "docx", "--out", str(word), "--full"])[0] == 0
    with zipfile.ZipFile(word) as zf:
        assert not any(n.startswith("word/header") for n in zf.namelist())
        assert "未通过校验".encode() not in zf.read("word/document.xml")


@pytest.mark.parametrize("to", ["docx", "html"])
@pytest.mark.parametrize("full", [False, True])
def test_two_runs_are_byte_identical(demo: Path, tmp_path: Path, to: str, full: bool) -> None:
    outs = [tmp_path / f"a.{to}", tmp_path / "sub" / f"b.{to}"]
    extra = ["--full"] if full else []
    for out in outs:
        assert invoke(["publish", str(demo), "--to", to, "--out", str(out), *extra])[0] == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_summary_is_published(tmp_path: Path) -> None:
    src = write_summary(tmp_path, "qinghe-2024")
    code, stdout, _ = invoke(["publish", str(src), "--to", "docx", "--json"])
    doc = json.loads(stdout)
    assert code == 0 and doc["kind"] == "summary" and doc["agency"] == "测试县"
    assert doc["layout"] == "qinghe-2024" and Path(doc["out"]).is_file()


def test_usage_errors(demo: Path, tmp_path: Path) -> None:
    assert invoke(["publish", str(demo), "--to", "pdf"])[0] == 2
    assert invoke(["publish", str(tmp_path / "无.xlsx"), "--to", "html"])[0] == 2
    assert invoke(["publish", str(demo)])[0] == 2  # --to is required
    code, _, stderr = invoke(["publish", str(tmp_path), "--to", "html"])
    assert code == 2 and "是文件夹" in stderr
    code, _, stderr = invoke(
        ["publish", str(demo), "--to", "html", "--out", str(tmp_path / "a.docx")]
    )
    assert code == 2 and ".html" in stderr
    text = tmp_path / "不是报表.xlsx"
    text.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, stderr = invoke(
        ["publish", str(text), "--to", "html", "--out", str(tmp_path / "o.html")]
    )
    assert code == 2 and "无法作为报表读取" in stderr
    assert not (tmp_path / "o.html").exists()


def test_never_overwrites_an_input_or_a_foreign_file(tmp_path: Path) -> None:
    src = write_demo_return(tmp_path)
    before = src.read_bytes()
    # the input itself (a hard link with the output's suffix is the same file)
    link = tmp_path / "same.html"
    link.hardlink_to(src)
    code, _, stderr = invoke(["publish", str(src), "--to", "html", "--out", str(link)])
    assert code == 2 and "覆盖" in stderr
    assert src.read_bytes() == before
    foreign = tmp_path / "别人的.docx"
    foreign.write_bytes(b"PK\x03\x04 not ours")
    code, _, stderr = invoke(["publish", str(src), "--to", "docx", "--out", str(foreign)])
    assert code == 2 and "已存在" in stderr
    assert foreign.read_bytes() == b"PK\x03\x04 not ours"
    page = tmp_path / "别人的.html"
    page.write_text("<!DOCTYPE html><p>mine</p>", encoding="utf-8")
    assert invoke(["publish", str(src), "--to", "html", "--out", str(page)])[0] == 2
    assert page.read_text(encoding="utf-8") == "<!DOCTYPE html><p>mine</p>"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".~")) == []


def test_golden_html_and_docx(demo: Path, tmp_path: Path) -> None:
    for full, name in ((False, "tables"), (True, "full")):
        extra = ["--full"] if full else []
        html, word = tmp_path / f"{name}.html", tmp_path / f"{name}.docx"
        assert invoke(["publish", str(demo), "--to", "html", "--out", str(html), *extra])[0] == 0
        assert invoke(["publish", str(demo), "--to", "docx", "--out", str(word), *extra])[0] == 0
        check_text(f"publish/demo-{name}.html", html.read_text(encoding="utf-8"))
        with zipfile.ZipFile(word) as zf:
            parts = {n: zf.read(n) for n in ("word/document.xml", "docProps/core.xml")}
        check_parts(f"publish/demo-{name}-docx", parts)
