"""Deterministic, compact JSON for figures and data downloads.

Figure data is rounded to what the eye can see (4 significant digits) before it is written:
it keeps the page small (rounded lists gzip well) and makes the bytes reproducible across
platforms whose last floating-point bits may differ.
"""
from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

SIGNIFICANT_DIGITS = 4


def round_sig(value: float, digits: int = SIGNIFICANT_DIGITS) -> float | int:
    """Round to ``digits`` significant digits; integral results become ints (shorter JSON)."""
    if value == 0 or not math.isfinite(value):
        if not math.isfinite(value):
            raise ValueError(f"non-finite value {value!r} cannot be written to a figure")
        return 0
    rounded = float(f"{value:.{digits}g}")
    if rounded.is_integer() and abs(rounded) < 2**53:
        return int(rounded)
    return rounded


def _decode_typed_array(spec: dict) -> np.ndarray:
    """plotly.py (>= 6) stores numpy arrays as base64 typed arrays; rounded plain lists are
    smaller once gzipped and readable, so they are decoded back here."""
    array = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    shape = spec.get("shape")
    if shape:
        dims = [int(n) for n in str(shape).split(",")] if not isinstance(shape, (list, tuple)) else list(shape)
        array = array.reshape(dims)
    return array


def plain(obj: Any, digits: int = SIGNIFICANT_DIGITS) -> Any:
    """Convert numpy arrays/scalars and tuples to JSON-ready lists, rounding every float."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            return plain(_decode_typed_array(obj), digits)
        return {str(k): plain(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v, digits) for v in obj]
    if isinstance(obj, np.ndarray):
        return plain(obj.tolist(), digits)
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return round_sig(float(obj), digits)
    if obj is None or isinstance(obj, str):
        return obj
    raise ValueError(f"cannot serialise {type(obj).__name__} into a figure or data file")


def dumps(obj: Any) -> str:
    """Compact, key-sorted JSON (the same bytes for the same content)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def figure_json(figure) -> dict:
    """The figure as a plain dict: data, layout (without the Python template) and frames.

    ``layout.template`` is dropped: plotly.py's default template is ~10 KB per figure and the
    site's figures.js applies the palette (light/dark) itself.
    """
    raw = figure.to_plotly_json()
    layout = dict(raw.get("layout", {}))
    layout.pop("template", None)
    out = {"data": plain(raw.get("data", [])), "layout": plain(layout)}
    frames = raw.get("frames") or []
    if frames:
        out["frames"] = plain([{k: v for k, v in f.items() if k != "template"} for f in frames])
    return out
