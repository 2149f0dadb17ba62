/** Command-line options of `npm run bench -- fleet`. */
import { parseArgs } from 'node:util';
import { DEFAULT_OBJECT_SHARE, SAM21_A100_FPS, type Sam21Model } from './gpu-latency';

export interface FleetOptions {
  /** Virtual GPU workers per step of the sweep. */
  workers: number[];
  /** Tenants, each submitting `batches` batches of `jobs` jobs. */
  tenants: number;
  jobs: number;
  batches: number;
  /** Frames per job (the clip's length) and objects per job. */
  frames: number;
  objects: number;
  model: Sam21Model;
  objectShare: number;
  /** Checkpoint payload per object and frame. */
  checkpointBytes: number;
  /** Seconds per step before measuring (workers fill up) and measured. */
  warmupS: number;
  windowS: number;
  /** A step keeps up when its frames/s reach this share of the latency model's ideal. */
  keepUp: number;
}

const USAGE = `npm run bench -- fleet [--workers 10,50,100,200] [--tenants 3] [--jobs 10000] [--batches 1]
  [--frames 300] [--objects 2] [--model tiny|small|base_plus|large] [--object-share ${DEFAULT_OBJECT_SHARE}]
  [--checkpoint-bytes 256] [--warmup 10] [--window 20] [--keep-up 0.9]`;

export function parseFleetOptions(argv: string[]): FleetOptions {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      workers: { type: 'string', default: '10,50,100,200' },
      tenants: { type: 'string', default: '3' },
      jobs: { type: 'string', default: '10000' },
      batches: { type: 'string', default: '1' },
      frames: { type: 'string', default: '300' },
      objects: { type: 'string', default: '2' },
      model: { type: 'string', default: 'tiny' },
      'object-share': { type: 'string', default: String(DEFAULT_OBJECT_SHARE) },
      'checkpoint-bytes': { type: 'string', default: '256' },
      warmup: { type: 'string', default: '10' },
      window: { type: 'string', default: '20' },
      'keep-up': { type: 'string', default: '0.9' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`--${name} ${v}: expected a number in [${min}, ${max}]\n${USAGE}`);
    }
    return n;
  };
  const int = (name: string, v: string, min: number, max?: number): number => {
    const n = num(name, v, min, max);
    if (!Number.isInteger(n)) throw new Error(`--${name} ${v}: expected an integer\n${USAGE}`);
    return n;
  };
  if (!(values.model in SAM21_A100_FPS)) {
    throw new Error(`--model ${values.model}: one of ${Object.keys(SAM21_A100_FPS).join(', ')}`);
  }
  const checkpointBytes = int('checkpoint-bytes', values['checkpoint-bytes'], 4);
  if (checkpointBytes % 4 !== 0) {
    throw new Error('--checkpoint-bytes: a multiple of 4 (checkpoint blobs are word-aligned)');
  }
  return {
    workers: values.workers.split(',').map((w) => int('workers', w.trim(), 1, 2000)),
    tenants: int('tenants', values.tenants, 1, 100),
    jobs: int('jobs', values.jobs, 1, 10_000),
    batches: int('batches', values.batches, 1, 100),
    frames: int('frames', values.frames, 2, 10_000),
    objects: int('objects', values.objects, 1, 16),
    model: values.model as Sam21Model,
    objectShare: num('object-share', values['object-share'], 0, 1),
    checkpointBytes,
    warmupS: num('warmup', values.warmup, 0),
    windowS: num('window', values.window, 1),
    keepUp: num('keep-up', values['keep-up'], 0, 1),
  };
}
