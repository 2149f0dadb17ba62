"""
Bad input to the exporter: each gives an ExportError naming the problem, and no model folder is left
behind (no sam2 needed: the sam2 package and the graph steps are replaced by small torch modules).
"""
import contextlib
import io
import os
import tempfile
import types
import unittest
from unittest import mock

import numpy as np
import torch

import export
from masklet_export import load_sam2, verify_video
from masklet_export.errors import ExportError


class Tiny(torch.nn.Module):
    """Stands for SAM2Base: a state dict and the settings load_sam2 checks."""

    use_high_res_features_in_sam = True
    directly_add_no_mem_embed = True
    non_overlap_masks_for_mem_enc = False
    num_feature_levels = 3

    def __init__(self, width=4):
        super().__init__()
        self.head = torch.nn.Linear(width, 2)


def fake_sam2(root, configs):
    for c in configs:
        os.makedirs(os.path.join(root, os.path.dirname(c)), exist_ok=True)
        with open(os.path.join(root, c), "w") as f:
            f.write("model: {}\n")
    return types.SimpleNamespace(__path__=[root])


class BadInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.config = "configs/sam2.1/sam2.1_hiera_t.yaml"
        module = fake_sam2(os.path.join(self.dir, "sam2"), [self.config, "configs/sam2.1/sam2.1_hiera_s.yaml"])
        patch = mock.patch.object(load_sam2, "import_sam2", return_value=(module, lambda **kw: Tiny()))
        patch.start()
        self.addCleanup(patch.stop)
        self.addCleanup(self.tmp.cleanup)

    def checkpoint(self, state, name="ckpt.pt"):
        path = os.path.join(self.dir, name)
        torch.save(state, path)
        return path

    def build_error(self, config, checkpoint):
        with self.assertRaises(ExportError) as ctx:
            load_sam2.build_predictor(config, checkpoint)
        return str(ctx.exception)

    def test_unknown_config_lists_the_installed_ones(self):
        msg = self.build_error("configs/sam2.1/sam2.1_hiera_xl.yaml", self.checkpoint({"model": Tiny().state_dict()}))
        self.assertIn("unknown config configs/sam2.1/sam2.1_hiera_xl.yaml", msg)
        self.assertIn("configs/sam2.1/sam2.1_hiera_s.yaml", msg)
        self.assertIn(self.config, msg)

    def test_checkpoint_of_another_size_names_the_shape_mismatch(self):
        ckpt = self.checkpoint({"model": Tiny(width=8).state_dict()})
        msg = self.build_error(self.config, ckpt)
        self.assertIn(f"checkpoint {ckpt} does not match config {self.config}", msg)
        self.assertIn("head.weight (2, 8) vs (2, 4)", msg)

    def test_checkpoint_with_missing_and_unexpected_keys(self):
        state = Tiny().state_dict()
        state["extra.weight"] = state.pop("head.bias")
        msg = self.build_error(self.config, self.checkpoint({"model": state}))
        self.assertIn("1 missing keys (e.g. head.bias)", msg)
        self.assertIn("1 unexpected keys (e.g. extra.weight)", msg)

    def test_unreadable_or_wrongly_shaped_checkpoints(self):
        missing = os.path.join(self.dir, "nope.pt")
        self.assertIn(f"checkpoint {missing} does not exist", self.build_error(self.config, missing))
        text = os.path.join(self.dir, "text.pt")
        with open(text, "w") as f:
            f.write("not a checkpoint")
        self.assertIn(f"checkpoint {text} cannot be read", self.build_error(self.config, text))
        bare = self.checkpoint(Tiny().state_dict(), "bare.pt")
        self.assertIn(f"checkpoint {bare} has no 'model' state dict", self.build_error(self.config, bare))

    def test_matching_checkpoint_loads_its_weights(self):
        state = {k: torch.full_like(v, 0.25) for k, v in Tiny().state_dict().items()}
        model = load_sam2.build_predictor(self.config, self.checkpoint({"model": state}))
        self.assertTrue(torch.equal(model.head.weight, state["head.weight"]))


class NoHalfWrittenFolderTest(unittest.TestCase):
    """export.main with the sam2 steps replaced: a failure at any step leaves --out absent and no temporary folder."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.parent = os.path.join(self.tmp.name, "models")
        self.out = os.path.join(self.parent, "my-model")

    def run_export(self, *, export_fails=False, graphs_fail=False, video_fails=False, extra=()):
        def export_role(role, predictor, path):
            with open(path, "wb") as f:
                f.write(b"graph " + role.encode())
            if export_fails and role == "maskDecoder":
                raise RuntimeError("unsupported operator")

        def verify_graphs(*_):
            if graphs_fail:
                raise ExportError("graph check failed: maskDecoder.masks: max diff 1.2e-01 against torch")

        def verify_video(*_, **__):
            if video_fails:
                raise ExportError("video check failed against SAM2VideoPredictor: step 4 (propagate) frame 1 object 3")

        manifest = lambda p, config, name, files, folder: {"name": name, "roles": files}  # noqa: E731
        patches = [
            mock.patch("masklet_export.load_sam2.build_predictor", return_value=types.SimpleNamespace(image_size=64)),
            mock.patch("masklet_export.role_specs.roles_for", return_value=["imageEncoder", "maskDecoder"]),
            mock.patch("masklet_export.onnx_export.export_role", side_effect=export_role),
            mock.patch("masklet_export.manifest.build_manifest", side_effect=manifest),
            mock.patch("masklet_export.verify_graphs.verify_graphs", side_effect=verify_graphs),
            mock.patch("masklet_export.verify_video.verify_video", side_effect=verify_video),
        ]
        args = ["--config", "configs/sam2.1/sam2.1_hiera_t.yaml", "--checkpoint", "c.pt", "--out", self.out, *extra]
        err, out = io.StringIO(), io.StringIO()
        with contextlib.ExitStack() as stack:
            for p in patches:
                stack.enter_context(p)
            stack.enter_context(contextlib.redirect_stderr(err))
            stack.enter_context(contextlib.redirect_stdout(out))
            code = export.main(args)
        return code, err.getvalue()

    def assert_nothing_written(self):
        self.assertFalse(os.path.exists(self.out))
        self.assertEqual(os.listdir(self.parent), [])

    def test_graph_that_fails_verify(self):
        code, err = self.run_export(graphs_fail=True)
        self.assertEqual(code, 1)
        self.assertIn("export failed: graph check failed: maskDecoder.masks", err)
        self.assert_nothing_written()

    def test_video_check_that_fails(self):
        code, err = self.run_export(video_fails=True)
        self.assertEqual(code, 1)
        self.assertIn("step 4 (propagate) frame 1 object 3", err)
        self.assert_nothing_written()

    def test_role_that_fails_to_export_is_named(self):
        code, err = self.run_export(export_fails=True)
        self.assertEqual(code, 1)
        self.assertIn("exporting role maskDecoder failed (RuntimeError: unsupported operator)", err)
        self.assert_nothing_written()

    def test_existing_output_folder_is_refused_and_kept(self):
        os.makedirs(self.out)
        with open(os.path.join(self.out, "keep.txt"), "w") as f:
            f.write("mine")
        code, err = self.run_export()
        self.assertEqual(code, 1)
        self.assertIn(f"output folder {self.out} already exists", err)
        self.assertEqual(os.listdir(self.out), ["keep.txt"])

    def test_passing_export_is_renamed_into_place(self):
        code, _ = self.run_export()
        self.assertEqual(code, 0)
        self.assertEqual(sorted(os.listdir(self.out)), ["image_encoder.onnx", "manifest.json", "mask_decoder.onnx"])
        self.assertEqual(os.listdir(self.parent), ["my-model"])


class VideoCompareTest(unittest.TestCase):
    """The video check's limits: a pixel 0.1 off (a hole filled on one side only) fails and is named."""

    def events(self, bump=0.0, flip=False):
        logits = np.linspace(-5, 5, 64 * 64, dtype=np.float32).reshape(64, 64)
        mask = np.zeros((30, 40), dtype=bool)
        mask[5:20, 5:30] = True
        logits2, mask2 = logits.copy(), mask.copy()
        logits2[3, 7] += bump
        if flip:
            mask2[5:20, 5:10] = False
        return [(0, 0, {1: (logits, mask)})], [(0, 0, {1: (logits2, mask2)})]

    def compare(self, **kw):
        ref, eng = self.events(**kw)
        lines = []
        verify_video.compare(ref, eng, [{"op": "points"}], lines.append)
        return lines

    def test_within_limits_passes_and_prints_each_object(self):
        lines = self.compare(bump=5e-4)
        self.assertIn("obj 1: max|dlogit| 5.00e-04 IoU 1.00000", lines[0])

    def test_logit_difference_above_limit_fails(self):
        with self.assertRaises(ExportError) as ctx:
            self.compare(bump=0.1)
        self.assertIn("step 0 (points) frame 0 object 1: max logit diff 1.000e-01", str(ctx.exception))

    def test_iou_below_limit_fails(self):
        with self.assertRaises(ExportError) as ctx:
            self.compare(flip=True)
        self.assertIn("IoU 0.80000", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
