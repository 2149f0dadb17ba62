import { Module } from '@nestjs/common';
import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';

@Module({ providers: [MetricsService, MetricsListener], exports: [MetricsService, MetricsListener] })
export class MetricsModule {}
