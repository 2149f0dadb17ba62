"""A small PNG reader and palette writer (zlib + the five scanline filters), enough for the masks the
API serves (8-bit DAVIS palette PNGs) and the masks users pass (grey, palette, RGB(A), 1..16-bit)."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


@dataclass
class PngImage:
    """Decoded pixels: (h, w) for grey/palette, (h, w, c) otherwise; palette as (n, 3) uint8 when present."""

    pixels: np.ndarray
    color_type: int
    bit_depth: int
    palette: Optional[np.ndarray] = None


def _chunks(data: bytes) -> Iterator[Tuple[bytes, bytes]]:
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG (bad signature)")
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG chunk")
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"PNG chunk {kind!r} has a bad CRC")
        yield kind, body
        pos += 12 + length
        if kind == b"IEND":
            return
    raise ValueError("PNG without IEND")


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> bytearray:
    out = bytearray(height * stride)
    prev = bytearray(stride)
    pos = 0
    for y in range(height):
        ftype = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, prev[i], upleft)) & 0xFF
        elif ftype != 0:
            raise ValueError(f"unknown PNG filter type {ftype} on row {y}")
        out[y * stride : (y + 1) * stride] = line
        prev = line
    return out


def decode_png(data: bytes) -> PngImage:
    """Decodes a non-interlaced PNG."""
    header = None
    palette = None
    idat: List[bytes] = []
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).copy()
        elif kind == b"IDAT":
            idat.append(body)
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, ctype, _comp, _filt, interlace = header
    if ctype not in _CHANNELS:
        raise ValueError(f"unsupported PNG colour type {ctype}")
    if interlace:
        raise ValueError("interlaced PNGs are not supported")
    channels = _CHANNELS[ctype]
    bits = depth * channels
    stride = (width * bits + 7) // 8
    raw = zlib.decompress(b"".join(idat))
    if len(raw) < height * (stride + 1):
        raise ValueError("PNG image data is shorter than its size")
    rows = np.frombuffer(bytes(_unfilter(raw, height, stride, max(1, bits // 8))), dtype=np.uint8).reshape(height, stride)
    if depth == 16:
        px = rows.view(">u2").astype(np.uint16).reshape(height, width, channels)
    elif depth == 8:
        px = rows.reshape(height, width, channels)
    else:
        px = np.unpackbits(rows, axis=1).reshape(height, -1, depth)[:, : width * channels, :]
        weights = (1 << np.arange(depth - 1, -1, -1)).astype(np.uint8)
        px = (px * weights).sum(axis=2).astype(np.uint8).reshape(height, width, channels)
    pixels = px[:, :, 0] if channels == 1 else px
    return PngImage(pixels=pixels, color_type=ctype, bit_depth=depth, palette=palette)


def labels_png(data: bytes) -> np.ndarray:
    """A DAVIS palette PNG's indices as (h, w) uint8: pixel value = object id, 0 = background."""
    img = decode_png(data)
    if img.color_type != 3:
        raise ValueError(f"expected a palette PNG (colour type 3), got colour type {img.color_type}")
    return img.pixels.astype(np.uint8)


def mask_png(data: bytes) -> np.ndarray:
    """A user's mask PNG as a (h, w) bool array: any nonzero index/grey value, or any non-black opaque RGB pixel."""
    img = decode_png(data)
    px = img.pixels
    if img.color_type in (0, 3):
        return px > 0
    if img.color_type == 4:
        return (px[:, :, 0] > 0) & (px[:, :, 1] > 0)
    inside = px[:, :, :3].max(axis=2) > 0
    return inside & (px[:, :, 3] > 0) if img.color_type == 6 else inside


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def encode_png(pixels: np.ndarray, palette: Optional[np.ndarray] = None) -> bytes:
    """An 8-bit grey (or, with a palette, indexed) PNG of a (h, w) array; filter 0 on every row."""
    px = np.asarray(pixels, dtype=np.uint8)
    h, w = px.shape
    raw = b"".join(b"\x00" + px[y].tobytes() for y in range(h))
    ctype = 0 if palette is None else 3
    out = SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
    if palette is not None:
        out += _chunk(b"PLTE", np.asarray(palette, dtype=np.uint8).reshape(-1, 3).tobytes())
    return out + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")
