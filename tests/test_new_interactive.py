"""`smesa new` in a real terminal (a pty): each answer is checked as it is given and
asked again; choices are numbered; numbers, ids, names in English or Chinese and
listed variants all answer; a near miss gets the nearest id."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml


def in_terminal(root, *args: str, answers: list[str]) -> str:
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "smesa.cli", *args],
        cwd=root,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    os.write(master, "".join(f"{a}\n" for a in answers).encode())
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0, out.decode()
    return out.decode().replace("\r\n", "\n")


def test_new_case_re_asks_and_accepts_numbers_names_and_chinese(make_repo):
    root = make_repo()
    out = in_terminal(
        root,
        "new",
        "case",
        answers=[
            "数字化转型服务",  # Chinese where English is asked: asked again
            "Export coaching for first-time exporters in the Mekong region of Viet Nam",
            "",  # no Chinese title
            "alpah",  # a typo: the nearest id is suggested
            "Alpha SME Centre",  # a member by its name
            "数字化转型, 7",  # a topic by its Chinese name and one by its number
            "20x6",
            "2026",
            "",  # the suggested id
        ],
    )
    assert "write it in English here; Chinese has its own question" in out
    assert "  1. alpha — Alpha SME Centre (PRC)" in out
    assert "  2. beta — Beta Business Network (CT)" in out
    assert "no member 'alpah' in data/members/: did you mean 'alpha'?" in out
    assert "year must be four digits, like 2026: '20x6'" in out
    rel = "data/cases/2026/export-coaching-for-first-time-exporters-in-the-mekong.yml"
    assert f"wrote {rel}" in out
    record = yaml.safe_load((root / rel).read_text("utf-8"))
    assert record["member"] == "alpha"
    assert record["topics"] == ["digital-transformation", "skills-and-talent"]
    assert record["year"] == 2026


def test_new_member_accepts_an_economy_variant_and_a_number_for_its_type(make_repo):
    root = make_repo()
    out = in_terminal(
        root,
        "new",
        "member",
        answers=[
            "Red River SME Centre",
            "",
            "Chinaa",  # a typo of a listed variant
            "China",  # the variant of PRC
            "2",  # sme-service-centre
            "Tran Van Minh",
            "2026-02-30",  # not a date
            "2026-02-16",
            "by email",
            "SMESA-SEC/2026/001",
            "",
        ],
    )
    assert "economy 'Chinaa' is not in the list: did you mean 'PRC'?" in out
    assert "joined must be a date YYYY-MM-DD: '2026-02-30'" in out
    assert "in the form SMESA-SEC/YYYY/NNN" in out
    record = yaml.safe_load((root / "data/members/red-river-sme-centre.yml").read_text("utf-8"))
    assert (record["economy"], record["type"]) == ("PRC", "sme-service-centre")
    assert record["admission"] == {
        "date": __import__("datetime").date(2026, 2, 16),
        "ref": "SMESA-SEC/2026/001",
    }
