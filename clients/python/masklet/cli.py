"""`masklet`: the user CLI (submit, batch submit, wait, status, download, correct) over the SDK."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

from . import png, rle
from .cli_args import build_parser, box_arg, click_arg, prompts_of, read_manifest
from .client import JobRequest, Masklet
from .errors import ApiError, MaskletError
from .progress import ProgressBar
from .types import Correction, ObjectSpec


def _out(obj: Any) -> None:
    print(json.dumps(obj, indent=2) if not isinstance(obj, str) else obj)


def resolve_video(client: Masklet, ref: str) -> str:
    """A video id from a local path (streamed upload), an s3:// URI (registered) or video:<id>; waits until READY."""
    if ref.startswith("video:"):
        return ref[6:]
    if ref.startswith("s3://"):
        video = client.register_video(ref)
    else:
        if not os.path.isfile(ref):
            raise MaskletError(f"no such video file: {ref}")
        print(f"uploading {ref} ({os.path.getsize(ref)} bytes)", file=sys.stderr)
        video = client.upload_video(ref)
    return client.wait_video(video["id"])["id"]


def _masks(paths: Sequence[Any], frame: int) -> Dict[int, dict]:
    out: Dict[int, dict] = {}
    for path, f in paths:
        with open(path, "rb") as fh:
            out[frame if f is None else f] = rle.encode(png.mask_png(fh.read()))
    return out


def wait_job(client: Masklet, job_id: str, round: Optional[int] = None, timeout: float = 3600.0) -> Dict[str, Any]:
    bar = ProgressBar(f"job {job_id[:8]}", unit=" frames")
    try:
        view = client.wait(job_id, on_progress=lambda v: bar.update(v.get("framesDone", 0), v.get("framesTotal") or None),
                           round=round, timeout=timeout)
        bar.update(view.get("framesTotal", 0) or 0, view.get("framesTotal") or None)
    finally:
        bar.close()
    return dict(view)


def cmd_submit(client: Masklet, a: argparse.Namespace) -> int:
    if not (a.click or a.box or a.mask):
        raise MaskletError("submit needs at least one --click, --box or --mask")
    prompts = prompts_of(a.frame, a.click, a.negative, a.box, _masks(a.mask, a.frame))
    video_id = resolve_video(client, a.video)
    job = client.submit(JobRequest(video_id, [ObjectSpec(a.object, prompts, a.label)], outputs=a.outputs, direction=a.direction))
    print(job["id"])
    if a.wait:
        wait_job(client, job["id"])
    return 0


def _row_job(client: Masklet, row: Dict[str, str], videos: Dict[str, str]) -> JobRequest:
    ref = row["video"]
    if ref not in videos:
        videos[ref] = resolve_video(client, ref)
    frame = int(row.get("frame") or 0)
    clicks = [click_arg(c) for c in (row.get("click") or "").split(";") if c]
    boxes = [box_arg(row["box"])] if row.get("box") else []
    obj = ObjectSpec(int(row.get("object") or 1), prompts_of(frame, clicks, [], boxes), row.get("label") or None)
    return JobRequest(videos[ref], [obj])


def cmd_batch_submit(client: Masklet, a: argparse.Namespace) -> int:
    rows = read_manifest(a.manifest)
    videos: Dict[str, str] = {}
    jobs: List[JobRequest] = []
    for i, row in enumerate(rows, start=2):
        try:
            jobs.append(_row_job(client, row, videos))
        except argparse.ArgumentTypeError as e:
            raise MaskletError(f"{a.manifest} line {i}: {e}") from e
    batch = client.submit_batch(jobs, a.name)
    print(batch["id"])
    if a.wait:
        _wait_batch(client, batch["id"], 3600.0)
    return 0


def _wait_batch(client: Masklet, batch_id: str, timeout: float) -> Dict[str, Any]:
    bar = ProgressBar(f"batch {batch_id[:8]}", total=100.0, unit="%")
    try:
        b = client.wait_batch(batch_id, on_progress=lambda v: bar.update(round(100 * float(v.get("meanProgress", 0)), 1)), timeout=timeout)
    finally:
        bar.close()
    return dict(b)


def cmd_wait(client: Masklet, a: argparse.Namespace) -> int:
    if a.job.startswith("batch:"):
        b = _wait_batch(client, a.job[6:], a.timeout)
        _out(b)
        counts = b.get("counts", {})
        return 0 if counts.get("FAILED", 0) + counts.get("CANCELLED", 0) == 0 else 1
    _out(wait_job(client, a.job, a.round, a.timeout))
    return 0


def cmd_download(client: Masklet, a: argparse.Namespace) -> int:
    view = client.wait_export(a.job, a.format, a.round)
    path = a.output or view["fileName"]
    bar = ProgressBar(f"{view['format']} {view['fileName']}", total=view.get("bytes") or None, unit=" B")
    try:
        got = client.download_export(view, path, on_bytes=lambda n, t: bar.update(n, t))
    finally:
        bar.close()
    _out({"path": path, "format": view["format"], "round": view["round"], **got})
    return 0


def cmd_correct(client: Masklet, a: argparse.Namespace) -> int:
    if not (a.click or a.negative or a.box):
        raise MaskletError("correct needs at least one --click, --negative or --box")
    prompts = prompts_of(a.frame, a.click, a.negative, a.box)
    corrections = [Correction(frame=p.frame, points=p.points, box=p.box, object_id=a.object) for p in prompts]
    r = client.correct(a.job, corrections)
    print(json.dumps({"round": r.get("number"), "status": r.get("status")}))
    if a.wait and r.get("number"):
        wait_job(client, a.job, int(r["number"]))
    return 0


COMMANDS = {"submit": cmd_submit, "wait": cmd_wait, "download": cmd_download, "correct": cmd_correct}


def main(argv: Optional[Sequence[str]] = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        client = Masklet.from_env()
        if a.command == "batch":
            return cmd_batch_submit(client, a)
        if a.command == "status":
            _out(dict(client.get_job(a.job)))
            return 0
        return COMMANDS[a.command](client, a)
    except ApiError as e:
        print(f"masklet: error: {e.code} ({e.status}): {e.message}", file=sys.stderr)
        return 1
    except (MaskletError, OSError, ValueError, argparse.ArgumentTypeError) as e:
        print(f"masklet: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
