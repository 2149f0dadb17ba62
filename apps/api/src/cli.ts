// npm run cli -- tenant:create <name>
// npm run cli -- key:create --tenant <id|name> --scopes submit,read,correct,admin [--name x] [--operator]
// npm run cli -- key:revoke <prefix>
// npm run cli -- storage:job <jobId>
import { loadConfig } from '@masklet/config';
import { createPrismaClient } from '@masklet/db';
import { jobStorageReport } from '@masklet/lifecycle';
import { createObjectStoreFromEnv } from '@masklet/storage';
import { parseScopes } from './auth/api-key-format';
import { TenantAdminService } from './auth/tenant-admin.service';

const USAGE = `usage:
  cli tenant:create <name>
  cli key:create --tenant <id|name> --scopes submit,read,correct,admin [--name <label>] [--operator]
      --operator: a platform operator key (every tenant, fleet, bull-board; its actions are audit-logged)
  cli key:revoke <prefix>
  cli storage:job <jobId>   S3 bytes of a job by kind and checkpoint bytes per frame per object (JSON)`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === '--help' || cmd === 'help') {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  const config = loadConfig();
  const prisma = createPrismaClient(config.DATABASE_URL);
  const admin = new TenantAdminService(prisma);
  try {
    switch (cmd) {
      case 'tenant:create': {
        const name = args[0];
        if (!name) throw new Error('tenant:create needs a name');
        const t = await admin.createTenant(name);
        console.log(
          `tenant id:      ${t.id}\ntenant name:    ${t.name}\nwebhook secret: ${t.webhookSecret}  (shown once)`,
        );
        return 0;
      }
      case 'key:create': {
        const tenant = flag(args, 'tenant');
        const scopes = flag(args, 'scopes');
        if (!tenant || !scopes) throw new Error('key:create needs --tenant and --scopes');
        const k = await admin.createKey(tenant, parseScopes(scopes), flag(args, 'name') ?? 'default', {
          operator: args.includes('--operator'),
        });
        console.log(
          `api key: ${k.key}  (shown once; store it now)\nprefix:  ${k.prefix}\nscopes:  ${k.scopes.join(',')}\ntenant:  ${k.tenantId}${k.operator ? '\noperator: yes' : ''}`,
        );
        return 0;
      }
      case 'key:revoke': {
        const prefix = args[0];
        if (!prefix) throw new Error('key:revoke needs the key prefix');
        const r = await admin.revokeKey(prefix);
        console.log(`revoked ${r.prefix} at ${r.revokedAt.toISOString()}`);
        return 0;
      }
      case 'storage:job': {
        const jobId = args[0];
        if (!jobId) throw new Error('storage:job needs a job id');
        console.log(JSON.stringify(await jobStorageReport(prisma, createObjectStoreFromEnv(config), jobId), null, 2));
        return 0;
      }
      default:
        console.error(`unknown command ${cmd}\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
