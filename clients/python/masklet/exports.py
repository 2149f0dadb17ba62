"""Exports of a job: list, request, wait, and download streamed to a file with its sha256 checked."""
from __future__ import annotations

import hashlib
import os
import time
from typing import Any, Callable, Dict, Optional

from .errors import ChecksumMismatchError, JobFailedError, WaitTimeoutError
from .transport import CHUNK, LONG, Transport
from .types import ExportList, ExportView


class ExportsApi(Transport):
    def exports(self, job_id: str, round: Optional[int] = None) -> ExportList:
        params = {"round": round} if round is not None else None
        return self._json("GET", f"/v1/jobs/{job_id}/exports", params=params)

    def request_export(self, job_id: str, format: str, round: Optional[int] = None) -> ExportView:
        """Asks for an export of a SUCCEEDED round (default: latest): the existing one (200) or a queued one (202)."""
        body: Dict[str, Any] = {"format": format}
        if round is not None:
            body["round"] = round
        return self._json("POST", f"/v1/jobs/{job_id}/exports", body)

    def get_export(self, job_id: str, export_id: str) -> ExportView:
        return self._json("GET", f"/v1/jobs/{job_id}/exports/{export_id}")

    def wait_export(self, job_id: str, format: str, round: Optional[int] = None, timeout: float = 600.0,
                    poll: float = 0.5) -> ExportView:
        """Requests the export and polls it until SUCCEEDED (raises JobFailedError on FAILED)."""
        view = self.request_export(job_id, format, round)
        deadline = time.monotonic() + timeout
        while view["status"] not in ("SUCCEEDED", "FAILED"):
            if time.monotonic() > deadline:
                raise WaitTimeoutError(f"export {format} of job {job_id} not ready after {timeout:.0f}s")
            time.sleep(poll)
            view = self.get_export(job_id, view["id"])
        if view["status"] == "FAILED":
            raise JobFailedError(job_id, "FAILED", {"code": "EXPORT_FAILED", "message": view.get("error") or format})
        return view

    def download_export(self, export: ExportView, path: str,
                        on_bytes: Optional[Callable[[int, Optional[int]], None]] = None) -> Dict[str, Any]:
        """Streams the export to `path` through the API and checks the sha256 the API lists.
        Returns {"bytes", "sha256"}; a mismatch removes the file and raises ChecksumMismatchError."""
        h = hashlib.sha256()
        n = 0
        tmp = path + ".part"
        with self._send("GET", export["downloadPath"], stream=True, timeout=(self.timeout, LONG)) as res, open(tmp, "wb") as f:
            for chunk in res.iter_content(CHUNK):
                f.write(chunk)
                h.update(chunk)
                n += len(chunk)
                if on_bytes:
                    on_bytes(n, export.get("bytes"))
        digest = h.hexdigest()
        if export.get("sha256") and digest != export["sha256"]:
            os.unlink(tmp)
            raise ChecksumMismatchError(f"downloaded {path} has sha256 {digest}, the API lists {export['sha256']}")
        os.replace(tmp, path)
        return {"bytes": n, "sha256": digest}
