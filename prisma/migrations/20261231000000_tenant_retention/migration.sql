-- Per-tenant retention of jobs and videos (days); null falls back to RETENTION_DAYS.
ALTER TABLE "Tenant" ADD COLUMN "retentionDays" INTEGER;
