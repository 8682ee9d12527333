import { defineConfig } from 'prisma/config';

// Used by `prisma generate` only. Migrations run through our WASM-engine runner
// (libs/database/src/migrations) so no native engine download is needed.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'npm run db:seed' },
});
