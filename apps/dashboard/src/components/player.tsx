import { useEffect, useRef, type MouseEvent } from 'react';
import { paintLayers, type Layer } from '../masks';

export interface PlayerProps {
  width: number;
  height: number;
  /** Object URL of the frame's JPEG (null while loading). */
  image: string | null;
  /** The frame `image` shows (exposed as data-frame once drawn). */
  imageFrame?: number | null;
  layers: Layer[];
  /** Clicks in video pixels; shift-click or right-click is negative. */
  onClick?: (x: number, y: number, positive: boolean) => void;
  points?: { x: number; y: number; label: 0 | 1 }[];
}

/** The frame with mask overlays on a canvas at video resolution (CSS scales it to fit). */
export function Player({ width, height, image, imageFrame = null, layers, onClick, points = [] }: PlayerProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<ImageData | null>(null);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    let live = true;
    const draw = (img: HTMLImageElement | null) => {
      if (!live) return;
      ctx.clearRect(0, 0, width, height);
      if (img) ctx.drawImage(img, 0, 0, width, height);
      if (!overlay.current || overlay.current.width !== width || overlay.current.height !== height) overlay.current = new ImageData(width, height);
      const painted = paintLayers(overlay.current, layers);
      const tmp = document.createElement('canvas');
      tmp.width = width;
      tmp.height = height;
      tmp.getContext('2d')!.putImageData(overlay.current, 0, 0);
      ctx.drawImage(tmp, 0, 0);
      for (const p of points) {
        ctx.beginPath();
        ctx.arc(p.x, p.y, Math.max(4, width / 120), 0, Math.PI * 2);
        ctx.fillStyle = p.label === 1 ? '#2ecc40' : '#ff4136';
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = '#fff';
        ctx.stroke();
      }
      // Read by the browser tests (and handy when debugging): what the overlay holds right now.
      c.dataset.overlayPixels = String(painted);
      c.dataset.layers = String(layers.length);
      c.dataset.frameLoaded = String(img !== null);
      c.dataset.frame = img !== null && imageFrame !== null ? String(imageFrame) : '';
    };
    if (!image) {
      draw(null);
      return () => void (live = false);
    }
    const img = new Image();
    img.onload = () => draw(img);
    img.onerror = () => undefined; // keep what is on screen; the next frame or layer change redraws
    img.src = image;
    return () => void (live = false);
  }, [image, imageFrame, layers, points, width, height]);

  const click = (e: MouseEvent<HTMLCanvasElement>, positive: boolean) => {
    if (!onClick || !canvas.current) return;
    const r = canvas.current.getBoundingClientRect();
    const x = Math.round(((e.clientX - r.left) / r.width) * width);
    const y = Math.round(((e.clientY - r.top) / r.height) * height);
    onClick(Math.min(width - 1, Math.max(0, x)), Math.min(height - 1, Math.max(0, y)), positive);
  };
  return (
    <canvas
      ref={canvas}
      data-testid="player"
      className="player"
      width={width}
      height={height}
      onClick={(e) => click(e, !e.shiftKey)}
      onContextMenu={(e) => {
        e.preventDefault();
        click(e, false);
      }}
    />
  );
}
