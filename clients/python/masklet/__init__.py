"""Masklet: Python SDK of the Masklet video segmentation API."""
from .client import JobRequest, Masklet
from .errors import *  # noqa: F401,F403
from .errors import ApiError, MaskletError
from .rle import decode as decode_rle, encode as encode_rle
from .png import decode_png, labels_png, mask_png
from .types import Box, Correction, ObjectSpec, Point, Prompt

__all__ = ["Masklet", "JobRequest", "ApiError", "MaskletError", "decode_rle", "encode_rle", "decode_png",
           "labels_png", "mask_png", "Box", "Correction", "ObjectSpec", "Point", "Prompt"]
__version__ = "0.1.0"
