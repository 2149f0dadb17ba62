import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MaskletConfig } from '@masklet/config';
import { CONFIG } from '../core/tokens';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics on a listener of their own (API_METRICS_PORT on METRICS_HOST, loopback unless a
 * scraper must reach it), never on the public API port: queue depths, worker counts and job ages are
 * operator data. Port 0 serves no metrics.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(CONFIG) private readonly config: MaskletConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.API_METRICS_PORT === 0) return;
    const registry = this.metrics.registry;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.API_METRICS_PORT, this.config.METRICS_HOST, () => resolve());
    });
    this.server = server;
  }

  /** Where metrics are served; null when API_METRICS_PORT is 0. */
  address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
