// `npm run db:seed`: seeds the demo chain into DATABASE_URI, or the embedded database in DATA_DIR.
import { openDriverAdapter } from '../libs/database/src/driver-adapter.js';
import { PrismaClient } from './generated/client.js';
import { seedDemoData } from './seed-data.js';

const driver = await openDriverAdapter({ databaseUri: process.env.DATABASE_URI, dataDir: process.env.DATA_DIR || './data' });
const prisma = new PrismaClient({ adapter: driver.factory });
try {
  const created = await seedDemoData(prisma);
  console.log(created ? 'Seeded the demo chain. Every demo user\'s password is demo1234 (demo data only).' : 'Demo data already present; nothing to do.');
} finally {
  await prisma.$disconnect();
  await driver.close();
}
