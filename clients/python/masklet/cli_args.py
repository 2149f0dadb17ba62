"""The CLI's grammar: argparse parsers and the prompt syntax (--click 320,200[@frame], --box x0,y0,x1,y1[@frame])."""
from __future__ import annotations

import argparse
import csv
from typing import Dict, List, Optional, Tuple

from .types import EXPORT_FORMATS, Box, Point, Prompt


def _at(text: str, what: str) -> Tuple[str, Optional[int]]:
    if "@" not in text:
        return text, None
    body, frame = text.rsplit("@", 1)
    if not frame.isdigit():
        raise argparse.ArgumentTypeError(f"{what} {text!r}: the frame after @ must be a non-negative integer")
    return body, int(frame)


def _numbers(text: str, n: int, what: str, example: str) -> List[float]:
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(parts) != n or len(values) != n:
        raise argparse.ArgumentTypeError(f"{what} {text!r}: expected {n} comma-separated numbers like {example}")
    return values


def click_arg(text: str) -> Tuple[Point, Optional[int]]:
    """x,y[@frame]"""
    body, frame = _at(text, "--click")
    x, y = _numbers(body, 2, "--click", "320,200 or 320,200@12")
    return Point(x, y), frame


def box_arg(text: str) -> Tuple[Box, Optional[int]]:
    """x0,y0,x1,y1[@frame]"""
    body, frame = _at(text, "--box")
    x0, y0, x1, y1 = _numbers(body, 4, "--box", "10,20,200,180")
    if x1 <= x0 or y1 <= y0:
        raise argparse.ArgumentTypeError(f"--box {text!r}: needs x1 > x0 and y1 > y0")
    return Box(x0, y0, x1, y1), frame


def mask_arg(text: str) -> Tuple[str, Optional[int]]:
    """path.png[@frame]"""
    return _at(text, "--mask")


def format_arg(text: str) -> str:
    if text not in EXPORT_FORMATS:
        raise argparse.ArgumentTypeError(f"unknown format {text!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    return text


def prompts_of(frame: int, clicks: List[Tuple[Point, Optional[int]]], negatives: List[Tuple[Point, Optional[int]]],
               boxes: List[Tuple[Box, Optional[int]]], masks: Optional[Dict[int, dict]] = None) -> List[Prompt]:
    """Groups clicks, negative clicks and boxes by frame (default `frame`) into one prompt per frame; masks
    (already RLE, keyed by frame) become prompts of their own (the API refuses a mask mixed with points)."""
    by_frame: Dict[int, Prompt] = {}
    for (p, f) in clicks:
        by_frame.setdefault(frame if f is None else f, Prompt()).points.append(p)
    for (p, f) in negatives:
        by_frame.setdefault(frame if f is None else f, Prompt()).points.append(Point(p.x, p.y, False))
    for (b, f) in boxes:
        pr = by_frame.setdefault(frame if f is None else f, Prompt())
        if pr.box is not None:
            raise argparse.ArgumentTypeError(f"two --box on frame {frame if f is None else f}: one box per frame")
        pr.box = b
    out = []
    for f, pr in sorted(by_frame.items()):
        pr.frame = f
        out.append(pr)
    for f, m in sorted((masks or {}).items()):
        if f in by_frame:
            raise argparse.ArgumentTypeError(f"--mask on frame {f} cannot be combined with clicks or a box on that frame")
        out.append(Prompt(frame=f, mask=m))
    return out


def _prompt_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--click", action="append", type=click_arg, default=[], metavar="X,Y[@FRAME]", help="a positive click")
    p.add_argument("--negative", action="append", type=click_arg, default=[], metavar="X,Y[@FRAME]", help="a negative click")
    p.add_argument("--box", action="append", type=box_arg, default=[], metavar="X0,Y0,X1,Y1[@FRAME]", help="a box")
    p.add_argument("--frame", type=int, default=0, help="frame of prompts given without @FRAME (default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="masklet", description="Masklet video segmentation from the command line. "
                                     "Configured by MASKLET_URL and MASKLET_API_KEY.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("submit", help="upload (or register s3://) a video and submit one job")
    s.add_argument("video", help="a local video file, an s3:// URI, or video:<id> of an uploaded video")
    _prompt_options(s)
    s.add_argument("--mask", action="append", type=mask_arg, default=[], metavar="PNG[@FRAME]", help="a mask prompt (nonzero pixels)")
    s.add_argument("--label", help="the object's label (category in COCO / YOLO / CVAT)")
    s.add_argument("--object", type=int, default=1, help="the object id (default 1)")
    s.add_argument("--outputs", type=lambda t: [format_arg(x) for x in t.split(",") if x], default=None, metavar="FMT,...",
                   help=f"exports to produce: {','.join(EXPORT_FORMATS)}")
    s.add_argument("--direction", choices=["forward", "backward", "both"])
    s.add_argument("--wait", action="store_true", help="wait for the job with a progress bar")

    b = sub.add_parser("batch", help="batches of jobs")
    bsub = b.add_subparsers(dest="batch_command", required=True, metavar="BATCH_COMMAND")
    bs = bsub.add_parser("submit", help="submit a CSV manifest (columns: video,click,box,label[,frame,object]) as one batch")
    bs.add_argument("manifest")
    bs.add_argument("--name")
    bs.add_argument("--wait", action="store_true")

    w = sub.add_parser("wait", help="wait for a job (or batch:<id>) with a progress bar")
    w.add_argument("job")
    w.add_argument("--round", type=int)
    w.add_argument("--timeout", type=float, default=3600.0)

    st = sub.add_parser("status", help="print a job as JSON")
    st.add_argument("job")

    d = sub.add_parser("download", help="download an export (requested when missing), streamed and checked against its sha256")
    d.add_argument("job")
    d.add_argument("--format", required=True, type=format_arg, metavar="|".join(EXPORT_FORMATS))
    d.add_argument("--round", type=int)
    d.add_argument("-o", "--output", help="file to write (default: the export's file name)")

    c = sub.add_parser("correct", help="a correction round: clicks / box on one frame of one object")
    c.add_argument("job")
    _prompt_options(c)
    c.add_argument("--object", type=int, required=True, help="the object to correct")
    c.add_argument("--wait", action="store_true")
    return parser


MANIFEST_COLUMNS = ("video", "click", "box", "label", "frame", "object")


def read_manifest(path: str) -> List[Dict[str, str]]:
    """The manifest's rows; a clear error for a missing 'video' column, unknown columns or a row without prompts."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        cols = [c.strip() for c in (reader.fieldnames or [])]
        if "video" not in cols:
            raise ValueError(f"{path}: the header needs a 'video' column (columns: {', '.join(MANIFEST_COLUMNS)})")
        unknown = [c for c in cols if c not in MANIFEST_COLUMNS]
        if unknown:
            raise ValueError(f"{path}: unknown column(s) {', '.join(unknown)} (columns: {', '.join(MANIFEST_COLUMNS)})")
        rows = []
        for i, row in enumerate(reader, start=2):
            r = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            if not r.get("video"):
                raise ValueError(f"{path} line {i}: no video")
            if not r.get("click") and not r.get("box"):
                raise ValueError(f"{path} line {i}: needs a click (x,y[@frame]; several separated by ';') or a box")
            rows.append(r)
    if not rows:
        raise ValueError(f"{path}: no jobs")
    return rows
