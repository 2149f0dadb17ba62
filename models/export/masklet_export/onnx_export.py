"""torch.onnx.export of one role, with the explicit attention in every graph."""
import warnings

import torch

from .attention import explicit_attention_everywhere
from .role_specs import ROLE_SPECS
from .sample_inputs import sample_inputs

OPSET = 17


def role_module(role, predictor):
    return ROLE_SPECS[role].module(predictor).eval()


def export_role(role, predictor, path):
    spec = ROLE_SPECS[role]
    module = role_module(role, predictor)
    gen = torch.Generator().manual_seed(0)
    args = sample_inputs(role, predictor, gen)
    with torch.no_grad(), explicit_attention_everywhere(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            args,
            path,
            input_names=list(spec.inputs),
            output_names=list(spec.outputs),
            dynamic_axes=spec.dynamic,
            opset_version=OPSET,
            do_constant_folding=True,
        )
    return module
