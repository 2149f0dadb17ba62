"""Query-chunked memory attention against the unchunked formula (no sam2 needed: only torch)."""
import math
import unittest
from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F

from masklet_export.attention import MEMORY_ATTENTION_QUERY_CHUNK, chunked_attention, explicit_attention
from masklet_export.rope import axial_cos_sin
from masklet_export.roles import rope_attention


def formula(q, k, v):
    """softmax(q k^T / sqrt(d)) v over all queries at once, float64 sums."""
    logits = torch.einsum("bhqd,bhkd->bhqk", q.double(), k.double()) / math.sqrt(q.shape[-1])
    return torch.einsum("bhqk,bhkd->bhqd", torch.softmax(logits, dim=-1), v.double())


class RecordingAttention:
    """Stands in for F.scaled_dot_product_attention and records how many queries each call saw."""

    def __init__(self):
        self.queries = []

    def __call__(self, q, k, v, **kwargs):
        self.queries.append(q.shape[-2])
        return explicit_attention(q, k, v, **kwargs)


class SamLikeAttention(nn.Module):
    """The members of sam2's Attention that rope_attention reads."""

    def __init__(self, dim, kv_dim, heads):
        super().__init__()
        self.num_heads = heads
        self.q_proj = nn.Linear(dim, dim)
        self.k_proj = nn.Linear(kv_dim, dim)
        self.v_proj = nn.Linear(kv_dim, dim)
        self.out_proj = nn.Linear(dim, dim)

    def _separate_heads(self, x, heads):
        b, n, c = x.shape
        return x.reshape(b, n, heads, c // heads).transpose(1, 2)

    def _recombine_heads(self, x):
        b, h, n, d = x.shape
        return x.transpose(1, 2).reshape(b, n, h * d)


class ChunkedAttentionTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(5)

    def test_equals_the_unchunked_formula_for_any_chunk(self):
        q, k, v = torch.randn(3, 2, 37, 16) * 2, torch.randn(3, 2, 50, 16) * 2, torch.randn(3, 2, 50, 16)
        expected = formula(q, k, v)
        whole = explicit_attention(q, k, v)
        for chunk in [1, 5, 8, 36, 37, 1000, None]:
            with mock.patch.object(F, "scaled_dot_product_attention", explicit_attention, create=True):
                got = chunked_attention(q, k, v, chunk)
            self.assertEqual(tuple(got.shape), tuple(whole.shape))
            self.assertLess((got.double() - expected).abs().max().item(), 1e-5, f"chunk {chunk}")
            self.assertLess((got - whole).abs().max().item(), 1e-5, f"chunk {chunk}")

    def test_no_call_holds_more_than_a_chunk_of_queries(self):
        q, k, v = torch.randn(1, 1, 4096, 8), torch.randn(1, 1, 300, 8), torch.randn(1, 1, 300, 8)
        recorder = RecordingAttention()
        with mock.patch.object(F, "scaled_dot_product_attention", recorder, create=True):
            chunked_attention(q, k, v, MEMORY_ATTENTION_QUERY_CHUNK)
        self.assertEqual(sum(recorder.queries), 4096)
        self.assertEqual(max(recorder.queries), MEMORY_ATTENTION_QUERY_CHUNK)
        self.assertEqual(len(recorder.queries), 4096 // MEMORY_ATTENTION_QUERY_CHUNK)

    def test_rope_cross_attention_chunked_equals_unchunked(self):
        grid, dim, kv_dim, heads = 6, 32, 16, 2
        a = SamLikeAttention(dim, kv_dim, heads).eval()
        cos, sin = axial_cos_sin(dim // heads, grid, grid)
        queries = torch.randn(2, grid * grid, dim)
        frames, pointer_tokens = 3, 8
        mem = torch.randn(2, frames * grid * grid + pointer_tokens, kv_dim)
        with torch.no_grad(), mock.patch.object(F, "scaled_dot_product_attention", explicit_attention, create=True):
            whole = rope_attention(a, queries, mem, mem, cos, sin, frames * grid * grid)
            for chunk in [1, 7, 12]:
                got = rope_attention(a, queries, mem, mem, cos, sin, frames * grid * grid, query_chunk=chunk)
                self.assertLess((got - whole).abs().max().item(), 1e-5, f"chunk {chunk}")


if __name__ == "__main__":
    unittest.main()
