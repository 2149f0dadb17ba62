import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { VideosModule } from '../videos/videos.module';
import { JobEventsService } from './job-events.service';
import { JobSubmissionService } from './job-submission.service';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { MaskletsService } from './masklets.service';
import { PreviewDispatch } from './preview-dispatch';
import { PreviewService } from './preview.service';
import { RoundsController } from './rounds.controller';
import { RoundsService } from './rounds.service';
import { VideoPreviewController } from './video-preview.controller';
import { VideoPreviewService } from './video-preview.service';

@Module({
  imports: [VideosModule, AnalyticsModule],
  controllers: [JobsController, RoundsController, VideoPreviewController],
  providers: [
    JobsRepository,
    JobSubmissionService,
    JobsService,
    JobEventsService,
    MaskletsService,
    RoundsService,
    PreviewDispatch,
    PreviewService,
    VideoPreviewService,
  ],
  exports: [JobsRepository, JobSubmissionService],
})
export class JobsModule {}
