"""Border crop: cut the black margins a scanner lid or a photocopier leaves around the sheet.

Dark bands along the edges become long black blobs after binarisation, which Tesseract reads as
"|" and "l" columns or lets swallow whole text lines. Rows and columns at the edges that are
mostly dark (measured on a small view) are cut off.
"""

from __future__ import annotations

import numpy as np

from pipeline.preprocess.analysis import outline_view, to_gray


def _edge_run(dark_fraction: np.ndarray, limit: float, max_run: int) -> int:
    """Length of the leading run of lines darker than `limit`, capped at `max_run`."""
    run = 0
    for value in dark_fraction[:max_run]:
        if value < limit:
            break
        run += 1
    return run


def find_margins(pixels: np.ndarray, dark_level: int = 80, min_dark: float = 0.6,
                 max_fraction: float = 0.25, view: tuple[np.ndarray, float] | None = None) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) pixels of dark margin to cut at full resolution. `view`: the
    page's `outline_view(to_gray(pixels))` when the caller has it already."""
    view, scale = view if view is not None else outline_view(to_gray(pixels))
    dark = view < dark_level
    rows, cols = dark.mean(axis=1), dark.mean(axis=0)
    h, w = view.shape
    top = _edge_run(rows, min_dark, int(h * max_fraction))
    bottom = _edge_run(rows[::-1], min_dark, int(h * max_fraction))
    left = _edge_run(cols, min_dark, int(w * max_fraction))
    right = _edge_run(cols[::-1], min_dark, int(w * max_fraction))
    # One extra view pixel swallows the blurred edge of the band.
    pad = [v + 1 if v else 0 for v in (top, bottom, left, right)]
    return tuple(int(round(v / scale)) for v in pad)  # type: ignore[return-value]


def crop_margins(pixels: np.ndarray, margins: tuple[int, int, int, int]) -> np.ndarray:
    """A copy of the page without the given margins."""
    top, bottom, left, right = margins
    h, w = pixels.shape[:2]
    if top + bottom >= h or left + right >= w:
        return pixels.copy()
    return pixels[top : h - bottom, left : w - right].copy()
