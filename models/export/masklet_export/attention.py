"""
Scaled dot-product attention written out (softmax(q k^T / sqrt(d)) v).

torch < 2.0 has no F.scaled_dot_product_attention, which sam2 calls everywhere; and the fused
kernels of newer versions do not all export. The explicit form exports at opset 17 and is what
the exported graphs compute.
"""
import contextlib
import math

import torch
import torch.nn.functional as F


def explicit_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    if attn_mask is not None or is_causal or dropout_p != 0.0:
        raise NotImplementedError("the SAM 2 export needs plain attention only (no mask, causal or dropout)")
    s = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
    weights = torch.softmax(torch.matmul(q, k.transpose(-2, -1)) * s, dim=-1)
    return torch.matmul(weights, v)


# Image queries memoryAttention attends at a time (written to the manifest as memoryAttentionQueryChunk).
# At 1024 px and seven memory frames one object's whole score matrix is 4096 x ~28.7k fp32 (~470 MB);
# a chunk of 256 holds ~29 MB, and 256-row products still run at full GEMM speed.
MEMORY_ATTENTION_QUERY_CHUNK = 256


def chunked_attention(q, k, v, chunk=None):
    """
    softmax(q k^T / sqrt(d)) v over `chunk` queries at a time, concatenated. Softmax rows are
    independent, so this is the same attention; exported, each chunk's scores are freed before the
    next chunk's exist. The query count is static (the image grid), so the chunks unroll at export.
    """
    n = q.shape[-2]
    if chunk is None or chunk >= n:
        return F.scaled_dot_product_attention(q, k, v)
    parts = [F.scaled_dot_product_attention(q[..., i : i + chunk, :], k, v) for i in range(0, n, chunk)]
    return torch.cat(parts, dim=-2)


def install_fallback_if_missing() -> bool:
    """Gives old torch the attention sam2 calls; returns whether it had to."""
    if hasattr(F, "scaled_dot_product_attention"):
        return False
    F.scaled_dot_product_attention = explicit_attention
    return True


@contextlib.contextmanager
def explicit_attention_everywhere():
    """While exporting, every F.scaled_dot_product_attention call is the explicit form."""
    previous = getattr(F, "scaled_dot_product_attention", None)
    F.scaled_dot_product_attention = explicit_attention
    try:
        yield
    finally:
        if previous is None:
            del F.scaled_dot_product_attention
        else:
            F.scaled_dot_product_attention = previous
