// CLI: write a synthetic clip with exact ground-truth masks (see libs/video/src/synthetic.ts).
//   npx tsx scripts/make-synthetic.ts --out .tmp/syn --frames 300 --seed 7 --occlusion --late 40 --mp4
import { parseArgs } from 'node:util';
import { writeSyntheticClip, type SyntheticScenario } from '@masklet/video';

const USAGE = `usage: tsx scripts/make-synthetic.ts --out DIR [options]
  --frames N         frame count (60)
  --width W          frame width (854)
  --height H         frame height (480)
  --fps F            frame rate (24)
  --seed S           seed, number or string (1)
  --objects N        tracked objects, 1..8 (2)
  --occlusion[=MODE] hide object 0 for a span; MODE occluder (default) or exit (leaves the frame)
  --late[=K]         last object first appears at frame K (default 30% of the clip)
  --scale-change A   relative size oscillation, 0 = rigid (0.2)
  --mp4              also encode DIR/clip.mp4 (H.264 crf 12)
  --gop N            keyframe interval of the mp4
  --no-frames        skip frames/*.jpg (masks and meta.json are always written)`;

/** `--occlusion` and `--late` take an optional value, which parseArgs cannot express: give them an explicit one. */
function normaliseOptionalValues(argv: string[]): string[] {
  const defaults: Record<string, string> = { '--occlusion': 'occluder', '--late': 'auto' };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const fallback = defaults[a];
    if (fallback === undefined) {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(`${a}=${fallback}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      frames: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      fps: { type: 'string' },
      seed: { type: 'string' },
      objects: { type: 'string' },
      occlusion: { type: 'string' },
      late: { type: 'string' },
      'scale-change': { type: 'string' },
      mp4: { type: 'boolean' },
      gop: { type: 'string' },
      'no-frames': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    args: normaliseOptionalValues(process.argv.slice(2)),
  });
  if (values.help || !values.out) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const int = (s: string | undefined, name: string): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${s}`);
    return n;
  };
  const mode = values.occlusion;
  if (mode !== undefined && mode !== 'occluder' && mode !== 'exit')
    throw new Error(`--occlusion must be occluder or exit, got ${mode}`);
  const scaleChange = int(values['scale-change'], 'scale-change');
  const objects = int(values.objects, 'objects');
  const lateFrame = values.late === undefined || values.late === 'auto' ? undefined : int(values.late, 'late');
  const scenario: SyntheticScenario = {
    ...(objects !== undefined ? { objects } : {}),
    ...(scaleChange !== undefined ? { scaleChange } : {}),
    ...(mode ? { occlusion: { mode } } : {}),
    ...(values.late !== undefined ? { lateObject: lateFrame !== undefined ? { frame: lateFrame } : true } : {}),
  };
  const gop = int(values.gop, 'gop');
  const seed = values.seed === undefined ? 1 : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const started = Date.now();
  const { meta, mp4Path } = await writeSyntheticClip({
    outDir: values.out,
    ...(values.frames !== undefined ? { frames: int(values.frames, 'frames')! } : {}),
    ...(values.width !== undefined ? { width: int(values.width, 'width')! } : {}),
    ...(values.height !== undefined ? { height: int(values.height, 'height')! } : {}),
    ...(values.fps !== undefined ? { fps: int(values.fps, 'fps')! } : {}),
    seed,
    scenario,
    mp4: values.mp4 ? (gop !== undefined ? { gop } : true) : false,
    frameFiles: !values['no-frames'],
  });
  const summary = meta.objects.map(
    (o) =>
      `#${o.id} ${o.shape} first visible ${o.firstVisibleFrame}, hidden in ${o.visible.filter((v) => !v).length} frames`,
  );
  console.log(
    `wrote ${meta.frames} frames ${meta.width}x${meta.height} to ${values.out} in ${Date.now() - started} ms${mp4Path ? ` (+ ${mp4Path})` : ''}`,
  );
  for (const line of summary) console.log(`  ${line}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
