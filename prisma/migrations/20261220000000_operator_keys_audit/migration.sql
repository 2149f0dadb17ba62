-- Operator keys: a platform principal separate from tenant admins.
ALTER TABLE "ApiKey" ADD COLUMN "operator" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "keyPrefix" TEXT NOT NULL,
    "tenantId" UUID,
    "action" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_createdAt_idx" ON "AuditEvent"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_apiKeyId_createdAt_idx" ON "AuditEvent"("apiKeyId", "createdAt");
