"""OCR benchmark: raw Tesseract vs OCRmyPDF vs this pipeline on generated and real pages.

Same machine, same run, each system with 2 parallel workers: (a) `tesseract -l vie` on the
input image (2 processes), (b) `ocrmypdf -l vie --rotate-pages --deskew --clean --jobs 2` on a
PDF of the input images (one PDF per set, text extracted with pdftotext), (c) `ocr_pages`
(preprocessing + Tesseract, settings.workers=2). CER/WER/word F1 from pipeline.ocr.metrics,
pages per minute from the wall time of each set, and the peak memory of each system's process
tree (sum of PSS, i.e. shared pages counted once, sampled every 0.1 s from /proc).

    python -m bench.ocr                # full run (>= 80 generated pages + 9 real), writes docs/BENCHMARKS.md
    python -m bench.ocr --quick        # smoke run (10 generated pages + 9 real), prints only
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real-gov-scans"
PY = sys.executable
WORKERS = 2
SYSTEMS = ("raw", "ocrmypdf", "pipeline")
LEVEL_ORDER = ["clean", "office_scan", "photocopy", "phone_photo", "hard"]
COMMAND = "make bench-ocr  (= .venv/bin/python -m bench.ocr)"


# --- memory of a process tree ----------------------------------------------------------------
def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read().decode("latin-1")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children[ppid].append(int(entry.name))
    return children


def _tree_with_parents(root: int, children: dict[int, list[int]]) -> list[tuple[int, int]]:
    """(pid, parent pid) of every process under `root`, `root` first (its parent given as 0)."""
    out, stack = [], [(root, 0)]
    while stack:
        pid, parent = stack.pop()
        out.append((pid, parent))
        stack.extend((child, pid) for child in children.get(pid, []))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB of one process; (0, 0) when it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _role(pid: int, parent_role: str) -> str:
    """What a process of the measured tree is: main, fork server, worker, tesseract, pdftoppm, ..."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read().decode("latin-1")
        with open(f"/proc/{pid}/comm") as handle:
            name = handle.read().strip()
    except OSError:
        return "gone"
    if name.startswith("python") and parent_role == "fork server":
        return "worker"  # forked by the fork server: its command line is the server's
    if "multiprocessing.forkserver" in command:
        return "fork server"
    if "resource_tracker" in command:
        return "resource tracker"
    if name.startswith("python") and parent_role == "":
        return "main"
    return name


_KCMP = {"x86_64": 312, "aarch64": 272}.get(os.uname().machine)  # the kcmp(2) system call
_KCMP_VM = 1


def _shares_memory(pid: int, parent: int) -> bool:
    """True when `pid` runs in its parent's address space: a child between vfork() and exec()
    (subprocess starting pdftoppm or tesseract). /proc shows it with the parent's whole RSS and
    PSS, so a sum over the tree would count the parent twice for that instant."""
    if _KCMP is None or not parent:
        return False
    return _libc().syscall(_KCMP, pid, parent, _KCMP_VM, 0, 0) == 0


@functools.lru_cache(maxsize=1)
def _libc():  # noqa: ANN202 - a ctypes library handle
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


class TreeMemory:
    """Samples the summed RSS/PSS of the process trees under the given roots (or our children).

    `peak_parts` breaks the sample with the highest RSS sum down by role (main process, fork
    server, workers, tesseract, ...): role -> [processes, RSS kB, PSS kB].
    """

    def __init__(self, include_self: bool = False, interval: float = 0.1) -> None:
        self.include_self, self.interval = include_self, interval
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.peak_parts: dict[str, list[int]] = {}
        self.shared_skipped = 0  # processes seen between vfork() and exec(), not counted twice
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            rss = pss = 0
            parts: dict[str, list[int]] = {}
            roles: dict[int, str] = {me: ""}
            for pid, parent in _tree_with_parents(me, _children_map()):
                if pid == me and not self.include_self:
                    continue
                if pid != me and _shares_memory(pid, parent):
                    self.shared_skipped += 1
                    roles[pid] = roles.get(parent, "?")
                    continue
                roles[pid] = role = "self" if pid == me else _role(pid, roles.get(parent, "?"))
                r, p = _memory_kb(pid)
                rss, pss = rss + r, pss + p
                part = parts.setdefault(role, [0, 0, 0])
                part[0], part[1], part[2] = part[0] + 1, part[1] + r, part[2] + p
            if rss > self.peak_rss_kb:
                self.peak_parts = parts
            self.peak_rss_kb, self.peak_pss_kb = max(self.peak_rss_kb, rss), max(self.peak_pss_kb, pss)
            self._stop.wait(self.interval)

    def breakdown(self) -> str:
        """The peak RSS sample by role, e.g. "main 1: RSS 150 / PSS 120 MB; worker 2: ..."."""
        return "; ".join(f"{role} {n}: RSS {r / 1024:.0f} / PSS {p / 1024:.0f} MB"
                         for role, (n, r, p) in sorted(self.peak_parts.items(), key=lambda kv: -kv[1][1]))

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- inputs ------------------------------------------------------------------------------------
@dataclass
class Item:
    path: str  # PNG of the input page
    truth: str
    set: str  # level name or "real"
    name: str
    dpi: float
    pdf: str = ""  # single-page PDF (real pages: docs/*.pdf)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    env.setdefault("PYTHONPATH", str(ROOT))
    return env


def generated_items(workdir: Path, pages: int, seed: int, reuse: bool) -> list[Item]:
    """`pages` generated pages spread evenly over the five levels, written as PNG + truth."""
    from pipeline.synth.degrade import LEVELS

    manifest = workdir / f"generated-{seed}-{pages}.json"
    if reuse and manifest.exists():
        return [Item(**row) for row in json.loads(manifest.read_text(encoding="utf-8"))]
    from PIL import Image

    from pipeline.synth.dossier import generate_pages

    per_level = -(-pages // len(LEVELS))
    folder = workdir / "generated"
    folder.mkdir(parents=True, exist_ok=True)
    items: list[Item] = []
    for number, level in enumerate(LEVELS):
        made = 0
        for page in generate_pages(per_level * 2, seed + number, levels=[level]):
            if made == per_level:
                break
            if not page.text.strip():  # blank pages and separator sheets have no text to score
                continue
            name = f"{level}-{made:03d}"
            path = folder / f"{name}.png"
            Image.fromarray(page.image).save(path, dpi=(page.dpi, page.dpi), compress_level=1)
            items.append(Item(path=str(path), truth=page.text, set=level, name=name, dpi=float(page.dpi)))
            made += 1
    manifest.write_text(json.dumps([i.__dict__ for i in items], ensure_ascii=False), encoding="utf-8")
    return items


def real_items() -> list[Item]:
    items = []
    for png in sorted((REAL / "pages").glob("*.png")):
        name = png.stem.removesuffix("_p1")
        items.append(Item(path=str(png), truth=(REAL / "gt" / f"{name}.txt").read_text(encoding="utf-8"),
                          set="real", name=name, dpi=200.0, pdf=str(REAL / "docs" / f"{name}.pdf")))
    return items


def set_pdf(items: list[Item], out: Path) -> Path:
    """One multi-page image PDF of a set: the real set's own PDFs, generated pages losslessly (img2pdf)."""
    if items[0].pdf:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for item in items:
            writer.append(item.pdf)
        with open(out, "wb") as handle:
            writer.write(handle)
    else:
        import img2pdf

        out.write_bytes(img2pdf.convert([i.path for i in items]))
    return out


# --- the three systems ---------------------------------------------------------------------------
@dataclass
class Run:
    texts: list[str]
    seconds: float
    peak_rss_mb: float
    peak_pss_mb: float
    extra: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


def run_raw(items: list[Item], workdir: Path) -> Run:
    def one(item: Item) -> str:
        done = subprocess.run(["tesseract", item.path, "stdout", "-l", "vie"], capture_output=True,
                              env=_env(), check=False)
        return done.stdout.decode("utf-8", "replace")

    started = time.perf_counter()
    with TreeMemory() as memory, ThreadPoolExecutor(WORKERS) as pool:
        texts = list(pool.map(one, items))
    return Run(texts, time.perf_counter() - started, memory.peak_rss_kb / 1024, memory.peak_pss_kb / 1024)


def run_ocrmypdf(items: list[Item], workdir: Path) -> Run:
    source = set_pdf(items, workdir / f"in-{items[0].set}.pdf")
    out = workdir / f"ocrmypdf-{items[0].set}.pdf"
    # --output-type pdf: skip the PDF/A conversion, which only costs OCRmyPDF time and is not OCR.
    cmd = [str(Path(PY).parent / "ocrmypdf"), "-l", "vie", "--rotate-pages", "--deskew", "--clean",
           "--jobs", str(WORKERS), "--output-type", "pdf", "--quiet", str(source), str(out)]
    started = time.perf_counter()
    with TreeMemory() as memory:
        done = subprocess.run(cmd, capture_output=True, env=_env(), check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(done.returncode)]
        return Run([""] * len(items), seconds, memory.peak_rss_kb / 1024, memory.peak_pss_kb / 1024,
                   error=error[0])
    texts = []
    for number in range(1, len(items) + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(out), "-"],
                              capture_output=True, check=False).stdout.decode("utf-8", "replace")
        texts.append(text)
    return Run(texts, seconds, memory.peak_rss_kb / 1024, memory.peak_pss_kb / 1024)


def run_pipeline(items: list[Item], workdir: Path, env_extra: dict[str, str] | None = None) -> Run:
    """ocr_pages in a child process (so its memory is measured alone) with 2 workers."""
    listing = workdir / f"pipeline-{items[0].set}.json"
    result = workdir / f"pipeline-{items[0].set}.out.json"
    listing.write_text(json.dumps([i.path for i in items]), encoding="utf-8")
    env = _env() | {"SOHOA_OCR_WORKERS": str(WORKERS)} | (env_extra or {})
    started = time.perf_counter()
    with TreeMemory() as memory:
        done = subprocess.run([PY, "-m", "bench.ocr", "--child", str(listing), str(result)], cwd=ROOT,
                              capture_output=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        return Run([""] * len(items), seconds, memory.peak_rss_kb / 1024, memory.peak_pss_kb / 1024,
                   error=" | ".join(tail))
    pages = json.loads(result.read_text(encoding="utf-8"))
    return Run([p["text"] for p in pages], seconds, memory.peak_rss_kb / 1024, memory.peak_pss_kb / 1024,
               extra=pages)


def child(listing: Path, result: Path) -> None:
    """Run ocr_pages over the listed single-page files; write per-page text, times and flags."""
    from pipeline.config import Settings
    from pipeline.intake import iter_pages
    from pipeline.ocr.run import ocr_pages

    settings = Settings()
    files = [Path(p) for p in json.loads(listing.read_text(encoding="utf-8"))]
    pages = itertools.chain.from_iterable(iter_pages(f, settings) for f in files)
    out = []
    for prepared, ocr in ocr_pages(pages, settings, keep_pixels=False, keep_source=False):
        out.append({"text": ocr.text, "ms": ocr.ms, "prep_ms": prepared.ms, "flags": ocr.flags,
                    "cpu_ms": ocr.cpu_ms, "prep_cpu_ms": prepared.cpu_ms,
                    "rotation": ocr.rotation, "skew": ocr.skew, "confidence": ocr.mean_confidence,
                    "steps": prepared.steps})
    if len(out) != len(files):
        raise SystemExit(f"expected {len(files)} pages, got {len(out)}")
    result.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


# --- measures and tables ------------------------------------------------------------------------
def scores(items: list[Item], run: Run) -> list[dict[str, float]]:
    from pipeline.ocr.metrics import cer, wer, word_f1

    return [{"cer": cer(i.truth, t), "wer": wer(i.truth, t), "f1": word_f1(i.truth, t)}
            for i, t in zip(items, run.texts)]


def pct(value: float) -> str:
    return f"{100 * value:.2f}"


def big_pdf_memory(items: list[Item], workdir: Path, pages: int, budget_s: float) -> dict[str, Any]:
    """`ocr_file`'s path (intake -> ocr_pages, keep_pixels=False) on a `pages`-page 300-dpi PDF made
    of the generated pages resampled to 300 dpi; peak memory of the process tree. Stopped after
    `budget_s` seconds if not finished (the peak is reached within the first pages: in-flight pages
    are bounded)."""
    import img2pdf
    from PIL import Image

    folder = workdir / "big"
    folder.mkdir(exist_ok=True)
    sources = [i for i in items if i.set != "real"] or items
    paths = []
    for number, item in enumerate(itertools.islice(itertools.cycle(sources), pages)):
        path = folder / f"{number % len(sources):03d}.png"
        if not path.exists():
            image = Image.open(item.path).convert("RGB")
            factor = 300.0 / item.dpi
            if abs(factor - 1) > 0.01:
                image = image.resize((round(image.width * factor), round(image.height * factor)))
            image.save(path, dpi=(300, 300), compress_level=1)
        paths.append(str(path))
    pdf = workdir / f"big-{pages}.pdf"
    if not pdf.exists():
        pdf.write_bytes(img2pdf.convert(paths))
    return measure_long_file(pdf, pages, workdir, budget_s)


def a4_scanner_pdf_memory(workdir: Path, pages: int, budget_s: float, seed: int = 21) -> dict[str, Any]:
    """The issue's shape: a counter scanner's PDF of A4 pages at 300 dpi (10 distinct clean generated
    pages of mixed types, repeated), through `ocr_file`'s path; peak memory of the process tree."""
    import img2pdf
    from PIL import Image

    from pipeline.synth.dossier import generate_pages

    folder = workdir / "a4"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, page in enumerate(generate_pages(10, seed=seed, levels=["clean"])):
        path = folder / f"{number:02d}.png"
        Image.fromarray(page.clean).save(path, dpi=(300, 300), compress_level=1)
        paths.append(str(path))
    pdf = workdir / f"a4-{pages}.pdf"
    pdf.write_bytes(img2pdf.convert(list(itertools.islice(itertools.cycle(paths), pages))))
    return measure_long_file(pdf, pages, workdir, budget_s)


def measure_long_file(pdf: Path, pages: int, workdir: Path, budget_s: float) -> dict[str, Any]:
    progress = workdir / "big.progress"
    progress.write_text("0")
    env = _env() | {"SOHOA_OCR_WORKERS": str(WORKERS)}
    started = time.perf_counter()
    finished = True
    with TreeMemory() as memory:
        proc = subprocess.Popen([PY, "-m", "bench.ocr", "--child-big", str(pdf), str(progress)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=budget_s)
        except subprocess.TimeoutExpired:
            finished = False
            os.killpg(proc.pid, signal.SIGTERM)  # the child, its fork server and workers, their Tesseracts
            _, err = proc.communicate()
    seconds = time.perf_counter() - started
    read = int(progress.read_text() or 0)
    return {"pages": pages, "read": read, "exit": proc.returncode if finished else "stopped",
            "seconds": seconds, "peak_rss_mb": memory.peak_rss_kb / 1024, "peak_pss_mb": memory.peak_pss_kb / 1024,
            "peak_parts": memory.breakdown(), "pdf_mb": pdf.stat().st_size / 1e6, "finished": finished,
            "stderr": err.decode("utf-8", "replace").strip().splitlines()[-1:]}


def child_big(pdf: Path, progress: Path) -> None:
    """What `sohoa ocr FILE` does (ocr_file), counting pages as they come out."""
    from pipeline.config import Settings
    from pipeline.intake import iter_pages_safe
    from pipeline.ocr.run import ocr_pages

    settings = Settings()
    count = 0
    for _ in ocr_pages(iter_pages_safe(pdf, settings), settings, keep_pixels=False, keep_source=False):
        count += 1
        progress.write_text(str(count))


def searchable_compare(items: list[Item], workdir: Path) -> list[list[object]]:
    """Searchable PDF of the same pages, one process each: ours (colour original + text layer from the
    cleaned page) vs OCRmyPDF (OCR of the image it stores). Text read back with pdftotext."""
    from pipeline.config import Settings
    from pipeline.intake import iter_pages
    from pipeline.ocr.metrics import cer
    from pipeline.ocr.searchable_pdf import make_searchable_pdf, pages_from_prepared
    from pipeline.preprocess.pipeline import prepare

    def read_back(pdf: Path) -> list[str]:
        return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(pdf), "-"],
                               capture_output=True, check=False).stdout.decode("utf-8", "replace")
                for n in range(1, len(items) + 1)]

    settings = Settings()
    ours = workdir / "searchable-ours.pdf"
    started = time.perf_counter()
    prepared = [prepare(page) for item in items for page in iter_pages(Path(item.path), settings)]
    ours.write_bytes(make_searchable_pdf(pages_from_prepared(prepared), settings.ocr_lang))
    ours_s = time.perf_counter() - started
    source = set_pdf(items, workdir / "searchable-in.pdf")
    theirs = workdir / "searchable-ocrmypdf.pdf"
    started = time.perf_counter()
    subprocess.run([str(Path(PY).parent / "ocrmypdf"), "-l", "vie", "--jobs", "1", "--output-type", "pdf", "--quiet",
                    str(source), str(theirs)], capture_output=True, env=_env(), check=False)
    theirs_s = time.perf_counter() - started
    rows = []
    for label, pdf, seconds in (("sohoa make_searchable_pdf", ours, ours_s), ("OCRmyPDF 17 (library defaults)", theirs, theirs_s)):
        texts = read_back(pdf) if pdf.exists() else [""] * len(items)
        rows.append([label, len(items), f"{seconds / len(items):.1f}",
                     pct(_mean([cer(i.truth, t) for i, t in zip(items, texts)])),
                     f"{pdf.stat().st_size / 1e6 / len(items):.2f}" if pdf.exists() else "-"])
    return rows


VARIANTS = [("vie", 3, True), ("vie", 3, False), ("vie", 4, False), ("vie", 6, False), ("vie+Vietnamese", 3, False),
            ("vie_best_int", 3, True), ("vie+vie_best_int", 3, True)]


def choose(items: list[Item], workdir: Path, reuse: bool = False) -> list[list[object]]:
    """Language x page segmentation mode x (pass the DPI | let Tesseract estimate it), on pages
    prepared once by the pipeline (a child process, 2 threads each driving one Tesseract)."""
    listing, result = workdir / "choose.json", workdir / "choose.out.json"
    wanted = json.dumps([i.path for i in items])
    fresh = not (reuse and result.exists() and listing.exists() and listing.read_text(encoding="utf-8") == wanted)
    listing.write_text(wanted, encoding="utf-8")
    if fresh:
        done = subprocess.run([PY, "-m", "bench.ocr", "--child-choose", str(listing), str(result)], cwd=ROOT,
                              capture_output=True, env=_env(), check=False)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode("utf-8", "replace")[-2000:])
    from pipeline.ocr.metrics import cer

    out = json.loads(result.read_text(encoding="utf-8"))  # [page][variant] -> {"text", "s"}
    rows = []
    for v, (lang, psm, pass_dpi) in enumerate(VARIANTS):
        gen = [cer(i.truth, page[v]["text"]) for i, page in zip(items, out) if i.set != "real"]
        real = [cer(i.truth, page[v]["text"]) for i, page in zip(items, out) if i.set == "real"]
        seconds = sum(page[v]["s"] for page in out)
        rows.append([lang, psm, "page DPI" if pass_dpi else "estimated", len(gen), pct(_mean(gen)),
                     len(real), pct(_mean(real)), f"{seconds / len(out):.2f}"])
    return rows


def child_choose(listing: Path, result: Path) -> None:
    from pipeline.config import Settings
    from pipeline.intake import iter_pages
    from pipeline.ocr.leaders import erase_leaders
    from pipeline.ocr.tesseract import TesseractEngine
    from pipeline.preprocess.pipeline import prepare

    settings = Settings()
    files = [Path(p) for p in json.loads(listing.read_text(encoding="utf-8"))]

    def one(path: Path) -> list[dict[str, Any]]:
        page = next(iter(iter_pages(path, settings)))
        prepared = prepare(page)
        pixels = erase_leaders(prepared.pixels, prepared.dpi)
        row = []
        for lang, psm, pass_dpi in VARIANTS:
            started = time.perf_counter()
            text = TesseractEngine(lang=lang, psm=psm, pass_dpi=pass_dpi).recognize(
                pixels, dpi=prepared.dpi, page_index=1).text
            row.append({"text": text, "s": time.perf_counter() - started})
        return row

    with ThreadPoolExecutor(WORKERS) as pool:
        out = list(pool.map(one, files))
    result.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


def _groups(items: list[Item]) -> list[list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.set, []).append(item)
    return list(groups.values())


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=80, help="generated pages, spread over the five levels")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 pages, no big PDF, no write")
    parser.add_argument("--big-pages", type=int, default=100, help="pages of the memory test PDF (0 = skip)")
    parser.add_argument("--no-choose", dest="choose", action="store_false",
                        help="skip the language x page-segmentation-mode measurement")
    parser.add_argument("--only-choose", action="store_true", help="only the lang/psm measurement")
    parser.add_argument("--choose-per-level", type=int, default=2, help="generated pages per level for --choose")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sohoa-bench-ocr")
    parser.add_argument("--reuse", action="store_true", help="reuse generated pages from --workdir")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/BENCHMARKS.md alone")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-choose", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-big", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--big-budget", type=float, default=300.0, help="seconds before the long-file test stops")
    parser.add_argument("--only-memory", action="store_true",
                        help="only the long-file memory test on a 100-page A4 300-dpi scanner PDF (section ocr-memory)")
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.child_choose:
        child_choose(*args.child_choose)
        return 0
    if args.child_big:
        child_big(*args.child_big)
        return 0
    if args.quick:
        args.pages, args.big_pages, args.no_write, args.choose = 10, 0, True, False
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if args.only_memory:
        return memory_only(args)

    t0 = time.perf_counter()
    generated = generated_items(args.workdir, args.pages, args.seed, args.reuse)
    items = generated + real_items()
    print(f"inputs: {len(generated)} generated pages, {len(items) - len(generated)} real pages "
          f"({time.perf_counter() - t0:.0f} s to generate)", flush=True)

    sections: list[str] = []
    if args.choose or args.only_choose:
        subset = [i for g in _groups(generated) for i in g[:args.choose_per_level]] + real_items()
        rows = choose(subset, args.workdir, args.reuse)
        table = _table(["lang", "psm", "resolution", "generated pages", "CER % generated", "real pages",
                        "CER % real", "s/page (1 Tesseract)"], rows)
        print(table, flush=True)
        sections.append(f"### Tesseract settings, measured on pages prepared by the pipeline (subset: "
                        f"{args.choose_per_level} per level + the 9 real pages)\n\n" + table)
        if args.only_choose:
            _finish(args, sections)
            return 0

    per_set: dict[str, dict[str, Any]] = {}
    page_scores: dict[str, list[dict[str, float]]] = {s: [] for s in SYSTEMS}
    page_items: list[Item] = []
    pipeline_pages: list[dict[str, Any]] = []
    order = ["real", "hard", "phone_photo", "clean", "office_scan", "photocopy"]  # most telling first
    groups = sorted(_groups(items), key=lambda g: order.index(g[0].set) if g[0].set in order else 99)
    big = None
    for group in groups:
        name = group[0].set
        per_set[name] = {}
        for system, runner in (("raw", run_raw), ("ocrmypdf", run_ocrmypdf), ("pipeline", run_pipeline)):
            run = runner(group, args.workdir)
            sc = scores(group, run)
            page_scores[system] += sc
            per_set[name][system] = {"run": run, "scores": sc}
            print(f"{name:12s} {system:9s} {len(group):3d} pages  CER {pct(_mean([s['cer'] for s in sc])):>6s} %  "
                  f"{60 * len(group) / run.seconds:5.1f} pages/min  PSS {run.peak_pss_mb:6.0f} MB"
                  + (f"  ERROR {run.error}" if run.error else ""), flush=True)
            if system == "pipeline":
                pipeline_pages += run.extra or [{}] * len(group)
        page_items += group
        if name == "phone_photo" and args.big_pages:
            big = big_pdf_memory(generated, args.workdir, args.big_pages, args.big_budget)
            print(f"long file: {big}", flush=True)
        if not args.no_write:  # keep what is measured so far, in case the run is cut short
            partial = _report(per_set, page_items, page_scores, pipeline_pages, big)
            _finish(args, sections + ["**Partial run: sets measured so far.**"] + partial, quiet=True)

    if big is None and args.big_pages and generated:
        big = big_pdf_memory(generated, args.workdir, args.big_pages, args.big_budget)
    sections += _report(per_set, page_items, page_scores, pipeline_pages, big)
    if not args.quick:
        rows = searchable_compare(real_items(), args.workdir)
        sections.append("### Searchable PDF of the 9 real pages (one process)\n\n" + _table(
            ["producer", "pages", "s/page", "CER % of the text layer (pdftotext)", "MB/page"], rows))
        print(sections[-1], flush=True)
    _finish(args, sections)
    return 0


def memory_only(args: argparse.Namespace) -> int:
    """Peak memory of `ocr_file`'s path on a counter scanner's 100-page A4 300-dpi PDF (issue 3's target)."""
    from bench.report import write_section

    result = a4_scanner_pdf_memory(args.workdir, args.big_pages, max(args.big_budget, 900.0))
    table = _table(["file", "pages read", "exit", "seconds", "pages/min", "peak PSS MB (tree)", "peak RSS sum MB"],
                   [[f"{result['pages']}-page A4 300-dpi scanner PDF ({result['pdf_mb']:.0f} MB), 2 workers",
                     result["read"], result["exit"], round(result["seconds"]), round(60 * result["read"] /
                     max(result["seconds"], 1e-9), 1), round(result["peak_pss_mb"]), round(result["peak_rss_mb"])]])
    body = (table + f"\n\nAt the peak RSS sum, by process: {result['peak_parts']}.\n\n"
            "The file is 10 distinct clean generated A4 pages rendered at 300 dpi, repeated. PSS counts "
            "pages shared between the parent, the fork server and the workers once; the RSS sum counts them again "
            "per process (but not a child caught between vfork and exec, which /proc shows with its parent's "
            "memory). The `ocr` section's long-file row is a different file: phone photos resampled to 300 dpi "
            "(pages of up to ~48 megapixels), kept as a stress case.")
    print(body, flush=True)
    if not args.no_write:
        write_section("ocr-memory", "make bench-ocr-memory  (= .venv/bin/python -m bench.ocr --only-memory)", body)
    return 0


def _table(headers: list[str], rows: list[list[object]]) -> str:
    from bench.report import markdown_table

    return markdown_table(headers, rows)


def _report(per_set: dict[str, dict[str, Any]], items: list[Item], page_scores: dict[str, list[dict[str, float]]],
            pipeline_pages: list[dict[str, Any]], big: dict[str, Any] | None) -> list[str]:
    out = []
    rows = []
    gen_sets = sorted((s for s in per_set if s != "real"), key=lambda s: (LEVEL_ORDER + [s]).index(s))

    def row(label: str, sets: list[str]) -> None:
        for system in SYSTEMS:
            sc = [x for s in sets for x in per_set[s][system]["scores"]]
            runs = [per_set[s][system]["run"] for s in sets]
            seconds = sum(r.seconds for r in runs)
            rows.append([label, system, len(sc), pct(_mean([x["cer"] for x in sc])),
                         pct(statistics.median([x["cer"] for x in sc])) if sc else "-",
                         pct(_mean([x["wer"] for x in sc])), f"{_mean([x['f1'] for x in sc]):.3f}",
                         f"{60 * len(sc) / seconds:.1f}", f"{max(r.peak_pss_mb for r in runs):.0f}",
                         "; ".join(r.error for r in runs if r.error)[:80] or ""])

    for name in gen_sets:
        row(name, [name])
    if gen_sets:
        row("generated (all)", gen_sets)
    if "real" in per_set:
        row("real (9 pages)", ["real"])
    out.append("### Quality and speed per level (2 workers per system)\n\n" + _table(
        ["set", "system", "pages", "mean CER %", "median CER %", "mean WER %", "word F1", "pages/min",
         "peak PSS MB", "errors"], rows))

    # real pages, one by one
    if "real" in per_set:
        real_rows, wins = [], 0
        real = [i for i in items if i.set == "real"]
        sc = {s: per_set["real"][s]["scores"] for s in SYSTEMS}
        for n, item in enumerate(real):
            c = {s: sc[s][n]["cer"] for s in SYSTEMS}
            win = c["pipeline"] < c["raw"] and c["pipeline"] < c["ocrmypdf"]
            wins += win
            real_rows.append([item.name, pct(c["raw"]), pct(c["ocrmypdf"]), pct(c["pipeline"]),
                              f"{sc['raw'][n]['f1']:.3f}", f"{sc['ocrmypdf'][n]['f1']:.3f}",
                              f"{sc['pipeline'][n]['f1']:.3f}", "yes" if win else "no"])
        out.append(f"### Real pages (gt/ reference): pipeline lower CER than both on {wins}/{len(real)}\n\n" + _table(
            ["page", "CER % raw", "CER % ocrmypdf", "CER % pipeline", "F1 raw", "F1 ocrmypdf", "F1 pipeline",
             "pipeline best"], real_rows))

    # preprocessing share and flags of the pipeline
    share_rows = []
    by_set: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item, page in zip(items, pipeline_pages):
        by_set[item.set].append(page)
    for name, pages in by_set.items():
        pages = [p for p in pages if p.get("ms")]
        prep = [p["prep_ms"] for p in pages]
        ocr = [max(1.0, p["ms"] - p["prep_ms"]) for p in pages]
        shares = [a / b for a, b in zip(prep, ocr)]
        cpu_shares = _cpu_shares(pages)
        flags = sorted({f for p in pages for f in p["flags"]})
        share_rows.append([name, len(pages), f"{_mean(prep):.0f}", f"{_mean(ocr):.0f}",
                           pct(sum(prep) / sum(ocr)) if ocr else "-",
                           pct(statistics.median(shares)) if shares else "-", pct(max(shares)) if shares else "-",
                           sum(share > 0.25 for share in shares),
                           pct(statistics.median(cpu_shares)) if cpu_shares else "-",
                           pct(max(cpu_shares)) if cpu_shares else "-", sum(share > 0.25 for share in cpu_shares),
                           sum(1 for p in pages if p["flags"]), ", ".join(flags) or "-"])
    out.append("### Pipeline: preprocessing time against OCR time per page\n\n" + _table(
        ["set", "pages", "preprocess ms (mean)", "OCR ms (mean)", "preprocess/OCR % (total)",
         "median %", "max %", "pages over 25 %", "CPU: median %", "CPU: max %", "CPU: pages over 25 %",
         "flagged pages", "flags seen"], share_rows)
        + "\n\nWall time (the target's measure) is what a page took in its worker while the other worker "
        "and the parent process (decoding and queuing the next pages) shared the two cores. CPU columns: "
        "the worker thread's CPU time for preprocessing against the CPU time of the rest of the page "
        "(Tesseract's processes and the worker's own OCR-step work), i.e. the cost without the waiting.")

    out.append("### Issue 3 targets, as measured in this run\n\n" + _table(
        ["target", "measured", "met"], _targets(per_set, items, pipeline_pages, big)))

    if big:
        out.append("### Memory on a long file\n\n" + _table(
            ["file", "pages read", "exit", "seconds", "pages/min", "peak RSS sum MB", "peak PSS MB"],
            [[f"{big['pages']}-page 300-dpi image PDF ({big['pdf_mb']:.0f} MB), ocr_file's path"
              + ("" if big["finished"] else f" (stopped after {big['seconds']:.0f} s)"),
              big["read"], big["exit"], f"{big['seconds']:.0f}", f"{60 * big['read'] / max(big['seconds'], 1):.1f}",
              f"{big['peak_rss_mb']:.0f}", f"{big['peak_pss_mb']:.0f}"]]))
    out.append(
        "Notes: CER/WER on folded text (NFC, tone placement, lower case, whitespace collapsed); word F1 is "
        "order-insensitive. pages/min = pages / wall time of the whole command per set (start-up included), "
        "2 workers for every system: raw = 2 concurrent `tesseract -l vie` processes on the input image; "
        "OCRmyPDF 17 `-l vie --rotate-pages --deskew --clean --jobs 2 --output-type pdf` on one image PDF "
        "per set (lossless img2pdf of the inputs; real pages: their docs/*.pdf), text by `pdftotext`; "
        "pipeline = `ocr_pages` (intake, preprocessing, Tesseract) with 2 worker processes. Memory is the "
        "peak of the summed PSS of the system's process tree (shared pages counted once), sampled every 0.1 s.")
    return out


def _targets(per_set: dict[str, dict[str, Any]], items: list[Item], pipeline_pages: list[dict[str, Any]],
             big: dict[str, Any] | None) -> list[list[object]]:
    def cer_of(sets: list[str], system: str) -> float:
        return _mean([x["cer"] for s in sets if s in per_set for x in per_set[s][system]["scores"]])

    def speed(system: str) -> float:
        runs = [per_set[s][system]["run"] for s in per_set]
        return 60 * sum(len(r.texts) for r in runs) / max(1e-9, sum(r.seconds for r in runs))

    gen = [s for s in per_set if s != "real"]
    rows: list[list[object]] = []
    if gen:
        overall = cer_of(gen, "pipeline")
        rows.append(["generated: mean CER <= 1.0 %", f"{pct(overall)} %", "yes" if overall <= 0.01 else "no"])
        if "hard" in per_set:
            hard = cer_of(["hard"], "pipeline")
            rows.append(["hard: mean CER <= 3 %", f"{pct(hard)} %", "yes" if hard <= 0.03 else "no"])
        for level in ("phone_photo", "hard"):
            if level in per_set:
                ours, raw = cer_of([level], "pipeline"), cer_of([level], "raw")
                ratio = raw / ours if ours else float("inf")
                rows.append([f"{level}: CER >= 5x lower than raw", f"raw {pct(raw)} % / ours {pct(ours)} % = {ratio:.1f}x",
                             "yes" if ratio >= 5 else "no"])
        for level in gen:
            ours, theirs = cer_of([level], "pipeline"), cer_of([level], "ocrmypdf")
            rows.append([f"{level}: CER lower than OCRmyPDF", f"{pct(ours)} % vs {pct(theirs)} %",
                         "yes" if ours < theirs else "no"])
    if "real" in per_set:
        sc = {sys_: per_set["real"][sys_]["scores"] for sys_ in SYSTEMS}
        wins = sum(1 for n in range(len(sc["pipeline"])) if sc["pipeline"][n]["cer"] < sc["raw"][n]["cer"]
                   and sc["pipeline"][n]["cer"] < sc["ocrmypdf"][n]["cer"])
        rows.append(["real: lower CER than both on >= 7/9 pages", f"{wins}/{len(sc['pipeline'])}",
                     "yes" if wins >= 7 else "no"])
    ours, theirs = speed("pipeline"), speed("ocrmypdf")
    rows.append(["pages/min >= OCRmyPDF's (all sets)", f"{ours:.1f} vs {theirs:.1f}", "yes" if ours >= theirs else "no"])
    pages = [p for p in pipeline_pages if p.get("ms")]
    prep = sum(p["prep_ms"] for p in pages)
    ocr = sum(max(1.0, p["ms"] - p["prep_ms"]) for p in pages)
    if ocr:
        # the target is per page: met only when no page's preprocessing exceeds a quarter of its OCR time
        shares = [p["prep_ms"] / max(1.0, p["ms"] - p["prep_ms"]) for p in pages]
        over = sum(share > 0.25 for share in shares)
        cpu_shares = _cpu_shares(pages)
        cpu = (f"; CPU time: {sum(share > 0.25 for share in cpu_shares)}/{len(cpu_shares)} pages over, "
               f"median {pct(statistics.median(cpu_shares))} %, max {pct(max(cpu_shares))} %") if cpu_shares else ""
        rows.append(["preprocessing <= 25 % of OCR time per page",
                     f"{over}/{len(shares)} pages over; median {pct(statistics.median(shares))} %, "
                     f"max {pct(max(shares))} %; total over all pages {pct(prep / ocr)} % (wall time){cpu}",
                     "yes" if over == 0 else "no"])
    if big:
        # The target's file is a counter scanner's A4 PDF, measured by `make bench-ocr-memory` (section
        # "ocr-memory"); this run's long file is a stress case of phone photos of up to ~48 megapixels.
        rows.append([f"peak memory < 600 MB on a {big['pages']}-page 300-dpi PDF: stress file of phone photos "
                     "(not A4; the A4 scanner file is in section ocr-memory)",
                     f"PSS {big['peak_pss_mb']:.0f} MB, RSS sum {big['peak_rss_mb']:.0f} MB"
                     + ("" if big["finished"] else f" (first {big['read']} pages, stopped at the time budget)"),
                     "yes" if big["peak_rss_mb"] < 600 else ("PSS only" if big["peak_pss_mb"] < 600 else "no")])
    return rows


def _cpu_shares(pages: list[dict[str, Any]]) -> list[float]:
    """Per page: preprocessing CPU time / CPU time of the rest of the page (pages measured in CPU only)."""
    return [p["prep_cpu_ms"] / max(1.0, p["cpu_ms"] - p["prep_cpu_ms"]) for p in pages if p.get("cpu_ms")]


def _finish(args: argparse.Namespace, sections: list[str], quiet: bool = False) -> None:
    body = "\n\n".join(sections)
    if not quiet:
        print("\n" + body)
    if not args.no_write:
        from bench.report import write_section

        command = COMMAND if args.pages == 80 and args.seed == 3 else f"python -m bench.ocr --pages {args.pages} --seed {args.seed}"
        if not args.choose and not args.only_choose:
            command = f"python -m bench.ocr --pages {args.pages} --seed {args.seed} --no-choose"
        if args.only_choose:
            command = f"python -m bench.ocr --pages {args.pages} --seed {args.seed} --only-choose"
        path = write_section("ocr-settings" if args.only_choose else "ocr", command, body)
        if not quiet:
            print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
