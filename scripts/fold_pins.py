"""Move plain `name==version` lines of a hashed lock (added by hand, without hashes) into
the input file, replacing an older pin of the same name. Usage: fold_pins.py LOCK INPUT"""

import re
import sys
from pathlib import Path

# A requirement line of the lock that does not continue with hashes (no trailing backslash).
PLAIN_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s\\;#]+)\s*(#.*)?$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def plain_pins(lock_text: str) -> dict[str, str]:
    pins = {}
    for line in lock_text.splitlines():
        match = PLAIN_PIN.match(line)
        if match:
            pins[canonical(match[1])] = f"{match[1]}{match[2] or ''}=={match[3]}"
    return pins


def fold(lock_text: str, input_text: str) -> tuple[str, list[str]]:
    """The input with the lock's plain pins folded in, and the pins that were added."""
    pins = plain_pins(lock_text)
    lines = []
    for line in input_text.splitlines():
        name = re.split(r"[\s\[=<>!~;#]", line.strip(), maxsplit=1)[0]
        if name and not line.lstrip().startswith("#") and canonical(name) in pins:
            continue  # replaced by the hand-added pin
        lines.append(line)
    lines.extend(pins.values())
    return "\n".join(lines) + "\n", list(pins.values())


def main(lock: Path, input_file: Path) -> None:
    text, added = fold(lock.read_text(), input_file.read_text())
    if added:
        input_file.write_text(text)
        print(f"[lock] moved into {input_file}: {', '.join(added)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
