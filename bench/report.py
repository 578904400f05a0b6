"""Write one benchmark's section into docs/BENCHMARKS.md, leaving the others untouched."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nEach section is written by its benchmark script; rerun the command it names to reproduce it.\n"


def machine_line() -> str:
    """What the numbers were measured on: cores, CPU model, Python, commit."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=BENCHMARKS.parent.parent, check=False).stdout.strip()
    except OSError:
        commit = ""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{when}; {os.cpu_count()} cores ({cpu}); Python {platform.python_version()}; commit {commit or '?'}"


def write_section(name: str, command: str, body: str) -> Path:
    """Replace (or append) the section `name`, stamped with the command and the machine."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    section = (f"{start}\n## {name}\n\nReproduce: `{command}`  \nMeasured: {machine_line()}\n\n"
               f"{body.strip()}\n{end}")
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(text, encoding="utf-8")
    return BENCHMARKS


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
