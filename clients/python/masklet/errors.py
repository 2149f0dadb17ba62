"""Typed errors: every API answer that is not 2xx becomes an ApiError subclass carrying the API's
stable code ({"error": {"code", "message", "details"}}), so callers branch on the class or the code."""
from __future__ import annotations

from typing import Any, Dict, Optional, Type


class MaskletError(Exception):
    """Anything the SDK raises on purpose."""


class ConfigError(MaskletError):
    """Missing or malformed client configuration (MASKLET_URL, MASKLET_API_KEY)."""


class ApiError(MaskletError):
    """An error answer of the API: HTTP status, stable code, message naming the problem."""

    retryable = False

    def __init__(self, status: int, code: str, message: str, details: Any = None, retry_after: Optional[float] = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retry_after = retry_after


class BadRequestError(ApiError):
    """400: the request is malformed (VALIDATION_FAILED, UNKNOWN_FIELD, EMPTY_PROMPT, ...)."""


class AuthenticationError(ApiError):
    """401: missing, malformed or revoked API key."""


class PermissionDeniedError(ApiError):
    """403: the key lacks the scope, or the bucket/prefix is not allowed."""


class NotFoundError(ApiError):
    """404: the resource does not exist for this tenant (JOB_NOT_FOUND, EXPORT_NOT_FOUND, ROUND_NOT_FOUND, ...)."""


class ConflictError(ApiError):
    """409: the resource is in a state that forbids this (ROUND_IN_PROGRESS, JOB_NOT_CORRECTABLE, ...)."""


class PayloadTooLargeError(ApiError):
    """413: UPLOAD_TOO_LARGE."""


class UnsupportedMediaError(ApiError):
    """415: NOT_A_VIDEO, UNSUPPORTED_MEDIA_TYPE."""


class UnprocessableError(ApiError):
    """422: well-formed but not acceptable (UNKNOWN_FORMAT, FRAME_OUT_OF_RANGE, POINT_OUTSIDE_FRAME, ...)."""


class UnknownFormatError(UnprocessableError):
    """422 UNKNOWN_FORMAT: the export format is not one the API knows; the message lists the known ones."""


class RateLimitedError(ApiError):
    """429: too many requests; retry after `retry_after` seconds."""

    retryable = True


class ServiceUnavailableError(ApiError):
    """503: a dependency (database, queue, storage) is down; retry after `retry_after` seconds."""

    retryable = True


class ChecksumMismatchError(MaskletError):
    """A downloaded export's sha256 differs from the one the API lists."""

    code = "CHECKSUM_MISMATCH"


class JobFailedError(MaskletError):
    """A job (or one of its rounds) ended FAILED or CANCELLED while being waited on."""

    def __init__(self, job_id: str, status: str, error: Optional[Dict[str, Any]]):
        why = f": {error.get('code')}: {error.get('message')}" if error else ""
        super().__init__(f"job {job_id} ended {status}{why}")
        self.job_id = job_id
        self.status = status
        self.error = error


class WaitTimeoutError(MaskletError):
    """Waiting for a job, batch or export ran past its timeout."""


_BY_STATUS: Dict[int, Type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaError,
    422: UnprocessableError,
    429: RateLimitedError,
    503: ServiceUnavailableError,
}
_BY_CODE: Dict[str, Type[ApiError]] = {"UNKNOWN_FORMAT": UnknownFormatError}


def error_class(status: int, code: str) -> Type[ApiError]:
    """The most specific class for an answer: by code first, then by status."""
    return _BY_CODE.get(code) or _BY_STATUS.get(status) or ApiError


def api_error(status: int, body: Any, text: str = "", retry_after: Optional[float] = None) -> ApiError:
    """Builds the typed error from an error answer's status and parsed JSON body."""
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict) and isinstance(err.get("code"), str):
        code, message, details = err["code"], str(err.get("message", "")), err.get("details")
    else:
        code, message, details = f"HTTP_{status}", (text or "").strip()[:500] or f"HTTP {status}", None
    return error_class(status, code)(status, code, message, details, retry_after)
