/** Every error the API answers: a stable machine-readable code, an HTTP status and a message naming the problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown): ApiError =>
  new ApiError(400, code, message, details);
export const notFound = (what: string, id: string): ApiError =>
  new ApiError(404, `${what.toUpperCase()}_NOT_FOUND`, `${what} ${id} not found`);
export const conflict = (code: string, message: string): ApiError => new ApiError(409, code, message);
export const unprocessable = (code: string, message: string, details?: unknown): ApiError =>
  new ApiError(422, code, message, details);
