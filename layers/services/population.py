"""Loading population estimates keyed by P-code (`pcode,population[,female,male]` CSV)."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from layers.models import AdminArea
from layers.selectors.generations import current_generation_or_first

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


class PopulationImportError(Exception):
    """The CSV cannot be loaded; nothing was written."""


@dataclass
class PopulationReport:
    updated: int = 0
    unknown_pcodes: list[str] = field(default_factory=list)


def load_population(*, path: Path, source: str, year: int | None) -> PopulationReport:
    rows = _read(path)
    report = PopulationReport()
    with transaction.atomic():
        generation = current_generation_or_first()
        known = dict(AdminArea.objects.filter(generation=generation).values_list("pcode", "id"))
        for pcode, population in rows.items():
            if pcode not in known:
                report.unknown_pcodes.append(pcode)
                continue
            AdminArea.objects.filter(id=known[pcode]).update(
                population=population, population_source=source, population_year=year
            )
            report.updated += 1
        if not report.updated:
            raise PopulationImportError(
                f"{path}: none of its {len(rows)} P-codes matches a loaded area "
                "(load the boundaries first)"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                (SQL_DIR / "derived_population.sql").read_text(), {"generation": generation.pk}
            )
    return report


def _read(path: Path) -> dict[str, int]:
    if not path.exists():
        raise PopulationImportError(f"{path}: no such file")
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"pcode", "population"} - set(reader.fieldnames or [])
            if missing:
                raise PopulationImportError(
                    f"{path}: missing column(s) {sorted(missing)}; it has {reader.fieldnames}"
                )
            return {row["pcode"].strip(): _count(row, line) for line, row in enumerate(reader, 2)}
    except UnicodeDecodeError as exc:
        raise PopulationImportError(f"{path}: not UTF-8 text ({exc})") from exc


def _count(row: dict, line: int) -> int:
    raw = (row.get("population") or "").strip()
    try:
        value = int(float(raw))
    except ValueError:
        raise PopulationImportError(f"line {line}: population {raw!r} is not a number") from None
    if value < 0:
        raise PopulationImportError(f"line {line}: population {value} is negative")
    return value
