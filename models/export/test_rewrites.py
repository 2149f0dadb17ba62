"""The exporter's rewrites against the formulas they replace (no sam2 needed: only torch)."""
import math
import unittest

import torch
import torch.nn.functional as F

from masklet_export.antialias import aa_bilinear_matrix, aa_bilinear_resize
from masklet_export.attention import explicit_attention
from masklet_export.hiera_pos import hiera_pos_embed, tiled_window_embed
from masklet_export.rope import axial_cos_sin, rotate_memory_keys, rotate_pairs


def complex_axial_cis(dim, end_x, end_y, theta=10000.0):
    """SAM 2's complex-valued RoPE phasors, as written in the paper's formula."""
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 4)[: (dim // 4)].float() / dim))
    t = torch.arange(end_x * end_y, dtype=torch.float32)
    fx = torch.outer(t % end_x, freqs)
    fy = torch.outer(torch.div(t, end_x, rounding_mode="floor"), freqs)
    return torch.cat([torch.polar(torch.ones_like(fx), fx), torch.polar(torch.ones_like(fy), fy)], dim=-1)


def complex_rotate(x, cis):
    xc = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(xc * cis).flatten(-2)


class RopeTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)

    def test_real_rotation_equals_complex_product(self):
        dim, gx, gy = 64, 8, 6
        cis = complex_axial_cis(dim, gx, gy)
        cos, sin = axial_cos_sin(dim, gx, gy)
        self.assertTrue(torch.equal(cos, cis.real) and torch.equal(sin, cis.imag))
        x = torch.randn(2, 3, gx * gy, dim) * 5
        diff = (rotate_pairs(x, cos, sin) - complex_rotate(x, cis)).abs().max().item()
        self.assertLess(diff, 1e-5)

    def test_memory_keys_rotated_per_frame_pointers_untouched(self):
        dim, gx, gy = 32, 4, 4
        cis = complex_axial_cis(dim, gx, gy)
        cos, sin = axial_cos_sin(dim, gx, gy)
        for frames, pointer_tokens in [(1, 0), (3, 8), (7, 64)]:
            n_mem = frames * gx * gy
            k = torch.randn(2, 1, n_mem + pointer_tokens, dim)
            got = rotate_memory_keys(k, torch.tensor(n_mem), cos, sin)
            # SAM 2 repeats the phasor grid once per memory frame (rope_k_repeat).
            expected_mem = complex_rotate(k[:, :, :n_mem], cis.repeat(frames, 1))
            self.assertLess((got[:, :, :n_mem] - expected_mem).abs().max().item(), 1e-5)
            self.assertTrue(torch.equal(got[:, :, n_mem:], k[:, :, n_mem:]))
            self.assertEqual(tuple(got.shape), tuple(k.shape))

    def test_rotation_preserves_pair_norms(self):
        cos, sin = axial_cos_sin(16, 4, 4)
        x = torch.randn(1, 1, 16, 16)
        r = rotate_pairs(x, cos, sin)
        n0 = x.reshape(1, 1, 16, 8, 2).norm(dim=-1)
        n1 = r.reshape(1, 1, 16, 8, 2).norm(dim=-1)
        self.assertLess((n0 - n1).abs().max().item(), 1e-5)


class HieraPosTest(unittest.TestCase):
    def test_repeat_equals_tile(self):
        torch.manual_seed(1)
        window = torch.randn(1, 12, 8, 8)
        for shape in [(1, 12, 64, 64), (1, 12, 32, 32), (1, 12, 8, 16)]:
            self.assertTrue(torch.equal(tiled_window_embed(window, shape), window.tile([s // w for s, w in zip(shape, window.shape)])))

    def test_pos_embed_layout(self):
        torch.manual_seed(2)
        bkg = torch.randn(1, 6, 7, 7)
        window = torch.randn(1, 6, 4, 4)
        got = hiera_pos_embed(bkg, window, (16, 16))
        expected = (F.interpolate(bkg, size=(16, 16), mode="bicubic") + window.tile([1, 1, 4, 4])).permute(0, 2, 3, 1)
        self.assertTrue(torch.equal(got, expected))


class AttentionTest(unittest.TestCase):
    def test_explicit_attention_formula(self):
        torch.manual_seed(3)
        q, k, v = torch.randn(2, 4, 10, 16), torch.randn(2, 4, 30, 16), torch.randn(2, 4, 30, 16)
        got = explicit_attention(q, k, v)
        # Written out per query with float64 sums.
        qd, kd, vd = q.double(), k.double(), v.double()
        logits = torch.einsum("bhqd,bhkd->bhqk", qd, kd) / math.sqrt(16)
        expected = torch.einsum("bhqk,bhkd->bhqd", torch.softmax(logits, dim=-1), vd)
        self.assertLess((got.double() - expected).abs().max().item(), 1e-5)
        if hasattr(F, "scaled_dot_product_attention") and F.scaled_dot_product_attention is not explicit_attention:
            self.assertLess((got - F.scaled_dot_product_attention(q, k, v)).abs().max().item(), 1e-5)

    def test_rejects_what_it_does_not_implement(self):
        q = torch.zeros(1, 1, 2, 4)
        with self.assertRaises(NotImplementedError):
            explicit_attention(q, q, q, is_causal=True)


class AntialiasTest(unittest.TestCase):
    def test_hand_computed_weights(self):
        # 4 -> 2: scale 2, support 2; output 0 centre 1: taps 0..2 weigh 0.75, 0.75, 0.25 (x 1/1.75).
        w = aa_bilinear_matrix(4, 2)
        self.assertAlmostEqual(float(w[0, 0]), 0.75 / 1.75, places=6)
        self.assertAlmostEqual(float(w[0, 1]), 0.75 / 1.75, places=6)
        self.assertAlmostEqual(float(w[0, 2]), 0.25 / 1.75, places=6)
        self.assertEqual(float(w[0, 3]), 0.0)
        self.assertAlmostEqual(float(w.sum(axis=1)[1]), 1.0, places=6)

    def test_matches_torch_antialiased_bilinear(self):
        torch.manual_seed(4)
        for (h, w), (oh, ow) in [((64, 64), (16, 16)), ((37, 53), (16, 16)), ((100, 60), (32, 32))]:
            x = (torch.rand(2, 1, h, w) > 0.5).float() * 20 - 10
            ref = F.interpolate(x, size=(oh, ow), mode="bilinear", align_corners=False, antialias=True)
            self.assertLess((aa_bilinear_resize(x, oh, ow) - ref).abs().max().item(), 1e-4)


if __name__ == "__main__":
    unittest.main()
