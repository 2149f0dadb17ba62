"""Each role's module, graph file, I/O names (the contract's logical names) and dynamic axes."""
from dataclasses import dataclass, field

from . import roles as r


@dataclass(frozen=True)
class RoleSpec:
    file: str
    module: type
    inputs: tuple
    outputs: tuple
    dynamic: dict = field(default_factory=dict)


ROLE_SPECS = {
    "imageEncoder": RoleSpec("image_encoder.onnx", r.ImageEncoderRole, ("image",), ("visionFeatures", "visionPosEnc", "highRes0", "highRes1")),
    "memoryAttention": RoleSpec(
        "memory_attention.onnx",
        r.MemoryAttentionRole,
        ("currFeatures", "currPosEnc", "memory", "memoryPosEnc", "objPtrs", "objPtrPosEnc"),
        ("conditionedFeatures",),
        {"memory": {0: "B", 1: "Nm"}, "memoryPosEnc": {0: "B", 1: "Nm"}, "objPtrs": {0: "B", 1: "Np"}, "objPtrPosEnc": {0: "B", 1: "Np"}, "conditionedFeatures": {0: "B"}},
    ),
    "maskDecoder": RoleSpec(
        "mask_decoder.onnx",
        r.MaskDecoderRole,
        ("features", "highRes0", "highRes1", "pointCoords", "pointLabels", "maskInput", "hasMaskInput"),
        ("masks", "iouPredictions", "objPtrs", "objectScoreLogits"),
        {"features": {0: "B"}, "pointCoords": {0: "B", 1: "P"}, "pointLabels": {0: "B", 1: "P"}, "maskInput": {0: "B"}, "hasMaskInput": {0: "B"},
         "masks": {0: "B"}, "iouPredictions": {0: "B"}, "objPtrs": {0: "B"}, "objectScoreLogits": {0: "B"}},
    ),
    "memoryEncoder": RoleSpec(
        "memory_encoder.onnx",
        r.MemoryEncoderRole,
        ("visionFeatures", "maskLogits", "objectScoreLogits", "binarize"),
        ("memoryFeatures", "memoryPosEnc"),
        {"maskLogits": {0: "B"}, "objectScoreLogits": {0: "B"}, "binarize": {0: "B"}, "memoryFeatures": {0: "B"}},
    ),
    "maskPrompt": RoleSpec("mask_prompt.onnx", r.MaskPromptRole, ("mask",), ("lowResLogits", "maskForPointer"), {"mask": {0: "B"}, "lowResLogits": {0: "B"}, "maskForPointer": {0: "B"}}),
    "objPtrTposProj": RoleSpec("obj_ptr_tpos_proj.onnx", r.ObjPtrTposProjRole, ("sinePe",), ("posEnc",), {"sinePe": {0: "N"}, "posEnc": {0: "N"}}),
    "constants": RoleSpec("constants.onnx", r.ConstantsRole, (), ("maskmemTposEnc", "noMemEmbed", "noObjPtr")),
}


def roles_for(predictor):
    """The roles this model has: objPtrTposProj only where pointers get a projected temporal encoding."""
    names = [n for n in ROLE_SPECS if n != "objPtrTposProj"]
    if predictor.add_tpos_enc_to_obj_ptrs and predictor.proj_tpos_enc_in_obj_ptrs:
        names.insert(5, "objPtrTposProj")
    return names
