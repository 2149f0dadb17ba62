import os
import tempfile
import unittest

from masklet import errors
from masklet.client import JobRequest
from masklet.transport import multipart_file
from masklet.progress import ProgressBar
from masklet.sse import parse_events
from masklet.types import Box, Correction, ObjectSpec, Point, Prompt


class ErrorsTest(unittest.TestCase):
    def test_codes_and_statuses_map_to_classes(self):
        e = errors.api_error(422, {"error": {"code": "UNKNOWN_FORMAT", "message": "unknown format bogus; known: coco"}})
        self.assertIsInstance(e, errors.UnknownFormatError)
        self.assertIsInstance(e, errors.UnprocessableError)
        self.assertEqual((e.status, e.code), (422, "UNKNOWN_FORMAT"))
        self.assertIn("bogus", str(e))
        self.assertIsInstance(errors.api_error(404, {"error": {"code": "JOB_NOT_FOUND", "message": "job x not found"}}), errors.NotFoundError)
        busy = errors.api_error(503, {"error": {"code": "QUEUE_UNAVAILABLE", "message": "down"}}, retry_after=5)
        self.assertIsInstance(busy, errors.ServiceUnavailableError)
        self.assertTrue(busy.retryable)
        self.assertEqual(busy.retry_after, 5)
        odd = errors.api_error(502, None, "<html>bad gateway</html>")
        self.assertEqual((type(odd), odd.code), (errors.ApiError, "HTTP_502"))


class WireTest(unittest.TestCase):
    def test_job_body(self):
        body = JobRequest("vid", [ObjectSpec(1, [Prompt(2, [Point(1, 2), Point(3, 4, False)], Box(0, 0, 5, 5))], "dog")],
                          outputs=["coco"]).to_json()
        self.assertEqual(body, {"videoId": "vid", "objects": [{"id": 1, "label": "dog", "prompts": [
            {"frame": 2, "points": [{"x": 1, "y": 2, "label": 1}, {"x": 3, "y": 4, "label": 0}], "box": {"x0": 0, "y0": 0, "x1": 5, "y1": 5}}]}],
            "options": {"outputs": ["coco"]}})
        self.assertEqual(Correction(frame=3, points=[Point(1, 1)], object_id=2).to_json(),
                         {"frame": 3, "points": [{"x": 1, "y": 1, "label": 1}], "objectId": 2})

    def test_multipart_streams_the_file_in_chunks(self):
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(b"x" * (3 << 20))
        self.addCleanup(os.unlink, f.name)
        gen, ctype = multipart_file(f.name)
        boundary = ctype.split("boundary=")[1]
        parts = list(gen)
        self.assertGreater(len(parts), 3)
        self.assertTrue(all(len(p) <= 1 << 20 for p in parts))
        body = b"".join(parts)
        self.assertTrue(body.startswith(f"--{boundary}\r\n".encode()))
        self.assertTrue(body.endswith(f"\r\n--{boundary}--\r\n".encode()))
        self.assertIn(b'name="file"', body)

    def test_sse(self):
        lines = ["event: progress", 'data: {"framesDone": 3}', "", ": keep-alive", "", "event: done", "data: plain", "data: two", ""]
        self.assertEqual(list(parse_events(lines)), [{"event": "progress", "data": {"framesDone": 3}}, {"event": "done", "data": "plain\ntwo"}])

    def test_progress_bar(self):
        self.assertEqual(ProgressBar("job", width=10).render(5, 20), "job [##........]  25.0% 5/20")
        self.assertEqual(ProgressBar("dl", unit=" B").render(42), "dl 42 B")


if __name__ == "__main__":
    unittest.main()


class FakeResponse:
    def __init__(self, status, body, headers=None):
        import json as _json
        self.status_code, self.headers = status, headers or {}
        self.text = _json.dumps(body)
        self.content = self.text.encode()

    def json(self):
        import json as _json
        return _json.loads(self.text)


class FakeSession:
    """Answers queued responses in order and records the calls (pure unit: no network)."""

    def __init__(self, answers):
        self.answers, self.calls, self.headers = list(answers), [], {}

    def request(self, method, url, **kw):
        self.calls.append((method, url))
        return self.answers.pop(0)


class RetryTest(unittest.TestCase):
    def client(self, answers):
        from masklet import Masklet
        session = FakeSession(answers)
        return Masklet("http://api", "key", session=session), session

    def test_get_retries_503_after_retry_after_then_succeeds(self):
        down = FakeResponse(503, {"error": {"code": "DATABASE_UNAVAILABLE", "message": "db down"}}, {"retry-after": "0"})
        m, s = self.client([down, FakeResponse(200, {"id": "j", "status": "RUNNING"})])
        self.assertEqual(m.get_job("j")["status"], "RUNNING")
        self.assertEqual(s.calls, [("GET", "http://api/v1/jobs/j")] * 2)
        self.assertEqual(s.headers["authorization"], "Bearer key")

    def test_get_gives_up_with_the_typed_error_and_post_is_not_retried(self):
        down = lambda: FakeResponse(503, {"error": {"code": "QUEUE_UNAVAILABLE", "message": "redis down"}}, {"retry-after": "0"})
        m, s = self.client([down(), down(), down()])
        with self.assertRaises(errors.ServiceUnavailableError) as cm:
            m.get_job("j")
        self.assertEqual((cm.exception.code, len(s.calls)), ("QUEUE_UNAVAILABLE", 3))
        m, s = self.client([down()])
        with self.assertRaises(errors.ServiceUnavailableError):
            m.submit({"videoId": "v", "objects": []})
        self.assertEqual(len(s.calls), 1)

    def test_missing_configuration(self):
        from masklet import Masklet
        with self.assertRaisesRegex(errors.ConfigError, "MASKLET_API_KEY"):
            Masklet.from_env({"MASKLET_URL": "http://x"})
