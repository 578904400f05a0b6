"""The `sohoa` command: one thin function per sub-command; the work lives in the stages.

Exit codes (stable, scripts depend on them): 0 ok, 2 unusable input, 3 some pages flagged,
other codes per `pipeline.errors`.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.config import get_settings
from pipeline.domain.privacy import install_masking
from pipeline.errors import SohoaError

app = typer.Typer(help="sohoa: digitize Vietnamese administrative dossiers.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
samples_app = typer.Typer(help="Synthetic sample dossiers.", no_args_is_help=True)
app.add_typer(samples_app, name="samples")


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None))


def _fail(exc: SohoaError) -> None:
    typer.echo(f"sohoa: {exc.code}: {exc.message}", err=True)
    raise typer.Exit(exc.exit_status)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_masking()


@samples_app.command("generate")
def samples_generate(
    out: Annotated[Path, typer.Option(help="Folder to write dossier folders into")],
    dossiers: Annotated[int, typer.Option(min=1, help="How many dossiers")] = 20,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes)")] = 2024,
) -> None:
    """Generate realistic synthetic dossiers (scans + dossier.json + truth.json)."""
    from pipeline.synth.dossier import generate_dossiers

    paths = generate_dossiers(out, n=dossiers, seed=seed)
    typer.echo(f"wrote {len(paths)} dossiers to {out}")


@samples_app.command("edge-cases")
def samples_edge_cases(out: Annotated[Path, typer.Option(help="Folder for the hostile files")]) -> None:
    """Write one small file per hostile input (zero-byte, truncated PDF, bomb, ...)."""
    from pipeline.synth.edge_cases import write_edge_cases

    paths = write_edge_cases(out)
    typer.echo(f"wrote {len(paths)} edge-case files to {out}")


@app.command()
def ocr(
    file: Annotated[Path, typer.Argument(help="PDF, TIFF, JPEG, PNG, WebP or HEIC")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the pinned JSON shape")] = False,
    debug_dir: Annotated[Optional[Path], typer.Option(help="Keep every intermediate image here")] = None,
) -> None:
    """OCR a file: text of all pages separated by form feeds (exit 3 when a page is flagged)."""
    from pipeline.ocr.run import ocr_file

    try:
        result = ocr_file(file, get_settings(), debug_dir=debug_dir)
    except SohoaError as exc:
        _fail(exc)
    if as_json:
        _print_json(result.to_json())
    else:
        typer.echo("\f".join(page.text for page in result.pages))
    raise typer.Exit(3 if any(page.flags for page in result.pages) else 0)


@app.command()
def classify(
    file: Annotated[Path, typer.Argument(help="A scan holding one or more components")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the pinned JSON shape")] = False,
) -> None:
    """Split a scan into components, classify them and read their key fields."""
    from pipeline.classify.run import classify_file, render_table

    try:
        result = classify_file(file, get_settings())
    except SohoaError as exc:
        _fail(exc)
    if as_json:
        _print_json(result)
    else:
        render_table(result)


@app.command("train-classifier")
def train_classifier(
    out: Annotated[Path, typer.Option(help="Folder for the artifact and its model card")] = Path("models"),
) -> None:
    """Train the page classifier from the committed settings (deterministic)."""
    from pipeline.classify.train import train_and_save

    card = train_and_save(out)
    typer.echo(json.dumps(card, ensure_ascii=False, indent=2))


@app.command()
def lookup(
    id_number: Annotated[str, typer.Argument(help="12-digit citizen ID number")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List a person's stored, reusable papers."""
    from pipeline.index.reuse import lookup as do_lookup, render_lookup

    try:
        result = do_lookup(id_number, get_settings())
    except SohoaError as exc:
        _fail(exc)
    if as_json:
        _print_json(result)
    else:
        render_lookup(result)


@app.command("export")
def export(dossier_code: Annotated[str, typer.Argument(help="Mã hồ sơ")]) -> None:
    """Print a dossier's record in the national portal's field names (JSON)."""
    from pipeline.index.export import portal_record

    try:
        _print_json(portal_record(dossier_code, get_settings()))
    except SohoaError as exc:
        _fail(exc)


@app.command()
def digitize(
    dossiers: Annotated[list[Path], typer.Argument(help="Dossier folders (each with dossier.json)")],
) -> None:
    """Digitize dossier folders end to end (a Prefect flow on the configured store and index)."""
    from flows.digitize import digitize_batch

    summary = digitize_batch([str(p) for p in dossiers])
    _print_json(summary)


@app.command()
def demo() -> None:
    """The main job on embedded defaults: digitize the committed sample dossiers, print a summary."""
    from flows.digitize import run_demo

    raise typer.Exit(run_demo())
