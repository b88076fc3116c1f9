"""COD-PS population tables (HDX data set `cod-ps-hti`, found through HDX's CKAN API) made
into the CSV Komin loads: pcode,level,name_fr,population,female,male, one row per P-code.
HDX replaces these tables in place, so the result is checked, not hashed: the columns,
every P-code known to the COD-AB boundaries, most areas present, counts and totals in range."""

import csv
from pathlib import Path

from layers.data_fetch import _hdx_resource_url
from layers.publisher_recipes.common import (
    Made,
    SourceError,
    boundary_pcodes,
    download,
    in_range,
)

LEVELS = {1: "departement", 2: "commune", 3: "section"}
COLUMNS = ("pcode", "level", "name_fr", "population", "female", "male")


def make(want, recipe: dict, scratch: Path) -> Made:
    known = boundary_pcodes(recipe["boundaries"])
    made = Made(path=scratch / want.name)
    rows: list[tuple] = []
    for level, name in LEVELS.items():
        pattern = recipe["resource"].format(level=level)
        try:
            url = _hdx_resource_url(recipe["hdx"], pattern)
        except (ValueError, KeyError) as exc:
            raise SourceError(str(exc)) from exc
        table = scratch / f"cod-ps-adm{level}.csv"
        made.sources.append(download(url, table))
        level_rows = read_table(table, level, Path(url).name)
        made.checks += check_level(level_rows, level, known[name], recipe)
        rows += level_rows
    with open(made.path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(sorted(rows, key=lambda row: (row[1], row[0])))
    return made


def read_table(path: Path, level: int, label: str) -> list[tuple]:
    wanted = [f"ADM{level}_PCODE", f"ADM{level}_FR", "T_TL", "F_TL", "M_TL"]
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in wanted if column not in (reader.fieldnames or [])]
            if missing:
                raise SourceError(
                    f"{label}: no column {', '.join(missing)} (a COD-PS table has "
                    f"{', '.join(wanted)})"
                )
            rows = []
            for line, record in enumerate(reader, start=2):
                pcode = (record[wanted[0]] or "").strip()
                if pcode.startswith("#"):  # HXL hashtags under the header
                    continue
                numbers = [number(record[column], label, line, column) for column in wanted[2:]]
                # Names as published (some hold line breaks): the mirror file keeps them too.
                rows.append((pcode, level, record[wanted[1]] or "", *numbers))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{label}: not UTF-8 text ({exc.reason})") from exc
    return rows


def number(value: str | None, label: str, line: int, column: str) -> int:
    try:
        return round(float((value or "").replace(",", "")))
    except ValueError:
        raise SourceError(f"{label} line {line}: {column} {value!r} is not a number") from None


def check_level(rows: list[tuple], level: int, known: set[str], recipe: dict) -> list[str]:
    label = f"COD-PS adm{level}"
    codes = [row[0] for row in rows]
    unknown = sorted(set(codes) - known)
    if unknown:
        raise SourceError(
            f"{label}: P-code(s) unknown to the boundaries {recipe['boundaries']}: "
            + ", ".join(unknown[:5])
        )
    doubled = sorted({code for code in codes if codes.count(code) > 1})
    if doubled:
        raise SourceError(f"{label}: P-code(s) listed twice: {', '.join(doubled[:5])}")
    share = recipe["min_share_of_areas"]
    if len(codes) < share * len(known):
        raise SourceError(
            f"{label}: {len(codes)} of the {len(known)} areas, fewer than {share:.0%}"
        )
    for pcode, _, _, total, female, male in rows:
        if total <= 0 or female < 0 or male < 0:
            raise SourceError(f"{label}: {pcode} has a population of {total}, {female}, {male}")
        if abs(female + male - total) > 0.02 * total:
            raise SourceError(f"{label}: {pcode}: female {female} + male {male} ≠ total {total}")
    total = in_range(f"{label} total", sum(row[3] for row in rows), recipe["national_total"])
    return [f"{label}: {len(codes)} of {len(known)} P-codes, all known", total]
