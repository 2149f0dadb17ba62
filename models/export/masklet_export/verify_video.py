"""
The exported model in the engine against PyTorch's SAM2VideoPredictor on a short clip: every prompt
and every tracked frame, each object's low-resolution logits and video-resolution mask.
"""
import json
import os
import shutil
import tempfile

import numpy as np
import torch

from .clip import FRAMES, scenario, write_clip
from .errors import ExportError
from .logit_profile import describe, logit_profile
from .node import run_entry

MAX_LOGIT_DIFF = 1e-3
MIN_IOU = 0.999
NO_OBJ_SCORE = -1024.0


def float32_memory(predictor):
    """
    The predictor stores memories in bfloat16 and relies on CUDA autocast to mix them with float32
    weights. On CPU, torch.cat promotes them to float32 whenever object pointers join the memory, and
    fails when none do (a conditioning frame ahead of the tracked one). The memories are cast to
    float32 on the way in, which is what the promotion does and what the engine does.
    """
    attention = predictor.memory_attention
    forward = attention.forward

    def patched(curr, memory, curr_pos=None, memory_pos=None, num_obj_ptr_tokens=0):
        return forward(curr, memory.float(), curr_pos, memory_pos.float(), num_obj_ptr_tokens)

    attention.forward = patched
    return lambda: setattr(attention, "forward", forward)


def reference_events(predictor, frames, steps):
    """Runs the scenario through SAM2VideoPredictor; one event per prompt and per tracked frame."""
    events = []
    restore = float32_memory(predictor)
    try:
        return _reference_events(predictor, frames, steps, events)
    finally:
        restore()


def _reference_events(predictor, frames, steps, events):
    with torch.inference_mode():
        state = predictor.init_state(video_path=frames)
        low = predictor.image_size // 4

        def low_res(obj_idx, frame):
            temp = state["temp_output_dict_per_obj"][obj_idx]
            done = state["output_dict_per_obj"][obj_idx]
            for d in (temp["cond_frame_outputs"], temp["non_cond_frame_outputs"], done["cond_frame_outputs"], done["non_cond_frame_outputs"]):
                if frame in d:
                    return d[frame]["pred_masks"].float().reshape(low, low).numpy().copy()
            return np.full((low, low), NO_OBJ_SCORE, dtype=np.float32)

        def record(step, frame, obj_ids, video_masks):
            objects = {}
            for i, obj in enumerate(obj_ids):
                objects[obj] = (low_res(predictor._obj_id_to_idx(state, obj), frame), (video_masks[i, 0] > 0).numpy())
            events.append((step, frame, objects))

        for i, s in enumerate(steps):
            if s["op"] == "points":
                pts = np.array([[p[0], p[1]] for p in s["points"]], dtype=np.float32)
                labels = np.array([p[2] for p in s["points"]], dtype=np.int32)
                f, ids, m = predictor.add_new_points_or_box(state, s["frame"], s["obj"], points=pts, labels=labels, clear_old_points=s["clearOld"])
            elif s["op"] == "box":
                f, ids, m = predictor.add_new_points_or_box(state, s["frame"], s["obj"], box=np.array(s["box"], dtype=np.float32))
            elif s["op"] == "mask":
                h, w = state["video_height"], state["video_width"]
                mask = np.fromfile(s["file"], dtype=np.uint8).reshape(h, w).astype(bool)
                f, ids, m = predictor.add_new_mask(state, s["frame"], s["obj"], mask)
            else:
                for f, ids, m in predictor.propagate_in_video(state, start_frame_idx=s["start"], reverse=s["reverse"]):
                    record(i, f, ids, m)
                continue
            record(i, f, ids, m)
    return events


def decode_rle(counts, height, width):
    flat = np.zeros(height * width, dtype=bool)
    at = 0
    for k, n in enumerate(counts):
        if k % 2:
            flat[at : at + n] = True
        at += n
    return flat.reshape(width, height).T


def engine_events(manifest_path, frames, steps, work):
    scenario_path = os.path.join(work, "scenario.json")
    with open(scenario_path, "w") as f:
        json.dump({"steps": steps}, f)
    out = os.path.join(work, "engine")
    os.makedirs(out, exist_ok=True)
    run_entry("engine-run.ts", ["--model", manifest_path, "--frames", frames, "--scenario", scenario_path, "--out", out])
    with open(os.path.join(out, "events.json")) as f:
        run = json.load(f)
    h, w, low = run["height"], run["width"], run["lowRes"]
    events = []
    for index, e in enumerate(run["events"]):
        objects = {}
        for o in e["objects"]:
            path = os.path.join(out, f"e{index}_o{o['id']}.bin")
            logits = np.fromfile(path, dtype=np.float32).reshape(low, low) if os.path.exists(path) else np.full((low, low), NO_OBJ_SCORE, np.float32)
            objects[o["id"]] = (logits, decode_rle(o["counts"], h, w))
        events.append((e["step"], e["frame"], objects))
    return events


def iou(a, b):
    union = np.logical_or(a, b).sum()
    return 1.0 if union == 0 else float(np.logical_and(a, b).sum() / union)


def compare(ref, eng, steps, log):
    if [(s, f) for s, f, _ in ref] != [(s, f) for s, f, _ in eng]:
        raise ExportError(f"engine and reference visited different frames: {[(s, f) for s, f, _ in eng]} vs {[(s, f) for s, f, _ in ref]}")
    failures = []
    worst_diff, worst_iou = 0.0, 1.0
    for (step, frame, r_objs), (_, _, e_objs) in zip(ref, eng):
        if sorted(r_objs) != sorted(e_objs):
            failures.append(f"step {step} frame {frame}: objects {sorted(e_objs)} vs reference {sorted(r_objs)}")
            continue
        parts = []
        for obj in sorted(r_objs):
            (rl, rm), (el, em) = r_objs[obj], e_objs[obj]
            diff = float(np.abs(rl.astype(np.float64) - el.astype(np.float64)).max())
            j = iou(rm, em)
            worst_diff, worst_iou = max(worst_diff, diff), min(worst_iou, j)
            parts.append(f"obj {obj}: max|dlogit| {diff:.2e} IoU {j:.5f} area {int(rm.sum())}/{int(em.sum())}")
            if not diff <= MAX_LOGIT_DIFF or j < MIN_IOU:
                failures.append(f"step {step} ({steps[step]['op']}) frame {frame} object {obj}: max logit diff {diff:.3e}, IoU {j:.5f}")
        log(f"video step {step} {steps[step]['op']:9s} frame {frame}: " + "; ".join(parts))
    log(describe(logit_profile(ref, NO_OBJ_SCORE)))
    log(f"video: {len(ref)} events, worst max|dlogit| {worst_diff:.2e} (limit {MAX_LOGIT_DIFF:g}), worst IoU {worst_iou:.5f} (limit {MIN_IOU})")
    if failures:
        raise ExportError("video check failed against SAM2VideoPredictor: " + "; ".join(failures[:8]))


def verify_video(predictor, manifest_path, log, work=None):
    own = work is None
    work = work or tempfile.mkdtemp(prefix="masklet-verify-")
    try:
        frames = os.path.join(work, "frames")
        write_clip(frames)
        steps = scenario(work)
        log(f"video: {FRAMES} frames, {len(steps)} steps (clicks, box, mask, forward, correction, backward)")
        ref = reference_events(predictor, frames, steps)
        eng = engine_events(manifest_path, frames, steps, work)
        compare(ref, eng, steps, log)
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
