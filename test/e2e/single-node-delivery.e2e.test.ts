import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { startReplica } from '@retail/testing';
import { eventDeliverySuite } from './event-delivery.suite.js';

// The one-command mode: embedded PGlite, no Redis, sockets on the HTTP port. Needs no services.
describe('event delivery on a single embedded node', () => {
  eventDeliverySuite(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rt-embedded-'));
    const node = await startReplica('embedded', { DATA_DIR: dataDir, JWT_SECRET: '', WEBSOCKET_PORT: 'same' });
    return {
      trigger: node.httpUrl,
      listen: { a: node.wsUrl, b: node.wsUrl, c: node.wsUrl },
      stop: async () => (await node.stop(), rmSync(dataDir, { recursive: true, force: true })),
    };
  });
});
