"""COCO run-length encoding, as the API serves masks: column-major runs starting with background,
`counts` either a list of ints or the compressed string (6-bit chars, signed deltas from counts[i-2])."""
from __future__ import annotations

from typing import List, Sequence, Union

import numpy as np

from .types import Rle


def decode_counts(s: str) -> List[int]:
    """The run lengths of a compressed COCO RLE string."""
    counts: List[int] = []
    i = 0
    while i < len(s):
        x = 0
        k = 0
        more = True
        while more:
            if i >= len(s):
                raise ValueError("truncated RLE string")
            c = ord(s[i]) - 48
            if c < 0 or c > 63:
                raise ValueError(f"invalid RLE character {s[i]!r}")
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            i += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def encode_counts(counts: Sequence[int]) -> str:
    """The compressed COCO RLE string of run lengths (inverse of decode_counts)."""
    out = []
    for i, c in enumerate(counts):
        x = int(c) - (int(counts[i - 2]) if i > 2 else 0)
        more = True
        while more:
            ch = x & 0x1F
            x >>= 5
            more = x != -1 if ch & 0x10 else x != 0
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


def decode(rle: Rle) -> np.ndarray:
    """A COCO RLE ({"size": [h, w], "counts"}) as a (h, w) bool array."""
    h, w = int(rle["size"][0]), int(rle["size"][1])
    raw: Union[str, Sequence[int]] = rle["counts"]
    counts = decode_counts(raw) if isinstance(raw, str) else [int(c) for c in raw]
    if sum(counts) != h * w:
        raise ValueError(f"RLE runs cover {sum(counts)} pixels, the size [{h}, {w}] has {h * w}")
    values = np.zeros(len(counts), dtype=bool)
    values[1::2] = True
    flat = np.repeat(values, counts)
    return flat.reshape((w, h)).T.copy()


def encode(mask: np.ndarray, compressed: bool = True) -> Rle:
    """A (h, w) mask (nonzero = inside) as COCO RLE."""
    m = np.asarray(mask).astype(bool)
    if m.ndim != 2:
        raise ValueError(f"a mask is 2-D, got shape {m.shape}")
    h, w = m.shape
    flat = m.T.reshape(-1)
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], change, [flat.size]))
    runs = np.diff(bounds).tolist()
    if flat.size and flat[0]:
        runs = [0] + runs
    counts: Union[str, List[int]] = encode_counts(runs) if compressed else runs
    return {"size": [h, w], "counts": counts}
