-- Decoder signals per tracked frame (suggested frames to correct).
ALTER TABLE "ObjectTrackChunk" ADD COLUMN "signals" BYTEA;

-- Annotation effort per round (annotation-efficiency analytics).
ALTER TABLE "Round" ADD COLUMN "clicks" INTEGER,
ADD COLUMN "previews" INTEGER,
ADD COLUMN "activeSeconds" DOUBLE PRECISION,
ADD COLUMN "framesChanged" INTEGER,
ADD COLUMN "secondsPerFrame" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "AnnotationSession" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "firstPreviewAt" TIMESTAMP(3) NOT NULL,
    "lastPreviewAt" TIMESTAMP(3) NOT NULL,
    "previews" INTEGER NOT NULL DEFAULT 1,
    "closedByRound" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnnotationSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AnnotationSession_jobId_apiKeyId_closedByRound_key" ON "AnnotationSession"("jobId", "apiKeyId", "closedByRound");

-- CreateIndex
CREATE INDEX "AnnotationSession_tenantId_firstPreviewAt_idx" ON "AnnotationSession"("tenantId", "firstPreviewAt");

-- AddForeignKey
ALTER TABLE "AnnotationSession" ADD CONSTRAINT "AnnotationSession_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationSession" ADD CONSTRAINT "AnnotationSession_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
