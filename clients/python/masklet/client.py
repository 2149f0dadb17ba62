"""The Masklet API as a Python client: bearer key, JSON in and out, errors as typed ApiError subclasses.
Uploads and downloads stream (bounded chunks); nothing reads a whole video or export into memory."""
from __future__ import annotations

import os
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

import numpy as np
import requests

from . import png, rle
from .errors import JobFailedError, WaitTimeoutError
from .exports import ExportsApi
from .sse import parse_events
from .transport import LONG, multipart_file
from .types import (
    TERMINAL, BatchView, Correction, JobEvent, JobView, MaskletFrames, ObjectSpec, PreviewResult, RoundView, VideoView,
)

JobLike = Union[Dict[str, Any], "JobRequest"]


class JobRequest:
    """A job body: the video, its objects with their prompts, options."""

    def __init__(self, video_id: str, objects: Sequence[ObjectSpec], outputs: Optional[Sequence[str]] = None,
                 direction: Optional[str] = None, priority: Optional[int] = None, model: Optional[str] = None):
        self.video_id, self.objects, self.outputs = video_id, list(objects), outputs
        self.direction, self.priority, self.model = direction, priority, model

    def to_json(self) -> Dict[str, Any]:
        body: Dict[str, Any] = {"videoId": self.video_id, "objects": [o.to_json() for o in self.objects]}
        options: Dict[str, Any] = {}
        if self.outputs:
            options["outputs"] = list(self.outputs)
        if self.direction:
            options["direction"] = self.direction
        if options:
            body["options"] = options
        if self.priority is not None:
            body["priority"] = self.priority
        if self.model:
            body["model"] = self.model
        return body


def _body(job: JobLike) -> Dict[str, Any]:
    return job.to_json() if isinstance(job, JobRequest) else job


class Masklet(ExportsApi):
    """A client of one API base URL with one API key. `Masklet.from_env()` reads MASKLET_URL and MASKLET_API_KEY."""

    # -- videos --------------------------------------------------------------------------------
    def upload_video(self, path: str, content_type: str = "video/mp4") -> VideoView:
        """Streams a local file to POST /v1/videos (multipart, chunked); never holds it whole."""
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such video file: {path}")
        body, ctype = multipart_file(path, "file", content_type)
        return self._send("POST", "/v1/videos", data=body, headers={"content-type": ctype}, timeout=(self.timeout, LONG)).json()

    def register_video(self, uri: str) -> VideoView:
        """Registers an object already in an allowed ingest bucket: {"uri": "s3://bucket/key"}."""
        return self._json("POST", "/v1/videos", {"uri": uri})

    def get_video(self, video_id: str) -> VideoView:
        return self._json("GET", f"/v1/videos/{video_id}")

    def wait_video(self, video_id: str, timeout: float = 300.0, poll: float = 0.5) -> VideoView:
        """Waits until the video is READY (probed); raises on FAILED or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            v = self.get_video(video_id)
            if v.get("status") == "READY":
                return v
            if v.get("status") == "FAILED":
                raise JobFailedError(video_id, "FAILED", {"code": "VIDEO_FAILED", "message": str(v.get("error"))})
            if time.monotonic() > deadline:
                raise WaitTimeoutError(f"video {video_id} not READY after {timeout:.0f}s (status {v.get('status')})")
            time.sleep(poll)

    # -- jobs and batches ----------------------------------------------------------------------
    def submit(self, job: JobLike, idempotency_key: Optional[str] = None) -> JobView:
        headers = {"idempotency-key": idempotency_key} if idempotency_key else {}
        return self._json("POST", "/v1/jobs", _body(job), headers=headers)

    def submit_batch(self, jobs: Sequence[JobLike], name: Optional[str] = None) -> BatchView:
        body: Dict[str, Any] = {"jobs": [_body(j) for j in jobs]}
        if name:
            body["name"] = name
        return self._json("POST", "/v1/batches", body)

    def get_batch(self, batch_id: str) -> BatchView:
        return self._json("GET", f"/v1/batches/{batch_id}")

    def get_job(self, job_id: str) -> JobView:
        return self._json("GET", f"/v1/jobs/{job_id}")

    def list_jobs(self, status: Optional[str] = None, batch_id: Optional[str] = None, limit: int = 50) -> List[JobView]:
        params: Dict[str, Any] = {"limit": limit}
        if status:
            params["status"] = status
        if batch_id:
            params["batchId"] = batch_id
        return self._json("GET", "/v1/jobs", params=params)["items"]

    def cancel(self, job_id: str) -> JobView:
        return self._json("POST", f"/v1/jobs/{job_id}/cancel")

    def events(self, job_id: str, timeout: Optional[float] = None) -> Iterator[JobEvent]:
        """Follows GET /v1/jobs/:id/events (server-sent events) until the server closes the stream."""
        res = self._send("GET", f"/v1/jobs/{job_id}/events", headers={"accept": "text/event-stream"}, stream=True,
                         timeout=(self.timeout, timeout or 120.0))
        with res:
            yield from parse_events(line for line in res.iter_lines(decode_unicode=True) if line is not None)

    def wait(self, job_id: str, on_progress: Optional[Callable[[JobView], None]] = None, timeout: float = 600.0,
             round: Optional[int] = None, raise_on_failure: bool = True) -> JobView:
        """Follows the job's events (falling back to polling if the stream drops) until the job, or its
        round `round`, is terminal; calls `on_progress` with each progress view. Returns the final view."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            view = self.get_job(job_id)
            if self._done(view, round):
                return self._finish(job_id, view, raise_on_failure)
            try:
                for ev in self.events(job_id, timeout=max(1.0, deadline - time.monotonic())):
                    data = ev["data"]
                    if not isinstance(data, dict):
                        continue
                    if on_progress and isinstance(data.get("framesDone"), int):
                        on_progress(data)  # type: ignore[arg-type]
                    if data.get("status") in TERMINAL:
                        break
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError):
                time.sleep(0.5)
            view = self.get_job(job_id)
            if self._done(view, round):
                return self._finish(job_id, view, raise_on_failure)
        raise WaitTimeoutError(f"job {job_id} not finished after {timeout:.0f}s")

    @staticmethod
    def _done(view: JobView, round: Optional[int]) -> bool:
        return view.get("status") in TERMINAL and (round is None or view.get("currentRound", 0) >= round)

    @staticmethod
    def _finish(job_id: str, view: JobView, raise_on_failure: bool) -> JobView:
        if raise_on_failure and view.get("status") != "SUCCEEDED":
            raise JobFailedError(job_id, str(view.get("status")), view.get("error"))
        return view

    def wait_batch(self, batch_id: str, on_progress: Optional[Callable[[BatchView], None]] = None,
                   timeout: float = 3600.0, poll: float = 1.0) -> BatchView:
        """Polls the batch until no job is QUEUED or RUNNING."""
        deadline = time.monotonic() + timeout
        while True:
            b = self.get_batch(batch_id)
            if on_progress:
                on_progress(b)
            counts = b.get("counts", {})
            if counts.get("QUEUED", 0) + counts.get("RUNNING", 0) == 0:
                return b
            if time.monotonic() > deadline:
                raise WaitTimeoutError(f"batch {batch_id} not finished after {timeout:.0f}s")
            time.sleep(poll)

    # -- masks ---------------------------------------------------------------------------------
    def masklets(self, job_id: str, start: int = 0, stop: Optional[int] = None, round: Optional[int] = None,
                 objects: Optional[Sequence[int]] = None) -> MaskletFrames:
        """The served masks as COCO RLE (GET /v1/jobs/:id/masklets?format=rle) over frames [start, stop)."""
        params: Dict[str, Any] = {"format": "rle", "from": start}
        if stop is not None:
            params["to"] = stop
        if round is not None:
            params["round"] = round
        if objects:
            params["object"] = ",".join(str(o) for o in objects)
        return self._json("GET", f"/v1/jobs/{job_id}/masklets", params=params, timeout=(self.timeout, LONG))

    def masks(self, job_id: str, **kw: Any) -> Dict[int, Dict[int, np.ndarray]]:
        """The served masks decoded: {frame: {objectId: (h, w) bool array}}."""
        data = self.masklets(job_id, **kw)
        return {f["frame"]: {o["objectId"]: rle.decode(o["rle"]) for o in f["objects"]} for f in data["frames"]}

    def frame_png(self, job_id: str, frame: int, round: Optional[int] = None) -> bytes:
        """One frame's masks as the API's DAVIS palette PNG (format=png)."""
        params: Dict[str, Any] = {"format": "png", "from": frame}
        if round is not None:
            params["round"] = round
        return self._send("GET", f"/v1/jobs/{job_id}/masklets", params=params).content

    def frame_labels(self, job_id: str, frame: int, round: Optional[int] = None) -> np.ndarray:
        """One frame's label image (h, w) uint8, pixel = object id, decoded from the served PNG."""
        return png.labels_png(self.frame_png(job_id, frame, round))

    # -- corrections ---------------------------------------------------------------------------
    def correct(self, job_id: str, corrections: Sequence[Correction] = (), add_objects: Sequence[ObjectSpec] = (),
                remove_objects: Sequence[int] = (), direction: Optional[str] = None) -> RoundView:
        """Queues a correction round (202) on the latest SUCCEEDED round."""
        body: Dict[str, Any] = {
            "corrections": [c.to_json() for c in corrections],
            "addObjects": [o.to_json() for o in add_objects],
            "removeObjects": list(remove_objects),
        }
        if direction:
            body["direction"] = direction
        return self._json("POST", f"/v1/jobs/{job_id}/rounds", body)

    def rounds(self, job_id: str) -> List[RoundView]:
        return self._json("GET", f"/v1/jobs/{job_id}/rounds")["items"]

    def preview(self, job_id: str, correction: Correction) -> PreviewResult:
        """The mask clicks (or a box) would give on one frame; nothing is stored."""
        body = correction.to_json()
        body.pop("mask", None)
        return self._json("POST", f"/v1/jobs/{job_id}/preview", body)
