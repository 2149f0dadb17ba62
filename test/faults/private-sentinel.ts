// A Sentinel-managed Redis owned by one fault test: a primary, two replicas and three Sentinels (quorum 2), every
// data node with AOF and `min-replicas-to-write 1`, on free loopback ports. Sentinel mode is redis-server's own
// (`redis-server <conf> --sentinel`), so nothing beyond the redis-server package is needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis, { type Redis } from 'ioredis';
import { freePort } from '../e2e/free-port';
import { waitFor } from '../worker/support';

export const MASTER_NAME = 'masklet-fault';

export interface SentinelSet {
  /** The REDIS_SENTINELS value naming the three Sentinels. */
  sentinels: string;
  /** Port of the node the Sentinels call primary now. */
  primaryPort(): Promise<number>;
  /** SIGKILL of the current primary (no shutdown, no final AOF fsync); returns its port. */
  killPrimary(): Promise<number>;
  /** Waits until the Sentinels have promoted another node and it accepts writes with a replica attached. */
  failedOver(oldPort: number, timeoutMs?: number): Promise<number>;
  /** A direct admin connection to one data node (INFO, CONFIG GET). */
  node(port: number): Redis;
  stop(): Promise<void>;
}

function info(text: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(text)?.[1]?.trim();
}

export async function startSentinelSet(): Promise<SentinelSet> {
  const dir = await mkdtemp(join(tmpdir(), 'masklet-fault-sentinel-'));
  const procs = new Map<number, ChildProcess>();
  const admins = new Map<number, Redis>();
  const connect = (port: number): Redis => {
    const r = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
    r.on('error', () => undefined);
    return r;
  };
  // One admin connection per node, made again once it has ended (its node was killed).
  const node = (port: number): Redis => {
    let r = admins.get(port);
    if (!r || r.status === 'end') admins.set(port, (r = connect(port)));
    return r;
  };
  const ping = async (port: number): Promise<boolean> => {
    const r = connect(port);
    try {
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  };
  const launch = async (port: number, args: string[]): Promise<void> => {
    const p = spawn('redis-server', args, { stdio: 'ignore' });
    procs.set(port, p);
    await waitFor(`redis on ${port}`, () => ping(port), 10_000, 50);
  };

  const [primary, ...replicas] = [await freePort(), await freePort(), await freePort()] as [number, number, number];
  const dataNode = (port: number, replicaOf?: number): string[] => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    join(dir, `n${port}`),
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    // A primary cut off from every replica for 5 s refuses writes, bounding what a failover can drop.
    '--min-replicas-to-write',
    '1',
    '--min-replicas-max-lag',
    '5',
    ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
  ];
  for (const port of [primary, ...replicas]) await mkdir(join(dir, `n${port}`));
  await launch(primary, dataNode(primary));
  for (const port of replicas) await launch(port, dataNode(port, primary));
  const p = node(primary);
  await waitFor(
    'both replicas in sync',
    async () => {
      const text = await p.info('replication');
      return Number(info(text, 'connected_slaves')) === 2 && !/state=(wait_bgsave|send_bulk)/.test(text);
    },
    15_000,
    100,
  );

  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  for (const port of sentinelPorts) {
    const conf = join(dir, `sentinel-${port}.conf`);
    // Sentinel rewrites its config file (discovered peers, epochs), so each gets its own writable copy.
    await writeFile(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        'protected-mode no',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 3000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 2`,
        '',
      ].join('\n'),
    );
    await launch(port, [conf, '--sentinel']);
  }
  // Quorum and election need every Sentinel to know the others and the replicas (hello messages, ~2 s).
  for (const port of sentinelPorts) {
    const s = node(port);
    await waitFor(
      `sentinel ${port} sees its peers and replicas`,
      async () => {
        const peers = (await s.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[];
        const reps = (await s.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
        return peers.length === 2 && reps.length === 2;
      },
      20_000,
      200,
    );
  }

  const primaryPort = async (): Promise<number> => {
    const addr = (await node(sentinelPorts[0]!).call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [
      string,
      string,
    ];
    return Number(addr[1]);
  };
  return {
    sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','),
    primaryPort,
    node,
    async killPrimary() {
      const port = await primaryPort();
      const proc = procs.get(port)!;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      return port;
    },
    failedOver(oldPort, timeoutMs = 30_000) {
      return waitFor(
        'a promoted primary with a replica',
        async () => {
          const port = await primaryPort().catch(() => oldPort);
          if (port === oldPort) return null;
          const text = await node(port)
            .info('replication')
            .catch(() => '');
          return info(text, 'role') === 'master' && Number(info(text, 'connected_slaves')) >= 1 ? port : null;
        },
        timeoutMs,
        100,
      );
    },
    async stop() {
      for (const r of admins.values()) r.disconnect();
      for (const proc of procs.values()) {
        if (proc.exitCode !== null || proc.signalCode !== null) continue;
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
