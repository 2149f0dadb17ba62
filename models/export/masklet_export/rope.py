"""
Rotary position encoding written with real numbers.

SAM 2's RoPEAttention multiplies query/key channel pairs by complex unit phasors (torch.polar,
view_as_complex); ONNX has no complex type. A pair (a, b) times cos t + i sin t is
(a cos t - b sin t, a sin t + b cos t), so the same rotation is two real products per channel.

Cross-attention to memory rotates only the memory tokens: their count is a multiple of the query
grid (one grid per memory frame, the grid's phases repeated per frame), and the object-pointer
tokens after them are not rotated. Both counts come from tensor shapes, so one exported graph
serves any number of memory frames and pointers.
"""
import torch


def axial_frequencies(dim: int, end_x: int, end_y: int, theta: float = 10000.0) -> torch.Tensor:
    """Angles [end_x * end_y, dim // 2] of SAM 2's axial RoPE (compute_axial_cis), float32 steps."""
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 4)[: (dim // 4)].float() / dim))
    t = torch.arange(end_x * end_y, dtype=torch.float32)
    t_x = (t % end_x).float()
    t_y = torch.div(t, end_x, rounding_mode="floor").float()
    return torch.cat([torch.outer(t_x, freqs), torch.outer(t_y, freqs)], dim=-1)


def axial_cos_sin(dim: int, end_x: int, end_y: int, theta: float = 10000.0):
    """
    cos and sin of the axial angles, each [end_x * end_y, dim // 2]. They are computed once at
    export through torch.polar, as SAM 2 computes its phasors, so the graph's constants are the
    reference's bit for bit; only the rotation itself is rewritten.
    """
    angles = axial_frequencies(dim, end_x, end_y, theta)
    phasors = torch.polar(torch.ones_like(angles), angles)
    return phasors.real.contiguous(), phasors.imag.contiguous()


def rotate_pairs(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotates channel pairs (2k, 2k+1) of x [..., N, D] by the angles of cos/sin [N, D/2]."""
    pairs = x.reshape(*x.shape[:-1], x.shape[-1] // 2, 2)
    a = pairs[..., 0]
    b = pairs[..., 1]
    return torch.stack([a * cos - b * sin, a * sin + b * cos], dim=-1).flatten(-2)


def rotate_repeated(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x [B, heads, R * N, D] with the N-token phase grid repeated R times (R from the shape)."""
    b, h, _, d = x.shape
    n = cos.shape[0]
    grid = x.reshape(b, h, -1, n, d)
    return rotate_pairs(grid, cos, sin).reshape(b, h, -1, d)


def rotate_memory_keys(k: torch.Tensor, num_rope: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Keys [B, heads, Nm + Np', D]: the first `num_rope` (memory) tokens are rotated, the rest kept."""
    memory = k[:, :, :num_rope]
    pointers = k[:, :, num_rope:]
    return torch.cat([rotate_repeated(memory, cos, sin), pointers], dim=2)
