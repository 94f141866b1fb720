"""Two source-system customer files with planted duplicates, and their ground truth.

``core_banking`` is the cleaner, more trusted system; ``crm`` is where advisors
type things in. A share of people appear in both (with noise from
``cdp.seed.noise``), a few appear twice in the CRM, and a few company
switchboard numbers are shared by many different people: a matcher that merges
on phone alone fails here. ``truth.csv`` says which rows are the same person.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cdp.seed import noise
from cdp.seed.catalog import advisor_count
from cdp.seed.people import Person, make_person, unique_id_number

IMPORT_COLUMNS = (
    "source_key", "name", "gender", "birth_date", "id_type", "id_number", "phone", "email",
    "province", "city", "occupation", "annual_income", "risk_level", "risk_assessed_at",
    "investor_class", "advisor_no", "branch", "onboarded_at", "updated_at",
)  # fmt: skip
SOURCES = ("core_banking", "crm")
# A mobile carrier's service number people give as a placeholder, and two head-office lines.
SWITCHBOARDS = ("13800138000", "02168881234", "01065889999")
_PER_SWITCHBOARD = 12  # more people than the matcher's phone cap (5) per number
_CRM_TWICE = 0.02  # registered twice in the CRM (a second account by another advisor)
_PHONE_CHANGED = 0.05  # the CRM has a newer number for someone the bank also knows


@dataclass
class SourceFiles:
    paths: dict[str, Path]
    rows: dict[str, int] = field(default_factory=dict)
    people: int = 0
    in_both: int = 0


@dataclass(slots=True)
class _Record:
    person_id: str
    person: Person
    phone: str
    risk: int
    assessed: date
    professional: bool
    advisor_no: str
    onboarded: datetime
    updated: datetime


def write_source_files(
    out_dir: Path,
    *,
    people: int = 10_000,
    seed: int = 42,
    duplicate_share: float = 0.3,
    as_of: date | None = None,
) -> SourceFiles:
    """Write ``core_banking.csv``, ``crm.csv`` and ``truth.csv`` into ``out_dir``."""
    rng = random.Random(f"cdp-sources:{seed}")
    today = as_of or datetime.now(UTC).date()
    records = _people(rng, people, today)
    rows: dict[str, list[tuple[str, _Record, bool]]] = {"core_banking": [], "crm": []}
    in_both = 0
    for record in records:
        roll = rng.random()
        if roll < duplicate_share:
            in_both += 1
            rows["core_banking"].append(("core_banking", record, False))
            rows["crm"].append(("crm", _crm_view(rng, record), True))
        elif roll < duplicate_share + (1 - duplicate_share) * 0.55:
            rows["core_banking"].append(("core_banking", record, False))
        else:
            rows["crm"].append(("crm", record, True))
        if rng.random() < _CRM_TWICE:
            rows["crm"].append(("crm", _crm_view(rng, record), True))
    out_dir.mkdir(parents=True, exist_ok=True)
    result = SourceFiles(
        paths={s: out_dir / f"{s}.csv" for s in (*SOURCES, "truth")}, people=people,
        in_both=in_both,
    )  # fmt: skip
    truth: list[tuple[str, str, str]] = []
    for source, prefix, width in (("core_banking", "CB", 8), ("crm", "CRM-", 7)):
        entries = rows[source]
        rng.shuffle(entries)
        with result.paths[source].open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(IMPORT_COLUMNS)
            for n, (_, record, noisy) in enumerate(entries, start=1):
                key = f"{prefix}{n:0{width}d}"
                writer.writerow(_row(rng, key, record, noisy))
                truth.append((source, key, record.person_id))
        result.rows[source] = len(entries)
    with result.paths["truth"].open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(("source", "source_key", "person_id"))
        writer.writerows(truth)
    result.rows["truth"] = len(truth)
    return result


def _people(rng: random.Random, count: int, today: date) -> list[_Record]:
    now = datetime.combine(today, time(), UTC)
    taken: set[str] = set()
    advisors = max(1, advisor_count(count))
    shared = {
        i: SWITCHBOARDS[i % len(SWITCHBOARDS)]
        for i in rng.sample(range(count), min(count, _PER_SWITCHBOARD * len(SWITCHBOARDS)))
    }
    salt = rng.randrange(100_000_000)  # one salt for all, so phones stay unique
    records = []
    for i in range(count):
        age = rng.randint(20, 80)
        person = make_person(
            rng, i, today, age=age, gender=rng.choice("MF"), salt=salt,
            wealth=rng.choices((0, 1, 2), weights=(84, 15, 1))[0],
        )  # fmt: skip
        person.id_number = unique_id_number(person.id_number, taken)
        onboarded = now - timedelta(days=rng.uniform(30, 3650))
        records.append(_Record(
            person_id=f"P{i + 1:07d}", person=person, phone=shared.get(i, person.phone),
            risk=rng.randint(1, 5), assessed=today - timedelta(days=rng.randint(0, 700)),
            professional=rng.random() < 0.03, advisor_no=f"A{rng.randint(1, advisors):06d}",
            onboarded=onboarded.replace(microsecond=0),
            updated=(onboarded + rng.random() * (now - onboarded)).replace(microsecond=0),
        ))  # fmt: skip
    return records


def _crm_view(rng: random.Random, record: _Record) -> _Record:
    """The same person as the CRM knows them: later edits, sometimes a newer phone."""
    now_ish = record.updated + timedelta(days=rng.uniform(-200, 200))
    phone = record.phone
    if phone not in SWITCHBOARDS and rng.random() < _PHONE_CHANGED:
        phone = phone[:3] + f"{rng.randrange(100_000_000):08d}"
    return _Record(
        record.person_id, record.person, phone, record.risk, record.assessed,
        record.professional, record.advisor_no, record.onboarded,
        max(record.onboarded, now_ish).replace(microsecond=0),
    )  # fmt: skip


def _row(rng: random.Random, key: str, r: _Record, noisy: bool) -> list[str]:
    p = r.person
    if not noisy:  # core banking: canonical formats, complete apart from optional e-mail
        return [
            key, p.name, p.gender, p.birth.isoformat(), "id_card", p.id_number, r.phone,
            p.email or "", p.city.province, p.city.name, p.occupation, str(p.income),
            f"C{r.risk}", r.assessed.isoformat(), _class(r), r.advisor_no, p.city.branch,
            r.onboarded.isoformat(), r.updated.isoformat(),
        ]  # fmt: skip
    missing = noise.maybe_missing
    return [
        key, noise.name(rng, p.name), noise.gender(rng, p.gender),
        missing(rng, noise.birth_date(rng, p.birth), 0.05), "id_card",
        missing(rng, noise.id_number(rng, p.id_number), 0.15),
        missing(rng, _phone(rng, r.phone), 0.05),
        missing(rng, (p.email or "").upper() if rng.random() < 0.1 else p.email or "", 0.3),
        missing(rng, noise.province(rng, p.city.province), 0.1), missing(rng, p.city.name, 0.1),
        missing(rng, p.occupation, 0.2), missing(rng, noise.income(rng, p.income), 0.3),
        noise.risk_level(rng, r.risk), missing(rng, r.assessed.isoformat(), 0.2),
        missing(rng, _class(r), 0.3), missing(rng, r.advisor_no, 0.2), p.city.branch,
        r.onboarded.isoformat(), r.updated.isoformat(),
    ]  # fmt: skip


def _phone(rng: random.Random, value: str) -> str:
    if value in SWITCHBOARDS[1:]:  # landlines: area code written with a dash
        return f"{value[:3]}-{value[3:]}" if rng.random() < 0.5 else value
    written = noise.phone(rng, value)
    if value in SWITCHBOARDS or rng.random() >= 0.01:
        return written
    return noise.wrong_digit(rng, written)


def _class(r: _Record) -> str:
    return "professional" if r.professional else "ordinary"
