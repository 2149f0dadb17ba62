import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { MaskletConfig } from '@masklet/config';
import type { OwnedDeps } from './deps';
import { CONFIG, LOGGER, OBJECT_STORE, PRISMA, QUEUES_TOKEN, REDIS } from './tokens';

const DEPS = Symbol('DEPS');

/** Shares config and connections with every module; closes what the app created on shutdown. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(DEPS) private readonly deps: OwnedDeps) {}

  static forRoot(config: MaskletConfig, deps: OwnedDeps): DynamicModule {
    const providers = [
      { provide: DEPS, useValue: deps },
      { provide: CONFIG, useValue: config },
      { provide: PRISMA, useValue: deps.prisma },
      { provide: REDIS, useValue: deps.redis },
      { provide: OBJECT_STORE, useValue: deps.store },
      { provide: QUEUES_TOKEN, useValue: deps.queues },
      { provide: LOGGER, useValue: deps.logger },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deps.close();
  }
}
