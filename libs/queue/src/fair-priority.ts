/** BullMQ's largest priority (lower runs first). */
export const MAX_BULL_PRIORITY = 2 ** 21 - 1;

/**
 * Fair scheduling across tenants with one shared queue: a job's BullMQ priority is its rank in its
 * own tenant's backlog (how many of that tenant's jobs are waiting ahead of it), refined by the
 * client's priority 1..10. A tenant that submits 10,000 jobs gets ranks 0..9,999; another tenant's
 * single job gets rank 0 and runs next, whatever the size of the first backlog.
 */
export function fairPriority(backlogRank: number, clientPriority: number): number {
  const urgency = 10 - Math.min(10, Math.max(1, Math.round(clientPriority)));
  return Math.min(MAX_BULL_PRIORITY, 1 + backlogRank * 10 + urgency);
}
