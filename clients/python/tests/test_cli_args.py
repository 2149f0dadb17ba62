import argparse
import contextlib
import io
import os
import tempfile
import unittest

import numpy as np

from masklet import png
from masklet.cli import _masks, main
from masklet.cli_args import build_parser, prompts_of, read_manifest


def parse(*argv):
    return build_parser().parse_args(list(argv))


def parse_error(*argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), unittest.TestCase().assertRaises(SystemExit) as cm:
        parse(*argv)
    return cm.exception.code, err.getvalue()


class SubmitArgsTest(unittest.TestCase):
    def test_click_box_label_and_frames(self):
        a = parse("submit", "clip.mp4", "--click", "320,200", "--click", "10.5,20@7", "--box", "1,2,30,40@7", "--label", "dog",
                  "--negative", "5,5")
        self.assertEqual(a.label, "dog")
        prompts = [p.to_json() for p in prompts_of(a.frame, a.click, a.negative, a.box)]
        self.assertEqual(prompts, [
            {"frame": 0, "points": [{"x": 320.0, "y": 200.0, "label": 1}, {"x": 5.0, "y": 5.0, "label": 0}]},
            {"frame": 7, "points": [{"x": 10.5, "y": 20.0, "label": 1}], "box": {"x0": 1.0, "y0": 2.0, "x1": 30.0, "y1": 40.0}},
        ])

    def test_frame_default_and_outputs(self):
        a = parse("submit", "s3://bucket/key.mp4", "--click", "1,2", "--frame", "3", "--outputs", "coco,davis")
        self.assertEqual([p.frame for p in prompts_of(a.frame, a.click, a.negative, a.box)], [3])
        self.assertEqual(a.outputs, ["coco", "davis"])

    def test_bad_click_box_format_name_the_problem(self):
        for argv, needle in [
            (["submit", "c.mp4", "--click", "320"], "expected 2 comma-separated numbers"),
            (["submit", "c.mp4", "--click", "1,2@x"], "frame after @"),
            (["submit", "c.mp4", "--box", "10,10,5,20"], "x1 > x0"),
            (["download", "j", "--format", "png"], "unknown format 'png'"),
            (["submit", "c.mp4", "--outputs", "coco,bogus"], "unknown format 'bogus'"),
        ]:
            code, err = parse_error(*argv)
            self.assertEqual(code, 2, argv)
            self.assertIn(needle, err, argv)

    def test_mask_prompt_from_png_is_rle_on_its_frame(self):
        m = np.zeros((6, 8), dtype=np.uint8)
        m[1:4, 2:5] = 255
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "first.png")
            with open(path, "wb") as f:
                f.write(png.encode_png(m))
            a = parse("submit", "c.mp4", "--mask", f"{path}@4")
            masks = _masks(a.mask, a.frame)
        self.assertEqual(list(masks), [4])
        from masklet import rle
        np.testing.assert_array_equal(rle.decode(masks[4]), m > 0)
        prompts = prompts_of(0, [], [], [], masks)
        self.assertEqual(prompts[0].to_json()["frame"], 4)
        with self.assertRaisesRegex(argparse.ArgumentTypeError, "cannot be combined"):
            prompts_of(4, parse("submit", "c", "--click", "1,1").click, [], [], masks)

    def test_download_correct_wait(self):
        a = parse("download", "job-1", "--format", "cvat", "-o", "x.xml", "--round", "2")
        self.assertEqual((a.job, a.format, a.output, a.round), ("job-1", "cvat", "x.xml", 2))
        a = parse("correct", "job-1", "--object", "2", "--click", "4,5@9", "--wait")
        self.assertEqual((a.object, a.click[0][1], a.wait), (2, 9, True))
        code, err = parse_error("correct", "job-1", "--click", "4,5")
        self.assertIn("--object", err)
        self.assertEqual(parse("wait", "batch:abc").job, "batch:abc")


class ManifestTest(unittest.TestCase):
    def write(self, text):
        f = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
        f.write(text)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_rows(self):
        rows = read_manifest(self.write("video,click,box,label\na.mp4,1,2@3;4,5,,dog\ns3://b/k.mp4,,0,0,10,10,cat\n".replace("0,0,10,10", '"0,0,10,10"')))
        self.assertEqual([r["video"] for r in rows], ["a.mp4", "s3://b/k.mp4"])
        self.assertEqual(rows[1]["box"], "0,0,10,10")

    def test_bad_manifests(self):
        for text, needle in [
            ("clip,click\na,1\n", "needs a 'video' column"),
            ("video,click,colour\na,\"1,2\",red\n", "unknown column(s) colour"),
            ("video,click\na.mp4,\n", "line 2: needs a click"),
            ("video,click\n", "no jobs"),
        ]:
            with self.assertRaisesRegex(ValueError, needle.replace("(", r"\(").replace(")", r"\)")):
                read_manifest(self.write(text))


class MainTest(unittest.TestCase):
    def test_missing_configuration_is_a_clear_error(self):
        env = {k: os.environ.pop(k) for k in ("MASKLET_URL", "MASKLET_API_KEY") if k in os.environ}
        self.addCleanup(os.environ.update, env)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertEqual(main(["status", "abc"]), 1)
        self.assertIn("set MASKLET_URL", err.getvalue())


if __name__ == "__main__":
    unittest.main()
