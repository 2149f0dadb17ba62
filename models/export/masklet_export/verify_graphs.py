"""
Each exported graph against its torch module on random inputs of other sizes than the ones traced
(other batch, point, memory-frame and pointer counts, and no pointers at all), run by onnxruntime
through the engine's own runtime package.
"""
import json
import os
import tempfile

import numpy as np
import torch

from .attention import explicit_attention_everywhere
from .errors import ExportError
from .node import run_entry
from .onnx_export import role_module
from .role_specs import ROLE_SPECS
from .sample_inputs import sample_inputs

# Relative to the largest magnitude of each output: float32 graphs of the same ops differ by
# reassociation noise only.
RELATIVE_TOLERANCE = 1e-4

CASES = [
    dict(batch=3, points=4, memory_frames=2, pointers=5),
    dict(batch=1, points=1, memory_frames=1, pointers=0),
]


def run_graph(graph, names, outputs, tensors, work):
    inputs = []
    for name, t in zip(names, tensors):
        file = os.path.join(work, f"in_{name}.bin")
        t.detach().contiguous().numpy().astype(np.float32).tofile(file)
        inputs.append({"name": name, "dims": list(t.shape), "file": file})
    job = os.path.join(work, "job.json")
    with open(job, "w") as f:
        json.dump({"graph": graph, "inputs": inputs, "outputs": list(outputs), "outDir": work}, f)
    run_entry("graph-run.ts", [job])
    with open(os.path.join(work, "outputs.json")) as f:
        dims = json.load(f)
    return {n: np.fromfile(os.path.join(work, f"{n}.bin"), dtype=np.float32).reshape(dims[n]) for n in outputs}


def verify_graphs(predictor, folder, manifest_path, log):
    with open(manifest_path) as f:
        manifest = json.load(f)
    gen = torch.Generator().manual_seed(1234)
    failures = []
    for role in manifest["roles"]:
        spec = ROLE_SPECS[role]
        module = role_module(role, predictor)
        cases = CASES if role in ("memoryAttention", "maskDecoder", "memoryEncoder", "maskPrompt") else CASES[:1]
        for case in cases:
            args = sample_inputs(role, predictor, gen, **case)
            with torch.no_grad(), explicit_attention_everywhere():
                expected = module(*args)
            if isinstance(expected, torch.Tensor):
                expected = (expected,)
            with tempfile.TemporaryDirectory() as work:
                got = run_graph(os.path.join(folder, spec.file), spec.inputs, spec.outputs, args, work)
            parts = []
            for name, ref in zip(spec.outputs, expected):
                ref = ref.numpy()
                out = got[name]
                if out.shape != ref.shape:
                    failures.append(f"{role}.{name}: shape {out.shape} vs torch {ref.shape}")
                    continue
                scale = float(np.abs(ref).max()) if ref.size else 0.0
                diff = float(np.abs(out - ref).max()) if ref.size else 0.0
                rel = diff / max(scale, 1e-6)
                parts.append(f"{name} {diff:.2e} (rel {rel:.1e})")
                if not np.isfinite(out).all() or rel > RELATIVE_TOLERANCE:
                    failures.append(f"{role}.{name}: max diff {diff:.3e} against torch (max |value| {scale:.3e}, relative {rel:.2e} > {RELATIVE_TOLERANCE:g})")
            log(f"graph {role:16s} {case if len(cases) > 1 else ''} " + ", ".join(parts))
    if failures:
        raise ExportError("graph check failed: " + "; ".join(failures))
