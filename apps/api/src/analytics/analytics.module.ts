import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { AnnotationSessionsService } from './annotation-sessions.service';

@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnnotationSessionsService],
  exports: [AnnotationSessionsService],
})
export class AnalyticsModule {}
