import { toExportView } from '@masklet/contract';
import type { PrismaClient } from '@masklet/db';

/** An export as a webhook lists it: enough to download it through the API (`downloadPath`, relative to the API's base URL). */
export interface WebhookExport {
  id: string;
  round: number;
  format: string;
  fileName: string;
  status: string;
  bytes: number | null;
  sha256: string | null;
  downloadPath: string;
}

export async function webhookExports(prisma: PrismaClient, jobId: string, round: number): Promise<WebhookExport[]> {
  const rows = await prisma.export.findMany({ where: { jobId, round }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => {
    const { id, format, fileName, status, bytes, sha256, downloadPath } = toExportView(r);
    return { id, round: r.round, format, fileName, status, bytes, sha256, downloadPath };
  });
}
