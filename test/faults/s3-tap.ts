// An HTTP proxy in front of the S3 endpoint that lets a fault test act at an exact point of an upload:
// requests pass through unchanged (Host header included, so SigV4 signatures still verify); the first one
// `match` accepts reaches S3 and is stored, but its answer is never relayed to the client.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Tap {
  endpoint: string;
  /** Resolves with the path of the first request `match` accepted, once S3 has answered it. */
  stored: Promise<string>;
  close(): Promise<void>;
}

export async function startS3Tap(upstream: string, match: (req: IncomingMessage) => boolean): Promise<S3Tap> {
  const target = new URL(upstream);
  let fired = false;
  let onStored!: (path: string) => void;
  const stored = new Promise<string>((r) => (onStored = r));
  const server: Server = createServer((req, res) => {
    const hold = !fired && match(req);
    if (hold) fired = true;
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (hold) {
          answer.resume();
          answer.on('end', () => onStored(req.url ?? ''));
          return; // the client never hears that its object is stored
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stored,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
