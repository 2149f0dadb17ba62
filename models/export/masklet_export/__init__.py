"""Exports an installed `sam2` model (SAM 2 / SAM 2.1) into Masklet's ONNX model contract (models/README.md)."""
