import hashlib
import multiprocessing
import shutil
from pathlib import Path

import numpy as np
import pytest

from ocr_fixtures import LINES
from pipeline.config import Settings
from pipeline.errors import MissingDependencyError
from pipeline.ocr.metrics import cer
from pipeline.ocr.tessdata import SHIPPED, SHIPPED_LANGS, system_folder, tessdata_dir
from pipeline.ocr.tesseract import DEFAULT_LANG, TesseractEngine, engine_from_settings

MODEL_CARD = SHIPPED / "README.md"


def test_system_languages_need_no_folder_of_ours():
    assert tessdata_dir("vie") is None
    assert tessdata_dir("vie+Vietnamese") is None


def test_a_shipped_language_gets_a_folder_with_the_system_files_beside_it():
    folder = Path(tessdata_dir("vie+vie_best_int"))
    system = system_folder()
    assert (folder / "vie.traineddata").resolve() == (system / "vie.traineddata").resolve()
    assert (folder / "pdf.ttf").exists()  # the text-only PDF renderer needs its font there
    ours = (folder / "vie_best_int.traineddata").read_bytes()
    assert ours == (SHIPPED / "vie_best_int.traineddata").read_bytes()
    assert tessdata_dir("vie_best_int+vie") == str(folder)  # one folder per model set, whatever the order


def _make(args: tuple[str, str]) -> str:
    lang, models = args
    return tessdata_dir(lang, folder=Path(models))


def test_workers_racing_to_make_the_folder_all_get_the_same_complete_one(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    # a model of our own under a name no other test uses, so the folder is new to this run
    (models / "vie_race.traineddata").write_bytes((SHIPPED / "vie_best_int.traineddata").read_bytes()
                                                  + tmp_path.name.encode())
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        folders = pool.map(_make, [("vie+vie_race", str(models))] * 8)
    assert len(set(folders)) == 1
    made = Path(folders[0])
    assert (made / "vie_race.traineddata").stat().st_size == (models / "vie_race.traineddata").stat().st_size
    assert (made / "vie.traineddata").exists()
    assert not list(made.parent.glob(made.name + ".*"))  # the losers' half-built folders are gone
    shutil.rmtree(made)


def test_a_folder_removed_by_a_tmp_cleaner_is_made_again(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "vie_gone.traineddata").write_bytes(b"not a model, only its folder is tested" + tmp_path.name.encode())
    first = Path(tessdata_dir("vie+vie_gone", folder=models))
    shutil.rmtree(first)
    again = Path(tessdata_dir("vie+vie_gone", folder=models))
    assert again == first and (again / "vie_gone.traineddata").exists() and (again / "vie.traineddata").exists()
    shutil.rmtree(again)


def test_the_default_engine_reads_with_both_vietnamese_models(rendered_page):
    assert Settings().ocr_lang == DEFAULT_LANG == "vie+vie_best_int"
    assert engine_from_settings(Settings()).lang == DEFAULT_LANG
    page = TesseractEngine().recognize(rendered_page, dpi=300, page_index=1)
    assert cer("\n".join(LINES), page.text) < 0.02
    assert page.text_layer.startswith(b"%PDF")


def test_a_missing_shipped_model_says_where_it_comes_from(monkeypatch, tmp_path):
    import pipeline.ocr.tesseract as tesseract

    monkeypatch.setattr(tesseract, "SHIPPED_LANGS", SHIPPED_LANGS | {"vie_gone"})
    with pytest.raises(MissingDependencyError, match="models/tesseract/vie_gone.traineddata"):
        TesseractEngine(lang="vie+vie_gone").recognize(
            np.full((20, 20), 255, np.uint8), dpi=300, page_index=1)


def test_the_model_card_names_the_file_it_describes():
    card = MODEL_CARD.read_text(encoding="utf-8")
    digest = hashlib.sha256((SHIPPED / "vie_best_int.traineddata").read_bytes()).hexdigest()
    assert digest in card
    assert "Apache" in card


def test_without_a_tesseract_no_folder_is_made(monkeypatch):
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    assert tessdata_dir("vie+vie_best_int", cmd="/nonexistent/tesseract") is None
