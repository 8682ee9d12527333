// `npm run db:seed`: seeds the demo chain into DATABASE_URI, or the embedded database in DATA_DIR.
// With NODE_ENV=production it does nothing unless SEED_DEMO_DATA=true.
import { parseEnv, seedsDemoData } from '@retail/config';
import { openDriverAdapter } from '../driver-adapter.js';
import { PrismaService } from '../prisma.service.js';
import { describeDemoDeviceKeys, seedDemoData } from './seed-data.js';

const env = parseEnv(process.env);
if (!seedsDemoData(env)) {
  console.log('Not seeding: NODE_ENV=production without SEED_DEMO_DATA=true.');
  process.exit(0);
}
const prisma = new PrismaService(
  await openDriverAdapter({ databaseUri: process.env.DATABASE_URI, dataDir: process.env.DATA_DIR || './data' }),
);
try {
  const deviceKeys = await seedDemoData(prisma);
  console.log(
    deviceKeys
      ? "Seeded the demo chain. Every demo user's password is demo1234 (demo data only)."
      : 'Demo data already present; nothing to do.',
  );
  if (deviceKeys && env.NODE_ENV === 'development') console.log(describeDemoDeviceKeys(deviceKeys));
} finally {
  await prisma.onApplicationShutdown();
}
