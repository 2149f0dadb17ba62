// The contract between frame providers (image folders, video files, synthetic scenes) and the SAM 2 engine.
// The engine imports these types from `@masklet/video`; keep the shape stable.

export interface VideoInfo {
  numFrames: number;
  width: number;
  height: number;
  fps: number;
}

export interface FrameSource {
  readonly info: VideoInfo;
  /** RGB24 interleaved, size*size*3 bytes: the frame stretched (aspect ratio NOT kept) to a size x size square, as SAM 2 preprocesses. */
  readSquare(index: number, size: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Rejects indices and sizes early, so a bad request fails with a clear message instead of a decoder hang or an empty buffer. */
export function assertFrameRequest(info: VideoInfo, index: number, size: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= info.numFrames) {
    throw new RangeError(`frame index ${index} out of range [0, ${info.numFrames})`);
  }
  if (!Number.isInteger(size) || size <= 0 || size > 8192) {
    throw new RangeError(`square size ${size} must be an integer in [1, 8192]`);
  }
}
