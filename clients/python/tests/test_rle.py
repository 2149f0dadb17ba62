import unittest

import numpy as np

from masklet import rle


class RleTest(unittest.TestCase):
    def test_known_coco_string(self):
        # 3x2 mask, column-major: column 0 = [0,1,1], column 1 = [1,0,0] -> runs 1,3,2
        m = rle.decode({"size": [3, 2], "counts": [1, 3, 2]})
        np.testing.assert_array_equal(m, np.array([[0, 1], [1, 0], [1, 0]], dtype=bool))
        self.assertEqual(rle.encode(m, compressed=False)["counts"], [1, 3, 2])
        self.assertEqual(rle.decode(rle.encode(m)).tolist(), m.tolist())

    def test_string_round_trip_with_deltas_and_large_runs(self):
        # after index 2 the string stores deltas from counts[i-2], some negative
        s = rle.encode_counts([5, 10, 100, 3])
        self.assertEqual(rle.decode_counts(s), [5, 10, 100, 3])
        self.assertEqual(rle.decode_counts(rle.encode_counts([0, 4096, 1, 70000, 2])), [0, 4096, 1, 70000, 2])

    def test_round_trip_random_masks(self):
        rng = np.random.default_rng(7)
        for shape in [(1, 1), (7, 5), (64, 48), (120, 1)]:
            for p in (0.0, 0.3, 1.0):
                m = rng.random(shape) < p
                r = rle.encode(m)
                self.assertEqual(r["size"], list(shape))
                np.testing.assert_array_equal(rle.decode(r), m)

    def test_starts_inside_has_leading_zero_run(self):
        m = np.ones((2, 2), dtype=bool)
        self.assertEqual(rle.encode(m, compressed=False)["counts"], [0, 4])

    def test_bad_input_names_the_problem(self):
        with self.assertRaisesRegex(ValueError, "cover 5 pixels"):
            rle.decode({"size": [2, 2], "counts": [1, 4]})
        with self.assertRaisesRegex(ValueError, "invalid RLE character"):
            rle.decode_counts("~~")
        with self.assertRaisesRegex(ValueError, "2-D"):
            rle.encode(np.zeros(4))


if __name__ == "__main__":
    unittest.main()
