"""
One torch.nn.Module per role of the model contract (models/README.md), each a thin wrapper over
the submodules of a built SAM2Base. Inputs and outputs are in the contract's order and layout.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .antialias import aa_bilinear_matrix
from .attention import MEMORY_ATTENTION_QUERY_CHUNK, chunked_attention
from .hiera_pos import hiera_pos_embed
from .rope import axial_cos_sin, rotate_memory_keys, rotate_pairs


class ImageEncoderRole(nn.Module):
    """image -> visionFeatures, visionPosEnc, highRes0, highRes1 (SAM2Base.forward_image)."""

    def __init__(self, model):
        super().__init__()
        self.image_encoder = model.image_encoder
        self.conv_s0 = model.sam_mask_decoder.conv_s0
        self.conv_s1 = model.sam_mask_decoder.conv_s1
        trunk = self.image_encoder.trunk
        if hasattr(trunk, "pos_embed_window"):
            trunk._get_pos_embed = lambda hw: hiera_pos_embed(trunk.pos_embed, trunk.pos_embed_window, tuple(int(v) for v in hw))

    def forward(self, image):
        out = self.image_encoder(image)
        fpn = out["backbone_fpn"]
        return out["vision_features"], out["vision_pos_enc"][-1], self.conv_s0(fpn[0]), self.conv_s1(fpn[1])


def rope_attention(a, q, k, v, cos, sin, num_rope=None, query_chunk=None):
    """
    RoPEAttention's forward with real-valued rotation; memory/pointer split taken from shapes.
    Queries are attended `query_chunk` at a time (None: all at once).
    """
    q = a._separate_heads(a.q_proj(q), a.num_heads)
    k = a._separate_heads(a.k_proj(k), a.num_heads)
    v = a._separate_heads(a.v_proj(v), a.num_heads)
    q = rotate_pairs(q, cos, sin)
    k = rotate_pairs(k, cos, sin) if num_rope is None else rotate_memory_keys(k, num_rope, cos, sin)
    out = chunked_attention(q, k, v, query_chunk)
    return a.out_proj(a._recombine_heads(out))


def rope_tables(attn, grid):
    return axial_cos_sin(attn.internal_dim // attn.num_heads, grid, grid, attn.compute_cis.keywords["theta"])


class MemoryAttentionRole(nn.Module):
    """MemoryAttention.forward over the contract's memory and pointer inputs (batch first)."""

    def __init__(self, model, query_chunk=MEMORY_ATTENTION_QUERY_CHUNK):
        super().__init__()
        ma = model.memory_attention
        self.ma = ma
        self.query_chunk = query_chunk
        self.c = model.hidden_dim
        self.cm = model.mem_dim
        grid = model.sam_image_embedding_size
        # One table per distinct (head dim, theta), shared by the layers, so the graph holds it once.
        self.tables = nn.ParameterList()
        self.table_of = {}
        for layer in ma.layers:
            for attn in (layer.self_attn, layer.cross_attn_image):
                key = (attn.internal_dim // attn.num_heads, attn.compute_cis.keywords["theta"])
                if key not in self.table_of:
                    cos, sin = rope_tables(attn, grid)
                    self.table_of[key] = len(self.tables)
                    self.tables.append(nn.Parameter(cos, requires_grad=False))
                    self.tables.append(nn.Parameter(sin, requires_grad=False))

    def _cos_sin(self, attn):
        i = self.table_of[(attn.internal_dim // attn.num_heads, attn.compute_cis.keywords["theta"])]
        return self.tables[i], self.tables[i + 1]

    def forward(self, curr_features, curr_pos_enc, memory, memory_pos_enc, obj_ptrs, obj_ptr_pos_enc):
        b = memory.shape[0]
        split = self.c // self.cm
        # A pointer of C values becomes C / Cm tokens of Cm (pointer-major), each with its pointer's encoding.
        ptr_tokens = obj_ptrs.reshape(b, -1, self.cm)
        ptr_pos = obj_ptr_pos_enc.unsqueeze(2).expand(-1, -1, split, -1).reshape(b, -1, self.cm)
        mem = torch.cat([memory, ptr_tokens], dim=1)
        mem_pos = torch.cat([memory_pos_enc, ptr_pos], dim=1)
        num_rope = memory.shape[1]
        # [1, C, H, W] -> [B, HW, C]
        tgt = curr_features.flatten(2).permute(0, 2, 1).expand(b, -1, -1)
        query_pos = curr_pos_enc.flatten(2).permute(0, 2, 1).expand(b, -1, -1)
        if self.ma.pos_enc_at_input:
            tgt = tgt + 0.1 * query_pos
        for layer in self.ma.layers:
            t2 = layer.norm1(tgt)
            q = t2 + query_pos if layer.pos_enc_at_attn else t2
            tgt = tgt + rope_attention(layer.self_attn, q, q, t2, *self._cos_sin(layer.self_attn), query_chunk=self.query_chunk)
            t2 = layer.norm2(tgt)
            tgt = tgt + rope_attention(
                layer.cross_attn_image,
                t2 + query_pos if layer.pos_enc_at_cross_attn_queries else t2,
                mem + mem_pos if layer.pos_enc_at_cross_attn_keys else mem,
                mem,
                *self._cos_sin(layer.cross_attn_image),
                num_rope,
                self.query_chunk,
            )
            t2 = layer.norm3(tgt)
            tgt = tgt + layer.linear2(layer.activation(layer.linear1(t2)))
        out = self.ma.norm(tgt)
        h, w = curr_features.shape[-2:]
        return out.permute(0, 2, 1).reshape(b, self.c, h, w)


class MaskDecoderRole(nn.Module):
    """Prompt encoder + mask decoder with all four mask tokens + obj_ptr_proj per token."""

    def __init__(self, model):
        super().__init__()
        self.pe = model.sam_prompt_encoder
        self.dec = model.sam_mask_decoder
        self.obj_ptr_proj = model.obj_ptr_proj
        self.register_buffer("dense_pe", model.sam_prompt_encoder.get_dense_pe().detach().clone(), persistent=False)

    def forward(self, features, high_res0, high_res1, point_coords, point_labels, mask_input, has_mask_input):
        b = features.shape[0]
        sparse = self.pe._embed_points(point_coords, point_labels, pad=True)
        dense_mask = self.pe.mask_downscaling(mask_input)
        no_mask = self.pe.no_mask_embed.weight.reshape(1, -1, 1, 1).expand_as(dense_mask)
        dense = torch.where(has_mask_input.reshape(-1, 1, 1, 1) > 0.5, dense_mask, no_mask)
        masks, iou, tokens, score = self.dec.predict_masks(
            image_embeddings=features,
            image_pe=self.dense_pe,
            sparse_prompt_embeddings=sparse,
            dense_prompt_embeddings=dense,
            repeat_image=False,
            high_res_features=[high_res0.expand(b, -1, -1, -1), high_res1.expand(b, -1, -1, -1)],
        )
        return masks, iou, self.obj_ptr_proj(tokens), score


class MemoryEncoderRole(nn.Module):
    """The body of SAM2Base._encode_new_memory, from low-res logits."""

    def __init__(self, model):
        super().__init__()
        self.enc = model.memory_encoder
        self.image_size = model.image_size
        self.scale = float(model.sigmoid_scale_for_mem_enc)
        self.bias = float(model.sigmoid_bias_for_mem_enc)
        self.no_obj_embed_spatial = model.no_obj_embed_spatial

    def forward(self, vision_features, mask_logits, object_score_logits, binarize):
        b = mask_logits.shape[0]
        high = F.interpolate(mask_logits, size=(self.image_size, self.image_size), mode="bilinear", align_corners=False)
        mask = torch.where(binarize.reshape(-1, 1, 1, 1) > 0.5, (high > 0).float(), torch.sigmoid(high))
        if self.scale != 1.0:
            mask = mask * self.scale
        if self.bias != 0.0:
            mask = mask + self.bias
        out = self.enc(vision_features.expand(b, -1, -1, -1), mask, skip_mask_sigmoid=True)
        feats = out["vision_features"]
        if self.no_obj_embed_spatial is not None:
            absent = 1.0 - (object_score_logits > 0).float()
            feats = feats + absent[..., None, None] * self.no_obj_embed_spatial[..., None, None]
        return feats, out["vision_pos_enc"][0][:1]


class MaskPromptRole(nn.Module):
    """
    A prompt mask already at the input square (the engine resizes the video-resolution mask with
    the antialiased bilinear and thresholds it): the output logits (SAM2Base._use_mask_as_output)
    and the mask_downsample'd prompt for the pointer.
    """

    def __init__(self, model):
        super().__init__()
        s = model.image_size
        low = s // 4
        self.mask_downsample = model.mask_downsample
        w = torch.from_numpy(aa_bilinear_matrix(s, low))
        self.register_buffer("wy", w, persistent=False)
        self.register_buffer("wxt", w.t().contiguous(), persistent=False)

    def forward(self, mask):
        logits = mask * 20.0 - 10.0
        low = torch.matmul(torch.matmul(self.wy, logits), self.wxt)
        return low, self.mask_downsample(mask)


class ObjPtrTposProjRole(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.proj = model.obj_ptr_tpos_proj

    def forward(self, sine_pe):
        return self.proj(sine_pe)


class ConstantsRole(nn.Module):
    def __init__(self, model):
        super().__init__()
        c = model.hidden_dim
        self.register_buffer("maskmem_tpos_enc", model.maskmem_tpos_enc.detach().reshape(model.num_maskmem, -1).clone(), persistent=False)
        self.register_buffer("no_mem_embed", model.no_mem_embed.detach().reshape(c).clone(), persistent=False)
        no_obj = model.no_obj_ptr if model.no_obj_ptr is not None else torch.zeros(c)
        self.register_buffer("no_obj_ptr", no_obj.detach().reshape(c).clone(), persistent=False)

    def forward(self):
        # Exported graphs need an op: identity on each constant.
        return self.maskmem_tpos_enc * 1.0, self.no_mem_embed * 1.0, self.no_obj_ptr * 1.0
