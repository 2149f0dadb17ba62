"""The manifest.json of an exported model (schema: libs/engine/src/manifest/manifest-schema.ts)."""
import hashlib
import os

from .attention import MEMORY_ATTENTION_QUERY_CHUNK
from .role_specs import ROLE_SPECS


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def family_of(config):
    base = os.path.basename(config)
    return "sam2.1" if base.startswith("sam2.1") else "sam2"


def tracking_of(p):
    d = p.sam_mask_decoder
    return {
        "multimaskOutputInSam": bool(p.multimask_output_in_sam),
        "multimaskMinPtNum": int(p.multimask_min_pt_num),
        "multimaskMaxPtNum": int(p.multimask_max_pt_num),
        "multimaskOutputForTracking": bool(p.multimask_output_for_tracking),
        "useMultimaskTokenForObjPtr": bool(p.use_multimask_token_for_obj_ptr),
        "dynamicMultimaskViaStability": bool(d.dynamic_multimask_via_stability),
        "dynamicMultimaskStabilityDelta": float(d.dynamic_multimask_stability_delta),
        "dynamicMultimaskStabilityThresh": float(d.dynamic_multimask_stability_thresh),
        "predObjScores": bool(p.pred_obj_scores),
        "fixedNoObjPtr": bool(p.fixed_no_obj_ptr),
        "softNoObjPtr": bool(p.soft_no_obj_ptr),
        "useObjPtrsInEncoder": bool(p.use_obj_ptrs_in_encoder),
        "addTposEncToObjPtrs": bool(p.add_tpos_enc_to_obj_ptrs),
        "projTposEncInObjPtrs": bool(p.proj_tpos_enc_in_obj_ptrs),
        "useSignedTposEncToObjPtrs": bool(p.use_signed_tpos_enc_to_obj_ptrs),
        "onlyObjPtrsInThePastForEval": bool(p.only_obj_ptrs_in_the_past_for_eval),
        "useMaskInputAsOutputWithoutSam": bool(p.use_mask_input_as_output_without_sam),
        "binarizeMaskFromPtsForMemEnc": bool(p.binarize_mask_from_pts_for_mem_enc),
        "fillHoleArea": int(p.fill_hole_area),
        "memoryTemporalStrideForEval": int(p.memory_temporal_stride_for_eval),
        "maxCondFramesInAttn": int(p.max_cond_frames_in_attn),
        "addAllFramesToCorrectAsCond": bool(p.add_all_frames_to_correct_as_cond),
    }


def build_manifest(p, config, name, files, folder):
    s = int(p.image_size)
    h = int(p.sam_image_embedding_size)
    c = int(p.hidden_dim)
    roles = {}
    for role, file in files.items():
        spec = ROLE_SPECS[role]
        roles[role] = {
            "file": file,
            "sha256": sha256_file(os.path.join(folder, file)),
            "inputs": {n: n for n in spec.inputs},
            "outputs": {n: n for n in spec.outputs},
        }
    return {
        "format": "masklet.sam2-onnx/1",
        "name": name,
        "family": family_of(config),
        "description": f"exported by models/export from {config}",
        "imageSize": s,
        "featureSize": [h, h],
        "memoryFeatureSize": [h, h],
        "hiddenDim": c,
        "memoryDim": int(p.mem_dim),
        "highRes": [
            {"channels": int(p.sam_mask_decoder.conv_s0.out_channels), "stride": 4},
            {"channels": int(p.sam_mask_decoder.conv_s1.out_channels), "stride": 8},
        ],
        "lowResMaskSize": 4 * h,
        "normalization": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        "numMaskmem": int(p.num_maskmem),
        "maxObjPtrsInEncoder": int(p.max_obj_ptrs_in_encoder),
        "memoryAttentionQueryChunk": MEMORY_ATTENTION_QUERY_CHUNK,
        "tracking": tracking_of(p),
        "roles": roles,
    }
