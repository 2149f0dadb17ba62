"""The video check's profile of the reference logits: it names weights that make the check meaningless."""
import unittest

import numpy as np

from masklet_export.logit_profile import describe, logit_profile

ABSENT = -1024.0


def event(*logits):
    return (0, 0, {i + 1: (l, l > 0) for i, l in enumerate(logits)})


class LogitProfileTest(unittest.TestCase):
    def test_structured_logits(self):
        l = np.array([[-4.0, -0.01], [2.0, 8.0]], dtype=np.float32)
        p = logit_profile([event(l)], ABSENT)
        self.assertAlmostEqual(p["median"], 3.0)
        self.assertEqual(p["max"], 8.0)
        self.assertEqual(p["near_zero"], 0.25)
        self.assertEqual((p["min_share"], p["max_share"]), (0.5, 0.5))
        self.assertEqual(
            describe(p),
            "reference logits: median |logit| 3.00, max 8.0, 25.00% within 0.05 of 0, foreground 50.0-50.0% of the low-res mask",
        )

    def test_whole_frame_masks_are_named_degenerate(self):
        full = np.full((4, 4), 12.0, dtype=np.float32)
        line = describe(logit_profile([event(full, full + 1)], ABSENT))
        self.assertIn("foreground 100.0-100.0%", line)
        self.assertIn("weights are degenerate", line)

    def test_absent_objects_are_left_out(self):
        absent = np.full((4, 4), ABSENT, dtype=np.float32)
        self.assertIsNone(logit_profile([event(absent)], ABSENT))
        self.assertIn("every object absent", describe(None))
        l = np.array([[-1.0, 1.0], [1.0, 1.0]], dtype=np.float32)
        self.assertEqual(logit_profile([event(absent), event(l)], ABSENT)["min_share"], 0.75)


if __name__ == "__main__":
    unittest.main()
