import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { paintLayers, type Layer } from '../masks';
import type { Box, Point } from '../types';

export interface PlayerProps {
  width: number;
  height: number;
  /** Object URL of the frame's JPEG (null while loading). */
  image: string | null;
  /** The frame `image` shows (exposed as data-frame once drawn). */
  imageFrame?: number | null;
  layers: Layer[];
  /** The frame `layers` belong to (exposed as data-mask-frame once painted). */
  layersFrame?: number | null;
  /** Clicks in video pixels; shift-click or right-click is negative. */
  onClick?: (x: number, y: number, positive: boolean) => void;
  /** A drag, in video pixels; without it a drag counts as a click where it started. */
  onBox?: (box: Box) => void;
  points?: Point[];
  boxes?: Box[];
}

/** Pointer travel (CSS px) that turns a press into a drag. */
const DRAG_PX = 5;

/**
 * The frame (a canvas), the mask overlay (a second canvas at video resolution, read pixel by pixel by
 * the browser tests) and the prompts (SVG) stacked; CSS scales all three to fit.
 */
export function Player({
  width,
  height,
  image,
  imageFrame = null,
  layers,
  layersFrame = null,
  onClick,
  onBox,
  points = [],
  boxes = [],
}: PlayerProps) {
  const root = useRef<HTMLDivElement>(null);
  const frameCanvas = useRef<HTMLCanvasElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const press = useRef<{ x: number; y: number; cx: number; cy: number; positive: boolean } | null>(null);
  const [drag, setDrag] = useState<Box | null>(null);

  useEffect(() => {
    const c = frameCanvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !root.current) return;
    const el = root.current;
    let live = true;
    const draw = (img: HTMLImageElement | null) => {
      if (!live) return;
      ctx.clearRect(0, 0, width, height);
      if (img) ctx.drawImage(img, 0, 0, width, height);
      el.dataset.frameLoaded = String(img !== null);
      el.dataset.frame = img !== null && imageFrame !== null ? String(imageFrame) : '';
    };
    if (!image) {
      draw(null);
      return () => void (live = false);
    }
    const img = new Image();
    img.onload = () => draw(img);
    img.onerror = () => undefined; // keep what is on screen; the next frame redraws
    img.src = image;
    return () => void (live = false);
  }, [image, imageFrame, width, height]);

  useEffect(() => {
    const ctx = overlayCanvas.current?.getContext('2d');
    if (!ctx || !root.current) return;
    const overlay = new ImageData(width, height);
    const perLayer: number[] = [];
    const painted = paintLayers(overlay, layers, perLayer);
    ctx.putImageData(overlay, 0, 0);
    // Read by the browser tests (and handy when debugging): what the overlay holds right now.
    const el = root.current;
    el.dataset.overlayPixels = String(painted);
    el.dataset.layerPixels = perLayer.join(',');
    el.dataset.layers = String(layers.length);
    el.dataset.maskFrame = layersFrame === null ? '' : String(layersFrame);
  }, [layers, layersFrame, width, height]);

  const toVideo = (e: PointerEvent<HTMLDivElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.round(((e.clientX - r.left) / r.width) * width);
    const y = Math.round(((e.clientY - r.top) / r.height) * height);
    return [Math.min(width - 1, Math.max(0, x)), Math.min(height - 1, Math.max(0, y))];
  };
  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 && e.button !== 2) return;
    const [x, y] = toVideo(e);
    press.current = { x, y, cx: e.clientX, cy: e.clientY, positive: e.button === 0 && !e.shiftKey };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const p = press.current;
    if (!p || !onBox || !p.positive || Math.hypot(e.clientX - p.cx, e.clientY - p.cy) < DRAG_PX) return;
    const [x, y] = toVideo(e);
    setDrag({ x0: Math.min(p.x, x), y0: Math.min(p.y, y), x1: Math.max(p.x, x), y1: Math.max(p.y, y) });
  };
  const up = () => {
    const p = press.current;
    press.current = null;
    if (!p) return;
    if (drag && drag.x1 > drag.x0 && drag.y1 > drag.y0) onBox?.(drag);
    else onClick?.(p.x, p.y, p.positive);
    setDrag(null);
  };

  const r = Math.max(4, width / 120);
  return (
    <div
      ref={root}
      data-testid="player"
      className="player"
      style={{ aspectRatio: `${width} / ${height}` }}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={() => {
        press.current = null;
        setDrag(null);
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      <canvas ref={frameCanvas} width={width} height={height} />
      <canvas ref={overlayCanvas} data-testid="player-overlay" width={width} height={height} />
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none">
        {boxes.map((b, i) => (
          <rect
            key={i}
            data-testid="prompt-box"
            x={b.x0}
            y={b.y0}
            width={b.x1 - b.x0}
            height={b.y1 - b.y0}
            className="prompt-box"
          />
        ))}
        {drag && (
          <rect
            data-testid="drag-box"
            x={drag.x0}
            y={drag.y0}
            width={drag.x1 - drag.x0}
            height={drag.y1 - drag.y0}
            className="prompt-box dragging"
          />
        )}
        {points.map((p, i) => (
          <circle
            key={i}
            data-testid="prompt-point"
            cx={p.x}
            cy={p.y}
            r={r}
            className={p.label === 1 ? 'point positive' : 'point negative'}
          />
        ))}
      </svg>
    </div>
  );
}
