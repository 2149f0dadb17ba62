import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';

@Module({ imports: [JobsModule], controllers: [BatchesController], providers: [BatchesRepository, BatchesService] })
export class BatchesModule {}
