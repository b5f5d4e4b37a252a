"""The CLI translates: each input kind in, records out; bad input is one line and an exit code."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbor_truce.txt"
STORY = "Dock workers in Marlow said on Friday that the strike would end, the union leader Rosa Diaz said."


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_example_json(capsys):
    code, out, err = run(capsys, "analyze", str(EXAMPLE))
    assert code == 0, err
    rec = json.loads(out)
    assert rec["text"] == EXAMPLE.read_text(encoding="utf-8")
    assert rec["title"] == "Rebel Magazine Hints at a Harbor Truce"
    assert rec["language"] == "en"
    assert any(e["name"] == "Samuel Okafor" for e in rec["entities"])


def test_analyze_table_is_for_people(capsys):
    code, out, _ = run(capsys, "analyze", str(EXAMPLE), "--format", "table")
    assert code == 0
    assert out.startswith("Rebel Magazine Hints at a Harbor Truce")
    assert "ENTITIES" in out and "Tomas Reed" in out


def test_batch_keeps_order_reports_failures_and_exits_3(capsys, tmp_path):
    batch = tmp_path / "b.jsonl"
    rows = [{"id": "one", "text": STORY}, {"id": "two", "text": ""},
            {"id": "three", "text": "Le ministre a déclaré lundi que les négociations reprendraient la semaine prochaine."},
            {"id": "four", "text": STORY.replace("Friday", "Monday")}]
    batch.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    code, out, err = run(capsys, "analyze", str(batch))
    assert code == 3
    recs = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in recs] == ["one", "two", "three", "four"]
    assert recs[1]["failed"] and recs[1]["error"] == "EmptyInput"
    assert recs[2]["failed"] and recs[2]["error"] == "UnsupportedLanguage"
    assert "text" in recs[3] and "Monday" in recs[3]["text"]
    assert "2 of 4 documents failed" in err


def test_workers_2_gives_the_same_records_in_order(capsys, tmp_path):
    batch = tmp_path / "b.csv"
    lines = ["id,text"] + [f'd{i},"{STORY.replace("Friday", day)}"' for i, day in
                           enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])]
    batch.write_text("\n".join(lines), encoding="utf-8")
    _, one, _ = run(capsys, "analyze", str(batch), "--workers", "1", "--batch-size", "2")
    code, two, _ = run(capsys, "analyze", str(batch), "--workers", "2", "--batch-size", "2")
    assert code == 0
    assert one == two
    assert [json.loads(line)["id"] for line in two.splitlines()] == ["d0", "d1", "d2", "d3", "d4"]


@pytest.mark.parametrize("content, flags, message", [
    (b"", [], "is empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), [], "binary data"),
    (STORY.encode() * 3, ["--max-chars", "100"], "over the limit of 100"),
    ("Le ministre a déclaré lundi que les négociations reprendraient la semaine prochaine.".encode(), [],
     "not English"),
])
def test_bad_single_input_is_one_line_and_exit_2(capsys, tmp_path, content, flags, message):
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "analyze", str(path), *flags)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_non_english_can_be_analysed_with_a_warning(capsys, tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text("Le ministre a déclaré lundi que les négociations reprendraient bientôt.", encoding="utf-8")
    code, out, _ = run(capsys, "analyze", str(path), "--language-policy", "warn", "--extractors", "entities")
    assert code == 0
    rec = json.loads(out)
    assert rec["language"] == "fr" and any("not English" in w for w in rec["warnings"])


def test_missing_file_and_unknown_suffix(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path / "nope.txt"))
    assert code == 2 and "does not exist" in err


def test_stdin_in_a_real_process_without_traceback():
    ok = subprocess.run([sys.executable, "-m", "newsgraph", "analyze", "-", "--extractors", "entities"],
                        input=STORY.encode(), capture_output=True, timeout=120)
    assert ok.returncode == 0, ok.stderr.decode()
    assert json.loads(ok.stdout)["text"] == STORY
    bad = subprocess.run([sys.executable, "-m", "newsgraph", "analyze", "-"], input=b"\x00\x01\x02" * 50,
                         capture_output=True, timeout=120)
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr and b"binary" in bad.stderr
