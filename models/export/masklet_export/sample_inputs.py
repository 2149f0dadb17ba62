"""Random inputs of each role's contract shapes, for tracing and for the graph checks."""
import torch


def sample_inputs(role, p, gen, batch=2, points=3, memory_frames=1, pointers=2):
    s = int(p.image_size)
    h = int(p.sam_image_embedding_size)
    c = int(p.hidden_dim)
    cm = int(p.mem_dim)
    low = 4 * h
    c0 = p.sam_mask_decoder.conv_s0.out_channels
    c1 = p.sam_mask_decoder.conv_s1.out_channels

    def randn(*shape, scale=1.0):
        return torch.randn(*shape, generator=gen) * scale

    if role == "imageEncoder":
        return (randn(1, 3, s, s),)
    if role == "memoryAttention":
        nm = memory_frames * h * h
        return (randn(1, c, h, h), randn(1, c, h, h), randn(batch, nm, cm), randn(batch, nm, cm), randn(batch, pointers, c), randn(batch, pointers, cm))
    if role == "maskDecoder":
        coords = torch.rand(batch, points, 2, generator=gen) * s
        labels = torch.randint(-1, 4, (batch, points), generator=gen).float()
        has = torch.tensor([1.0, 0.0] * batch)[:batch]
        return (randn(batch, c, h, h), randn(1, c0, 4 * h, 4 * h), randn(1, c1, 2 * h, 2 * h), coords, labels, randn(batch, 1, low, low, scale=8.0), has)
    if role == "memoryEncoder":
        binarize = torch.tensor([1.0, 0.0] * batch)[:batch]
        return (randn(1, c, h, h), randn(batch, 1, low, low, scale=8.0), randn(batch, 1, scale=5.0), binarize)
    if role == "maskPrompt":
        return ((torch.rand(batch, 1, s, s, generator=gen) > 0.5).float(),)
    if role == "objPtrTposProj":
        return (randn(5, c),)
    if role == "constants":
        return ()
    raise KeyError(role)
