"""Calls the repository's Node entry points (graph-run.ts, engine-run.ts) through its tsx."""
import os
import subprocess

from .errors import ExportError

EXPORT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(EXPORT_DIR))


def run_entry(script, args):
    tsx = os.path.join(REPO_ROOT, "node_modules", ".bin", "tsx")
    if not os.path.exists(tsx):
        raise ExportError(f"{tsx} is missing: run `npm install` in {REPO_ROOT} before verifying")
    proc = subprocess.run([tsx, os.path.join(EXPORT_DIR, script), *args], cwd=REPO_ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ExportError(f"{script} failed: {proc.stderr.strip()[-2000:]}")
    return proc.stdout
