"""
Hiera's positional embedding with `repeat` instead of `tile`.

Hiera adds a background embedding interpolated to the token grid plus a small window embedding
tiled over it. `Tensor.tile` does not export (older exporters have no symbolic for it);
`Tensor.repeat` with one count per dimension is the same operation and exports as Tile.
"""
import torch
import torch.nn.functional as F


def tile_counts(target_shape, window_shape):
    return [t // w for t, w in zip(target_shape, window_shape)]


def tiled_window_embed(window_embed: torch.Tensor, target_shape) -> torch.Tensor:
    return window_embed.repeat(tile_counts(target_shape, window_embed.shape))


def hiera_pos_embed(pos_embed: torch.Tensor, window_embed: torch.Tensor, hw) -> torch.Tensor:
    """[1, H, W, C]: bicubic background embedding plus the repeated window embedding."""
    background = F.interpolate(pos_embed, size=tuple(hw), mode="bicubic")
    return (background + tiled_window_embed(window_embed, background.shape)).permute(0, 2, 3, 1)
