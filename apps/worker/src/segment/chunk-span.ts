import type { Span } from '@masklet/telemetry';
import { workerTracer } from '../runtime/instrumented';

/**
 * The `engine chunk` spans of one pass: each opens when the engine is asked for the chunk's first frame
 * and closes once its boundary is answered (the checkpoint capture included), as a child of the job span.
 */
export class ChunkSpans {
  private span: Span | null = null;
  private frames = 0;

  /** The engine is asked for a frame: opens a span unless the chunk's is open. */
  asking(pass: number): void {
    if (this.span) return;
    this.span = workerTracer().startSpan('engine chunk', { attributes: { 'masklet.pass': pass } });
    this.frames = 0;
  }

  frame(index: number): void {
    if (this.frames++ === 0) this.span?.setAttribute('masklet.chunk.first_frame', index);
  }

  /** Closes the chunk's span (nothing when none is open or it saw no frame). */
  end(lastFrame?: number): void {
    const span = this.span;
    this.span = null;
    if (!span || this.frames === 0) return;
    span.setAttribute('masklet.chunk.frames', this.frames);
    if (lastFrame !== undefined) span.setAttribute('masklet.chunk.last_frame', lastFrame);
    span.end();
  }
}
