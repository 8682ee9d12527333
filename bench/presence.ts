/**
 * The till presence scenario of `npm run bench`, on its own: 3 replicas, `--tills` tills online at
 * once (default 2000), then idle for `--idle-seconds`. Prints its section of the report.
 *   npx tsx --conditions=source bench/presence.ts --tills 200 --idle-seconds 5   (after npm run build)
 */
import { parseArgs } from 'node:util';
import { createTestDatabase, login, probeServices, REDIS_TEST_URL, startCluster } from '@retail/testing';
import { measurePresence } from './lib/presence.js';
import { presenceSection } from './lib/report.js';

const { values } = parseArgs({
  options: { tills: { type: 'string', default: '2000' }, 'idle-seconds': { type: 'string', default: '20' } },
});
const up = await probeServices();
if (!up.postgres || !up.redis)
  throw new Error('bench/presence.ts needs the shared PostgreSQL and Redis (npm run bench starts private ones)');
const db = await createTestDatabase();
const cluster = await startCluster({
  replicas: 3,
  databaseUri: db.uri,
  redisUrl: REDIS_TEST_URL,
  env: { SOCKETS_PER_USER_MAX: '100000', RATE_LIMIT_USER_PER_SECOND: '0', RATE_LIMIT_COMPANY_PER_SECOND: '0' },
});
try {
  const a = cluster.replicas[0].httpUrl;
  const result = await measurePresence({
    apiUrl: a,
    wsUrls: cluster.replicas.map((r) => r.wsUrl),
    databaseUri: db.uri,
    redisUrl: REDIS_TEST_URL,
    redisPrefix: cluster.redisPrefix,
    admin: await login(a, 'admin@demo.local'),
    tills: Number(values.tills),
    idleSeconds: Number(values['idle-seconds']),
  });
  console.log(presenceSection(result).join('\n'));
} finally {
  await cluster.stop();
  await db.drop();
}
