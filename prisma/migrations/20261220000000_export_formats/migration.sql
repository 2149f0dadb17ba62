-- Export formats: YOLO segmentation and CVAT for video (libs/contract/src/export-formats.ts).
ALTER TYPE "ExportKind" ADD VALUE 'YOLO_SEG_ZIP';
ALTER TYPE "ExportKind" ADD VALUE 'CVAT_VIDEO_XML';

-- The stored file's sha256, listed by GET /v1/jobs/:id/exports.
ALTER TABLE "Export" ADD COLUMN "sha256" TEXT;
