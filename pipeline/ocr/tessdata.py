"""Where Tesseract finds its language data: the system's tessdata folder, plus the models sohoa ships.

`models/tesseract/` holds traineddata files Debian does not package (see its model card: `vie_best_int`
is tessdata_best's Vietnamese network, converted to integer weights). Tesseract reads every language
of one run from a single folder (`--tessdata-dir`), so when a language asked for is one of ours the
engine points Tesseract at a folder that links the system's files and ours side by side. The folder is
made once per machine and model set (its name carries a hash of both), built aside and renamed into
place, so parallel workers never see half of it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "tesseract"
SHIPPED_LANGS = frozenset(path.stem for path in SHIPPED.glob("*.traineddata"))


def shipped_model(lang: str, folder: Path = SHIPPED) -> Path | None:
    """Our traineddata file for one language name ("vie_best_int"), or None when sohoa ships none."""
    path = folder / f"{lang}.traineddata"
    return path if path.is_file() else None


@lru_cache(maxsize=8)
def system_folder(cmd: str = "tesseract") -> Path | None:
    """The tessdata folder the `cmd` program reads by default, as it reports it (`--list-langs`)."""
    env = dict(os.environ)
    env.pop("TESSDATA_PREFIX", None)  # the folder Tesseract was built to read, not an override
    try:
        out = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30, env=env,
                             check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'"([^"]+)"', out.stdout + out.stderr)
    return Path(found.group(1)) if found else None


def tessdata_dir(lang: str, cmd: str = "tesseract", folder: Path = SHIPPED) -> str | None:
    """The folder to pass as `--tessdata-dir` for `lang` ("vie+vie_best_int"), or None when every
    language is the system's own (Tesseract then reads its default folder, or TESSDATA_PREFIX)."""
    made = _made_dir(lang, cmd, folder)
    if made is not None and not os.path.isdir(made):  # removed since, by a $TMPDIR cleaner: made again
        _made_dir.cache_clear()
        made = _made_dir(lang, cmd, folder)
    return made


@lru_cache(maxsize=8)
def _made_dir(lang: str, cmd: str, folder: Path) -> str | None:
    ours = [path for part in lang.split("+") if (path := shipped_model(part, folder)) is not None]
    if not ours:
        return None
    if os.environ.get("TESSDATA_PREFIX"):
        system = Path(os.environ["TESSDATA_PREFIX"])
    else:
        system = system_folder(cmd)
    if system is None or not system.is_dir():
        return None  # no Tesseract to read with (its own error says so), so nothing to put beside it
    digest = hashlib.sha256(str(system).encode())
    for path in ours:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    target = Path(tempfile.gettempdir()) / f"sohoa-tessdata-{os.getuid()}-{digest.hexdigest()[:16]}"
    if target.is_dir():
        return str(target)
    building = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    names = {path.name for path in ours}
    for entry in system.iterdir():
        if entry.name not in names:
            (building / entry.name).symlink_to(entry)
    for path in ours:
        shutil.copyfile(path, building / path.name)  # a copy: the checkout may move, the folder stays valid
    try:
        building.rename(target)
    except OSError:  # another worker put it in place first
        shutil.rmtree(building, ignore_errors=True)
    return str(target)
