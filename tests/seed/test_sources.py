"""The two source files: they parse, the truth covers them, the noise and traps are there."""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

from cdp.seed.sources import IMPORT_COLUMNS, SWITCHBOARDS, write_source_files

AS_OF = date(2026, 6, 30)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == IMPORT_COLUMNS or path.name == "truth.csv"
        return list(reader)


def _digest(directory: Path) -> str:
    return hashlib.sha256(
        b"".join(
            (directory / f"{name}.csv").read_bytes() for name in ("core_banking", "crm", "truth")
        )
    ).hexdigest()


def test_files_parse_and_truth_covers_every_row(tmp_path: Path) -> None:
    files = write_source_files(tmp_path, people=2_000, seed=3, duplicate_share=0.3, as_of=AS_OF)
    core, crm = _read(files.paths["core_banking"]), _read(files.paths["crm"])
    truth = _read(files.paths["truth"])
    keys = {(r["source"], r["source_key"]) for r in truth}
    assert keys == {("core_banking", r["source_key"]) for r in core} | {
        ("crm", r["source_key"]) for r in crm
    }
    assert len(truth) == len(keys)
    people_per_source = {
        s: {r["person_id"] for r in truth if r["source"] == s} for s in ("core_banking", "crm")
    }
    both = people_per_source["core_banking"] & people_per_source["crm"]
    assert 0.25 * 2_000 <= len(both) <= 0.35 * 2_000
    assert len(people_per_source["core_banking"] | people_per_source["crm"]) == 2_000


def test_crm_rows_carry_realistic_noise(tmp_path: Path) -> None:
    files = write_source_files(tmp_path, people=2_000, seed=3, as_of=AS_OF)
    crm = _read(files.paths["crm"])
    phones = [r["phone"] for r in crm]
    births = [r["birth_date"] for r in crm]
    assert any(p.startswith("+86 ") and "-" in p for p in phones)
    assert any(p.startswith("(0086)") for p in phones)
    assert any("年" in b for b in births)
    assert any(b.isdigit() and len(b) == 8 for b in births)
    assert any(r["name"] != r["name"].strip() or " " in r["name"] for r in crm)
    assert any(r["id_number"] == "" for r in crm)
    assert any(r["gender"] in ("男", "女") for r in crm)
    assert any(r["annual_income"].endswith("万") for r in crm)


def test_switchboards_are_shared_by_many_people(tmp_path: Path) -> None:
    files = write_source_files(tmp_path, people=2_000, seed=3, as_of=AS_OF)
    truth = {(r["source"], r["source_key"]): r["person_id"] for r in _read(files.paths["truth"])}
    owners: dict[str, set[str]] = {number: set() for number in SWITCHBOARDS}
    for source in ("core_banking", "crm"):
        for row in _read(files.paths[source]):
            digits = "".join(c for c in unicodedata.normalize("NFKC", row["phone"]) if c.isdigit())
            for number in SWITCHBOARDS:
                if digits.endswith(number):
                    owners[number].add(truth[(source, row["source_key"])])
    assert all(len(people) > 5 for people in owners.values())


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        write_source_files(tmp_path / name, people=500, seed=seed, as_of=AS_OF)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")
    counts = Counter(r["source"] for r in _read(tmp_path / "a" / "truth.csv"))
    assert counts["core_banking"] > 0
    assert counts["crm"] > 0
