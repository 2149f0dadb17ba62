"""
torch's antialiased bilinear resize (F.interpolate(mode="bilinear", antialias=True,
align_corners=False)) as two fixed matrices, for a resize between fixed sizes: out = Wy @ x @ Wx^T.

ONNX Resize has no antialias before opset 18; a product with constant matrices exports anywhere.
The weights follow ATen's _compute_weights_aa: triangle filter stretched by the scale,
normalised per output pixel, computed in float32 as ATen does for float input.
"""
import numpy as np
import torch


def aa_bilinear_matrix(in_size: int, out_size: int) -> np.ndarray:
    """[out_size, in_size] float32 weights of one axis."""
    f32 = np.float32
    scale = f32(f32(in_size) / f32(out_size))
    support = f32(1.0 * float(scale)) if scale >= 1.0 else f32(1.0)
    invscale = f32(1.0 / float(scale)) if scale >= 1.0 else f32(1.0)
    weights = np.zeros((out_size, in_size), dtype=f32)
    for i in range(out_size):
        center = f32(float(scale) * (i + 0.5))
        xmin = max(int(float(f32(center - support)) + 0.5), 0)
        xmax = min(int(float(f32(center + support)) + 0.5), in_size)
        row = []
        total = f32(0.0)
        for j in range(xmax - xmin):
            x = f32((float(f32(f32(j + xmin) - center)) + 0.5) * float(invscale))
            x = abs(x)
            w = f32(1.0 - float(x)) if x < 1.0 else f32(0.0)
            row.append(w)
            total = f32(total + w)
        for j, w in enumerate(row):
            weights[i, xmin + j] = f32(w / total) if total != 0.0 else w
    return weights


def aa_bilinear_resize(x: torch.Tensor, out_h: int, out_w: int) -> torch.Tensor:
    """x [..., H, W] -> [..., out_h, out_w] through the two constant matrices."""
    wy = torch.from_numpy(aa_bilinear_matrix(x.shape[-2], out_h))
    wx = torch.from_numpy(aa_bilinear_matrix(x.shape[-1], out_w))
    return torch.matmul(torch.matmul(wy, x), wx.t())
