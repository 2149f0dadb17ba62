"""A one-line progress bar on stderr (redrawn in place on a terminal, one line per 10% otherwise)."""
from __future__ import annotations

import sys
from typing import Optional, TextIO


class ProgressBar:
    def __init__(self, label: str, total: Optional[float] = None, unit: str = "", stream: Optional[TextIO] = None, width: int = 30):
        self.label, self.total, self.unit, self.width = label, total, unit, width
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_decile = -1

    def render(self, done: float, total: Optional[float] = None) -> str:
        total = total if total is not None else self.total
        if not total:
            return f"{self.label} {done:g}{self.unit}"
        frac = max(0.0, min(1.0, done / total))
        filled = int(frac * self.width)
        return f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {frac * 100:5.1f}% {done:g}/{total:g}{self.unit}"

    def update(self, done: float, total: Optional[float] = None) -> None:
        line = self.render(done, total)
        if self.tty:
            self.stream.write("\r" + line)
        else:
            t = total if total is not None else self.total
            decile = int(10 * done / t) if t else -1
            if decile == self._last_decile:
                return
            self._last_decile = decile
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
