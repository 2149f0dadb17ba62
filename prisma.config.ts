// Prisma CLI configuration (Prisma 7). The CLI is used for `prisma generate` (npm run db:generate), which needs
// no database and no schema-engine binary; migrations are applied offline by `npm run db:migrate`, and
// `prisma migrate deploy` (where the engine can be downloaded) reads the same prisma/migrations.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://masklet:masklet@127.0.0.1:55432/masklet' },
});
