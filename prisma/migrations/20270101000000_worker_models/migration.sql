-- Workers advertise the models they serve and the queues they consume (model routing, worker pools).
ALTER TABLE "Worker" ADD COLUMN "models" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Worker" ADD COLUMN "queues" TEXT[] DEFAULT ARRAY[]::TEXT[];
