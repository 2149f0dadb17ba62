"""Builds SAM2VideoPredictor from the user's installed `sam2` package, with errors that name the input."""
import os

import torch

from .attention import install_fallback_if_missing
from .errors import ExportError

# Options of SAM2Base the contract does not carry: the exporter refuses them instead of exporting a
# model the engine would run differently.
REQUIRED_SETTINGS = {
    "use_high_res_features_in_sam": True,
    "directly_add_no_mem_embed": True,
    "non_overlap_masks_for_mem_enc": False,
    "num_feature_levels": 3,
}


def import_sam2():
    install_fallback_if_missing()
    try:
        import sam2  # noqa: F401
        from sam2.build_sam import build_sam2_video_predictor
    except ImportError as err:
        raise ExportError(f"cannot import the sam2 package ({err}); install SAM 2 (pip install -e <sam2 checkout>) first") from err
    return sam2, build_sam2_video_predictor


def known_configs(sam2_module):
    root = sam2_module.__path__[0]
    found = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.endswith(".yaml") and "training" not in dirpath:
                found.append(os.path.relpath(os.path.join(dirpath, f), root))
    return sorted(found)


def _checkpoint_state(path):
    if not os.path.isfile(path):
        raise ExportError(f"checkpoint {path} does not exist")
    try:
        try:
            raw = torch.load(path, map_location="cpu", weights_only=True)
        except TypeError:
            raw = torch.load(path, map_location="cpu")
    except Exception as err:
        raise ExportError(f"checkpoint {path} cannot be read as a torch checkpoint ({err})") from err
    if not isinstance(raw, dict) or not isinstance(raw.get("model"), dict):
        raise ExportError(f"checkpoint {path} has no 'model' state dict (SAM 2 checkpoints are {{'model': state_dict}})")
    return raw["model"]


def _check_matches(model, state, checkpoint, config):
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    mismatched = [f"{k} {tuple(state[k].shape)} vs {tuple(v.shape)}" for k, v in expected.items() if k in state and tuple(state[k].shape) != tuple(v.shape)]
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing keys (e.g. {', '.join(missing[:3])})")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected keys (e.g. {', '.join(unexpected[:3])})")
    if mismatched:
        problems.append(f"{len(mismatched)} shape mismatches (checkpoint vs config, e.g. {'; '.join(mismatched[:3])})")
    if problems:
        raise ExportError(f"checkpoint {checkpoint} does not match config {config}: " + "; ".join(problems))


def build_predictor(config, checkpoint, image_size=None):
    sam2, build = import_sam2()
    configs = known_configs(sam2)
    if config not in configs:
        raise ExportError(f"unknown config {config}: the installed sam2 has {', '.join(configs)}")
    overrides = [f"++model.image_size={int(image_size)}"] if image_size else []
    try:
        predictor = build(config_file=config, ckpt_path=None, device="cpu", hydra_overrides_extra=overrides)
    except Exception as err:
        raise ExportError(f"config {config} could not be built by sam2 ({type(err).__name__}: {err})") from err
    state = _checkpoint_state(checkpoint)
    _check_matches(predictor, state, checkpoint, config)
    predictor.load_state_dict(state)
    predictor.eval()
    for name, value in REQUIRED_SETTINGS.items():
        actual = getattr(predictor, name, value)
        if actual != value:
            raise ExportError(f"config {config} sets {name}={actual}; the Masklet contract needs {value}")
    if getattr(predictor, "clear_non_cond_mem_around_input", False):
        raise ExportError(f"config {config} sets clear_non_cond_mem_around_input, which the engine does not implement")
    return predictor
