import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, refuseUrl } from './target-guard';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface TargetGuard {
  allowPrivate: boolean;
  /** Name resolution (tests replace it to simulate DNS rebinding); defaults to the system resolver. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

/** The target may never be reached (a private address, a bad scheme): retrying cannot help. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

const systemResolve = (host: string): Promise<ResolvedAddress[]> => dnsLookup(host, { all: true, verbatim: true });

/**
 * A `lookup` for net.connect that refuses private addresses. The socket connects to exactly the
 * addresses checked here, so there is no window between a check and a second resolution for DNS
 * rebinding to use.
 */
export function guardedLookup(guard: TargetGuard): LookupFunction {
  const resolve = guard.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((found) => {
        const wanted =
          options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        if (wanted.length === 0) throw new Error(`${hostname} has no address`);
        const bad = guard.allowPrivate ? undefined : wanted.find((a) => isPrivateAddress(a.address));
        if (bad) throw new TargetRefusedError(`${hostname} resolves to private/loopback address ${bad.address}`);
        if (options.all) (callback as (err: null, addresses: ResolvedAddress[]) => void)(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
  };
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * POSTs `body` to `url` over a fresh connection (no pooled socket from another target) whose address
 * passed the guard; redirects are not followed. Resolves with the status; the response body is discarded.
 */
export function guardedPost(url: string, opts: PostOptions, guard: TargetGuard): Promise<number> {
  const refused = refuseUrl(url, guard.allowPrivate);
  if (refused) return Promise.reject(new TargetRefusedError(refused));
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(guard),
        signal: AbortSignal.timeout(opts.timeoutMs),
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
      },
      (res: IncomingMessage) => {
        res.resume();
        res.on('error', () => undefined);
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
