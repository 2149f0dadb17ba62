// @masklet/video: getting frames out of videos, image folders and synthetic scenes, one at a time.
export { assertFrameRequest, type FrameSource, type VideoInfo } from './frame-source';
export { VideoProbeError, VideoDecodeError, type VideoProbeErrorCode, type VideoDecodeErrorCode } from './errors';
export { probeVideo, type VideoProbe } from './ffprobe';
export { scanFrameIndex, type FrameIndex, type TimeBase } from './frame-index';
export { openImageDirectory, type ImageDirectorySource } from './image-dir-source';
export { everyNthFrame } from './strided-source';
export { openVideoFile, type VideoFileSource, type VideoFileOptions, type VideoReadStats } from './video-file-source';
export { frameJpeg, type FrameJpegOptions } from './frame-jpeg';
export { streamFrames, type StreamFramesOptions, type StreamedFrame } from './stream-frames';
export { resizeRgbToSquare } from './resize-square';
export { Mp4Writer, type Mp4WriterOptions } from './mp4-writer';
export * from './synthetic';
