import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { requestSpan } from './common/request-span';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { MaskletConfig } from '@masklet/config';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuthModule } from './auth/auth.module';
import { BatchesModule } from './batches/batches.module';
import { jsonBodyParser } from './common/body-parsers';
import { AuthService } from './auth/auth.service';
import { earlyAuth } from './security/early-auth';
import { streamSlots } from './security/stream-slots';
import { ApiExceptionFilter } from './common/exception.filter';
import { PinoNestLogger } from './common/pino-nest-logger';
import { CoreModule } from './core/core.module';
import { ExportsModule } from './exports/exports.module';
import { resolveDeps, type ApiDeps } from './core/deps';
import { serveDashboard } from './dashboard/serve-dashboard';
import { mountBullBoard } from './fleet/bull-board';
import { FleetModule } from './fleet/fleet.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { MetricsModule } from './metrics/metrics.module';
import { buildOpenApiDocument } from './openapi/document';
import { OpenApiModule } from './openapi/openapi.module';
import { MetricsService } from './metrics/metrics.service';
import { SuggestionsModule } from './suggestions/suggestions.module';
import { VideosModule } from './videos/videos.module';

/**
 * The HTTP API as a Nest app (not listening yet: `await app.listen(port)`). Connections not passed in
 * `deps` are created here and closed by `app.close()`.
 */
export async function createApiApp(config: MaskletConfig, given: Partial<ApiDeps> = {}): Promise<INestApplication> {
  const deps = resolveDeps(config, given);

  @Module({
    imports: [
      CoreModule.forRoot(config, deps),
      AuthModule,
      VideosModule,
      JobsModule,
      SuggestionsModule,
      ExportsModule,
      AnalyticsModule,
      BatchesModule,
      FleetModule,
      HealthModule,
      MetricsModule,
      LifecycleModule,
      OpenApiModule,
    ],
  })
  class AppModule {}

  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: new PinoNestLogger(deps.logger),
    abortOnError: false,
  });
  app.set('x-powered-by', false);
  app.set('query parser', 'simple');
  app.useGlobalFilters(new ApiExceptionFilter(deps.logger));

  const metrics = app.get(MetricsService);
  app.use(requestSpan());
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      deps.logger.debug(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(seconds * 1000) },
        'request',
      );
    });
    next();
  });
  // Keys are checked from the headers before any body parser runs (see security/early-auth).
  app.use(earlyAuth(app.get(AuthService), config, deps.logger));
  app.use(streamSlots(app.get(AuthService), config));
  app.use(jsonBodyParser());

  // Swagger UI over the document generated from the route table (also at /v1/openapi.json).
  SwaggerModule.setup('docs', app, buildOpenApiDocument() as unknown as OpenAPIObject, {
    jsonDocumentUrl: 'docs-json',
  });

  mountBullBoard(app);
  serveDashboard(app);
  app.enableShutdownHooks();
  return app;
}
