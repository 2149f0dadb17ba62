"""Wire types of the API (apps/api, libs/contract) as TypedDicts, and the prompts a caller builds as dataclasses."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

try:
    from typing import Literal, TypedDict
except ImportError:  # pragma: no cover - Python < 3.8
    from typing_extensions import Literal, TypedDict  # type: ignore

ExportFormat = Literal["coco", "davis", "yolo", "cvat", "mp4"]
EXPORT_FORMATS = ("coco", "davis", "yolo", "cvat", "mp4")
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})


class Rle(TypedDict):
    size: List[int]
    counts: Union[str, List[int]]


class ErrorInfo(TypedDict):
    code: str
    message: str


class VideoView(TypedDict, total=False):
    id: str
    status: str
    width: Optional[int]
    height: Optional[int]
    frameCount: Optional[int]
    fps: Optional[float]
    sha256: Optional[str]
    sizeBytes: Optional[int]
    error: Optional[str]


class JobView(TypedDict, total=False):
    id: str
    status: str
    progress: float
    framesDone: int
    framesTotal: int
    currentRound: int
    error: Optional[ErrorInfo]
    startedAt: Optional[str]
    finishedAt: Optional[str]


class BatchView(TypedDict, total=False):
    id: str
    jobCount: int
    counts: Dict[str, int]
    meanProgress: float


class RoundView(TypedDict, total=False):
    jobId: str
    number: int
    status: str
    direction: str
    changedFrames: List[int]
    changedObjects: List[int]
    removedObjects: List[int]
    framesRecomputed: Optional[int]
    meanIouDelta: Optional[float]
    error: Optional[str]
    createdAt: str
    finishedAt: Optional[str]


class MaskletObject(TypedDict):
    objectId: int
    rle: Rle
    area: int
    bbox: Optional[List[float]]
    score: float


class MaskletFrame(TypedDict):
    frame: int
    objects: List[MaskletObject]


class MaskletFrames(TypedDict):
    width: int
    height: int
    frames: List[MaskletFrame]


class PreviewResult(TypedDict, total=False):
    frame: int
    objectId: int
    round: int
    rle: Rle
    area: int
    bbox: Optional[List[float]]
    score: float
    ms: float


class ExportView(TypedDict):
    id: str
    jobId: str
    round: int
    format: str
    fileName: str
    contentType: str
    status: str
    bytes: Optional[int]
    sha256: Optional[str]
    error: Optional[str]
    createdAt: str
    finishedAt: Optional[str]
    downloadPath: str


class ExportList(TypedDict):
    jobId: str
    items: List[ExportView]


class JobEvent(TypedDict):
    event: str
    data: Any


@dataclass
class Point:
    x: float
    y: float
    positive: bool = True

    def to_json(self) -> Dict[str, Any]:
        return {"x": self.x, "y": self.y, "label": 1 if self.positive else 0}


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def to_json(self) -> Dict[str, Any]:
        return {"x0": self.x0, "y0": self.y0, "x1": self.x1, "y1": self.y1}


@dataclass
class Prompt:
    """Clicks and/or a box, or a mask, on one frame."""

    frame: int = 0
    points: List[Point] = field(default_factory=list)
    box: Optional[Box] = None
    mask: Optional[Rle] = None

    def to_json(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"frame": self.frame}
        if self.points:
            out["points"] = [p.to_json() for p in self.points]
        if self.box is not None:
            out["box"] = self.box.to_json()
        if self.mask is not None:
            out["mask"] = self.mask
        return out


@dataclass
class ObjectSpec:
    id: int
    prompts: List[Prompt]
    label: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"id": self.id, "prompts": [p.to_json() for p in self.prompts]}
        if self.label is not None:
            out["label"] = self.label
        return out


@dataclass
class Correction(Prompt):
    """A prompt on one frame for one tracked object, for a correction round."""

    object_id: int = 1

    def to_json(self) -> Dict[str, Any]:
        out = super().to_json()
        out["objectId"] = self.object_id
        return out
