-- The job's frame range (inclusive) and each round's own progress.
ALTER TABLE "Job" ADD COLUMN "frameStart" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Job" ADD COLUMN "frameEnd" INTEGER NOT NULL DEFAULT -1;
ALTER TABLE "Round" ADD COLUMN "framesDone" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Round" ADD COLUMN "framesTotal" INTEGER NOT NULL DEFAULT 0;
-- Existing jobs: the range from the stored start frame and total.
UPDATE "Job" SET "frameStart" = COALESCE(("options"->>'startFrame')::int, 0),
                 "frameEnd" = COALESCE(("options"->>'startFrame')::int, 0) + "framesTotal" - 1;
