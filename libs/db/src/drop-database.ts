import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

// An autovacuum worker attached to the database has no role a non-superuser may signal, so
// DROP ... WITH (FORCE) fails with 42501 until it finishes; a backend still closing gives 55006.
const TRANSIENT = new Set(['42501', '55006']);

/** Drops `name` on the server `adminUrl` points at, waiting out autovacuum and closing backends. */
export async function dropDatabase(adminUrl: string, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!TRANSIENT.has(code) || Date.now() > deadline) throw err;
    } finally {
      await c.end();
    }
    await sleep(250);
  }
}
