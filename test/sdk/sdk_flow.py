"""Drives the Python SDK against a live API for test/sdk/python-sdk.test.ts (MASKLET_URL, MASKLET_API_KEY).

  flow CLIP SPEC OUT   upload CLIP (streamed), submit the job SPEC ({"objects": [{id, label, frame, x, y}]}),
                       wait with progress, write OUT/result.json, OUT/masks.bin (frame, object, row-major uint8)
                       and OUT/labels.bin (each frame's served PNG decoded: object id per pixel)
  preview JOB FRAME OBJECT X Y   the preview of a click, decoded: {"area": pixels of the decoded mask, "result": the answer's area}
  errors JOB           the typed errors of an unknown export format and of this key reading JOB, as JSON
"""
import json
import os
import sys

import numpy as np

from masklet import JobRequest, Masklet, ObjectSpec, Point, Prompt, decode_rle
from masklet.errors import ApiError


def flow(clip: str, spec_path: str, out: str) -> None:
    client = Masklet.from_env()
    with open(spec_path) as f:
        spec = json.load(f)
    video = client.upload_video(clip)
    video = client.wait_video(video["id"])
    objects = [ObjectSpec(o["id"], [Prompt(o["frame"], [Point(o["x"], o["y"])])], o["label"]) for o in spec["objects"]]
    job = client.submit(JobRequest(video["id"], objects))
    progress = []
    view = client.wait(job["id"], on_progress=lambda v: progress.append(v["framesDone"]))
    masks = client.masks(job["id"])
    frames = sorted(masks)
    ids = [o.id for o in objects]
    h, w = video["height"], video["width"]
    stack = np.zeros((len(frames), len(ids), h, w), dtype=np.uint8)
    for i, f in enumerate(frames):
        for k, oid in enumerate(ids):
            if oid in masks[f]:
                stack[i, k] = masks[f][oid]
    labels = np.stack([client.frame_labels(job["id"], f) for f in frames])
    stack.tofile(os.path.join(out, "masks.bin"))
    labels.astype(np.uint8).tofile(os.path.join(out, "labels.bin"))
    exports = client.exports(job["id"])
    with open(os.path.join(out, "result.json"), "w") as f:
        json.dump({"jobId": job["id"], "videoId": video["id"], "status": view["status"], "progress": progress,
                   "frames": frames, "objects": ids, "width": w, "height": h, "exports": exports["items"]}, f)


def preview(job_id: str, frame: str, object_id: str, x: str, y: str) -> None:
    from masklet import Correction

    client = Masklet.from_env()
    res = client.preview(job_id, Correction(frame=int(frame), points=[Point(float(x), float(y))], object_id=int(object_id)))
    mask = decode_rle(res["rle"])
    print(json.dumps({"area": int(mask.sum()), "shape": list(mask.shape), "result": res["area"]}))


def errors(job_id: str) -> None:
    client = Masklet.from_env()
    got = {}
    for name, call in [("format", lambda: client.request_export(job_id, "tiff")), ("job", lambda: client.get_job(job_id)),
                       ("masks", lambda: client.masks(job_id))]:
        try:
            call()
            got[name] = None
        except ApiError as e:
            got[name] = {"class": type(e).__name__, "bases": [c.__name__ for c in type(e).__mro__], "status": e.status,
                         "code": e.code, "message": e.message}
    print(json.dumps(got))


if __name__ == "__main__":
    {"flow": flow, "preview": preview, "errors": errors}[sys.argv[1]](*sys.argv[2:])
