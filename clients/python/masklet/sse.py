"""Server-sent events from a streamed requests.Response (text/event-stream)."""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from .types import JobEvent


def parse_events(lines: Iterable[str]) -> Iterator[JobEvent]:
    """Events from the stream's lines; `data` parsed as JSON when it is JSON; comments (keep-alives) skipped."""
    event = "message"
    data: list = []
    for line in lines:
        if line == "":
            if data:
                text = "\n".join(data)
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = text
                yield {"event": event, "data": parsed}
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:][1:] if line[5:].startswith(" ") else line[5:])
