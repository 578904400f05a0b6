"""Store throughput: documents/s and MB/s through the S3 API (moto on loopback) and the local backend.

Each document is what the flow stores: an original scan, a searchable PDF and OCR JSON (~300 KB in
all, deterministic pseudo-random bytes) plus metadata.json, through `store_document`, so every
upload is hashed, written and confirmed. Run: `python -m bench.store` (`--quick` for a smoke run);
SOHOA_TEST_S3_ENDPOINT (with _ACCESS_KEY and _SECRET_KEY) adds rows for a real MinIO.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.report import markdown_table, write_section
from pipeline.domain.idnumber import PROVINCE_CODES, make_id
from pipeline.domain.papers import PaperType
from pipeline.store.base import ObjectStore
from pipeline.store.documents import store_document
from pipeline.store.local import LocalStore
from pipeline.store.s3 import S3Store

ORIGINAL_BYTES = 250_000
SEARCHABLE_BYTES = 45_000
OCR_BYTES = 5_000
TYPES = [PaperType.CCCD, PaperType.GIAY_KHAI_SINH, PaperType.TO_KHAI, PaperType.GIAY_CHUNG_NHAN_KET_HON]
PROVINCES = sorted(PROVINCE_CODES)


class Corpus:
    """Deterministic documents: slices of one seeded random pool, each made unique by a header."""

    def __init__(self, seed: int = 766) -> None:
        self.pool = random.Random(seed).randbytes(1 << 20)

    def _slice(self, i: int, n: int, salt: int) -> bytes:
        start = (i * 7919 + salt * 104729) % (len(self.pool) - n)
        return f"doc{i:06d}-{salt}|".encode() + self.pool[start:start + n]

    def document(self, i: int) -> tuple[str, PaperType, dict[str, bytes], dict]:
        person = make_id(PROVINCES[i % len(PROVINCES)], 1950 + i % 60, "nam" if i % 2 else "nu", i // 4)
        files = {"original.jpg": self._slice(i, ORIGINAL_BYTES, 1),
                 "searchable.pdf": b"%PDF-1.7\n" + self._slice(i, SEARCHABLE_BYTES, 2),
                 "ocr.json": json.dumps({"text": self._slice(i, OCR_BYTES // 2, 3).hex()[:OCR_BYTES]}).encode()}
        meta = {"fields": {"so_dinh_danh": person}, "confidence": 0.9, "source_dossier": f"HS-{i:06d}",
                "page_count": 1, "pipeline_version": "bench"}
        return person, TYPES[i % len(TYPES)], files, meta


def _serve_moto(conn) -> None:  # pragma: no cover - runs in the child process
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    conn.send(server.get_host_and_port()[1])
    conn.recv()  # wait for "stop"
    server.stop()


class MotoProcess:
    """moto's ThreadedMotoServer in its own process, so it does not share the writers' GIL."""

    def __enter__(self) -> str:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve_moto, args=(child,), daemon=True)
        self.proc.start()
        return f"127.0.0.1:{self.conn.recv()}"

    def __exit__(self, *exc: object) -> None:
        self.conn.send("stop")
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()


@dataclass
class Row:
    backend: str
    writers: int
    documents: int
    seconds: float
    megabytes: float

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds


def run(label: str, make_store: Callable[[], ObjectStore], corpus: Corpus, documents: int, writers: int) -> Row:
    store = make_store()
    store.ensure_buckets()
    payload = sum(len(b) for i in range(min(documents, 8)) for b in corpus.document(i)[2].values())
    per_doc = payload / min(documents, 8)

    def one(i: int) -> None:
        person, kind, files, meta = corpus.document(i)
        doc = store_document(store, id_number=person, paper_type=kind, files=files, metadata=meta)
        assert doc.duplicate_of is None

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        for _ in pool.map(one, range(documents)):
            pass
    seconds = time.perf_counter() - started
    row = Row(label, writers, documents, seconds, documents * per_doc / 1e6)
    print(f"{label:<28} writers={writers}  {documents} docs in {seconds:6.1f}s  {row.docs_per_s:7.1f} docs/s  "
          f"{row.mb_per_s:6.1f} MB/s", flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="100 documents, nothing written to BENCHMARKS.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    documents = 100 if args.quick else args.documents
    corpus = Corpus()
    per_doc_kb = sum(len(b) for b in corpus.document(0)[2].values()) / 1000
    rows: list[Row] = []
    load_before = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="sohoa-bench-store-"))
    try:
        with MotoProcess() as endpoint:
            for writers in (1, 4):
                rows.append(run("S3 API → moto (loopback)", lambda: S3Store(
                    endpoint, "bench", "bench", bucket_prefix=f"b{uuid.uuid4().hex[:8]}-"),
                    corpus, documents, writers))
        minio = os.environ.get("SOHOA_TEST_S3_ENDPOINT", "")
        if minio:  # a real MinIO, e.g. `docker compose up minio`
            for writers in (1, 4):
                rows.append(run("S3 API → MinIO", lambda: S3Store(
                    minio, os.environ.get("SOHOA_TEST_S3_ACCESS_KEY", ""),
                    os.environ.get("SOHOA_TEST_S3_SECRET_KEY", ""), bucket_prefix=f"b{uuid.uuid4().hex[:8]}-"),
                    corpus, documents, writers))
        for writers in (1, 4):
            root = scratch / f"local-{writers}"
            rows.append(run("local directory (fsync)", lambda root=root: LocalStore(root), corpus, documents, writers))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    load_after = os.getloadavg()[0]
    table = markdown_table(["backend", "writers", "documents", "seconds", "documents/s", "MB/s"],
                           [[r.backend, r.writers, r.documents, f"{r.seconds:.1f}", f"{r.docs_per_s:.1f}",
                             f"{r.mb_per_s:.1f}"] for r in rows])
    body = (f"Each document = original ({ORIGINAL_BYTES // 1000} KB) + searchable.pdf ({SEARCHABLE_BYTES // 1000} KB) "
            f"+ ocr.json ({OCR_BYTES // 1000} KB) ≈ {per_doc_kb:.0f} KB, plus metadata.json, written through "
            "`store_document` (SHA-256 computed, every upload confirmed by a stat, metadata.json last). "
            "MB/s counts the document payload.\n\n" + table + "\n\n"
            "- moto is a Python emulator of the S3 API (run here in its own process): the S3 rows measure the "
            "minio client path plus moto, not MinIO. With SOHOA_TEST_S3_ENDPOINT (+ _ACCESS_KEY, _SECRET_KEY) "
            "set, the script adds rows for that real MinIO (buckets with a random prefix are left for inspection).\n"
            "- The local backend fsyncs every object, its sidecar and their folder (3 fsyncs per object, 12 per "
            "document) and keeps every version: one writer waits for a journal commit each time, while 4 writers "
            "share commits, hence the gap between its two rows.\n"
            f"- The machine was shared with other jobs (1-minute load average {load_before:.1f} at the start, "
            f"{load_after:.1f} at the end, on {os.cpu_count()} cores): treat the numbers as a floor.")
    print()
    print(table)
    if not (args.quick or args.no_write):
        path = write_section("store", "python -m bench.store", body)
        print(f"\nwrote section 'store' of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
