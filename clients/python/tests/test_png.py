import struct
import unittest
import zlib

import numpy as np

from masklet import png

PALETTE = np.array([[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0]], dtype=np.uint8)


def raw_png(width, height, depth, ctype, rows, filters, palette=None):
    """A PNG with given filter bytes per row (rows already filtered)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    data = b"".join(bytes([f]) + r for f, r in zip(filters, rows))
    out = png.SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, ctype, 0, 0, 0))
    if palette is not None:
        out += chunk(b"PLTE", palette.tobytes())
    return out + chunk(b"IDAT", zlib.compress(data)) + chunk(b"IEND", b"")


class PngTest(unittest.TestCase):
    def test_palette_round_trip(self):
        labels = np.random.default_rng(1).integers(0, 4, size=(9, 13)).astype(np.uint8)
        data = png.encode_png(labels, PALETTE)
        np.testing.assert_array_equal(png.labels_png(data), labels)
        img = png.decode_png(data)
        np.testing.assert_array_equal(img.palette, PALETTE)

    def test_every_filter_type(self):
        # 3x4 grey image; rows written with Sub, Up, Average, Paeth filters, decoded back to the same pixels
        px = np.array([[10, 20, 30], [15, 25, 35], [200, 100, 50], [0, 255, 1]], dtype=np.uint8)
        rows, prev = [], np.zeros(3, dtype=np.int32)
        for ftype, row in zip([1, 2, 3, 4], px.astype(np.int32)):
            out = []
            for i in range(3):
                a = row[i - 1] if i else 0
                b = prev[i]
                c = prev[i - 1] if i else 0
                pred = [0, a, b, (a + b) // 2, png._paeth(a, b, c)][ftype]
                out.append((row[i] - pred) & 0xFF)
            rows.append(bytes(out))
            prev = row
        data = raw_png(3, 4, 8, 0, rows, [1, 2, 3, 4])
        np.testing.assert_array_equal(png.decode_png(data).pixels, px)

    def test_one_bit_grey_and_rgba_masks(self):
        bits = np.array([[1, 0, 1, 1, 0, 0, 0, 0, 1, 1]], dtype=np.uint8)
        data = raw_png(10, 1, 1, 0, [np.packbits(bits, axis=1)[0].tobytes()], [0])
        np.testing.assert_array_equal(png.mask_png(data), bits.astype(bool))
        rgba = np.zeros((2, 2, 4), dtype=np.uint8)
        rgba[0, 0] = [255, 255, 255, 255]
        rgba[1, 1] = [255, 0, 0, 0]  # transparent: outside
        data = raw_png(2, 2, 8, 6, [rgba[0].tobytes(), rgba[1].tobytes()], [0, 0])
        np.testing.assert_array_equal(png.mask_png(data), np.array([[1, 0], [0, 0]], dtype=bool))

    def test_sixteen_bit_grey(self):
        px = np.array([[0, 65535], [256, 1]], dtype=">u2")
        data = raw_png(2, 2, 16, 0, [px[0].tobytes(), px[1].tobytes()], [0, 0])
        np.testing.assert_array_equal(png.decode_png(data).pixels, px.astype(np.uint16))

    def test_bad_input_names_the_problem(self):
        with self.assertRaisesRegex(ValueError, "not a PNG"):
            png.decode_png(b"GIF89a....")
        data = bytearray(png.encode_png(np.zeros((2, 2), dtype=np.uint8)))
        data[20] ^= 0xFF
        with self.assertRaisesRegex(ValueError, "bad CRC"):
            png.decode_png(bytes(data))
        with self.assertRaisesRegex(ValueError, "expected a palette PNG"):
            png.labels_png(png.encode_png(np.zeros((2, 2), dtype=np.uint8)))


if __name__ == "__main__":
    unittest.main()
