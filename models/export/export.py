#!/usr/bin/env python3
"""
Exports a SAM 2 / SAM 2.1 checkpoint into a Masklet model folder (models/README.md) and verifies it.

  python3 models/export/export.py --config configs/sam2.1/sam2.1_hiera_t.yaml \
      --checkpoint sam2.1_hiera_tiny.pt --out models/my-sam21-tiny [--image-size 1024]

Needs the user's installed `sam2` package and torch. Everything is written into a temporary folder
beside --out and renamed to --out only after every check passed, so a failure leaves no
half-written model.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from masklet_export.errors import ExportError  # noqa: E402


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True, help="sam2 config inside the installed package, e.g. configs/sam2.1/sam2.1_hiera_t.yaml")
    ap.add_argument("--checkpoint", required=True, help="the .pt checkpoint ({'model': state_dict})")
    ap.add_argument("--out", required=True, help="model folder to create (must not exist)")
    ap.add_argument("--name", help="manifest name (default: the folder's name)")
    ap.add_argument("--image-size", type=int, help="input square side (default: the config's)")
    ap.add_argument("--skip-verify", action="store_true", help="write the folder without the graph and video checks")
    ap.add_argument("--skip-video-verify", action="store_true", help="run the per-graph checks only")
    ap.add_argument("--work", help="keep the verify clip and engine outputs in this folder")
    return ap.parse_args(argv)


def log(msg):
    print(msg, flush=True)


def run(args):
    from masklet_export.load_sam2 import build_predictor
    from masklet_export.manifest import build_manifest
    from masklet_export.onnx_export import export_role
    from masklet_export.role_specs import ROLE_SPECS, roles_for

    out = os.path.abspath(args.out)
    if os.path.exists(out):
        raise ExportError(f"output folder {out} already exists; choose a new one")
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    t0 = time.time()
    predictor = build_predictor(args.config, args.checkpoint, args.image_size)
    log(f"built {args.config} with {args.checkpoint} (image size {predictor.image_size}) in {time.time() - t0:.1f}s")
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.partial-", dir=parent)
    try:
        files = {}
        for role in roles_for(predictor):
            t = time.time()
            path = os.path.join(tmp, ROLE_SPECS[role].file)
            try:
                export_role(role, predictor, path)
            except Exception as err:
                raise ExportError(f"exporting role {role} failed ({type(err).__name__}: {err})") from err
            files[role] = ROLE_SPECS[role].file
            log(f"exported {role:16s} -> {files[role]} ({os.path.getsize(path) / 1e6:.1f} MB, {time.time() - t:.1f}s)")
        manifest = build_manifest(predictor, args.config, args.name or os.path.basename(out), files, tmp)
        manifest_path = os.path.join(tmp, "manifest.json")
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        if not args.skip_verify:
            from masklet_export.verify_graphs import verify_graphs
            from masklet_export.verify_video import verify_video

            verify_graphs(predictor, tmp, manifest_path, log)
            if not args.skip_video_verify:
                verify_video(predictor, manifest_path, log, work=args.work)
        os.rename(tmp, out)
        log(f"wrote {out} ({time.time() - t0:.0f}s)")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # A terminated export unwinds like an interrupted one, so its temporary folder is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run(args)
    except ExportError as err:
        print(f"export failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
