/**
 * A child process of the reconnect storm: some of its dashboards, so that the load client is not one
 * event loop for all of them (2,000 real dashboards are 2,000 devices). Each sale a dashboard gets
 * is reported to the parent as [dashboard, saleId, epoch ms], in batches.
 */
import { createRealtimeClient, type RealtimeClient } from '@retail/realtime-client';
import { EVENTS } from '@retail/realtime-protocol';
import { pool } from './pool.js';

export interface StormDashboardsStart {
  url: string;
  token: string;
  /** The index of this child's first dashboard among all of them. */
  first: number;
  count: number;
}
export type StormDashboardsMessage =
  { type: 'ready' } | { type: 'received'; receipts: Array<[number, string, number]> } | { type: 'closed' };

const BATCH_MS = 50;
const send = (message: StormDashboardsMessage) => process.send!(message);

process.once('message', async ({ url, token, first, count }: StormDashboardsStart) => {
  const clients: RealtimeClient[] = [];
  let receipts: Array<[number, string, number]> = [];
  const flush = () => {
    if (receipts.length) send({ type: 'received', receipts });
    receipts = [];
  };
  const flushing = setInterval(flush, BATCH_MS);
  await pool(count, 100, async (i) => {
    const client = createRealtimeClient({
      url,
      namespace: 'pos',
      getToken: () => token,
      transports: ['websocket'],
      onError: () => undefined,
    });
    client.on(EVENTS.posSaleCompleted.name, (sale) => receipts.push([first + i, sale.data.saleId, Date.now()]));
    clients.push(client);
    await client.ready();
  });
  send({ type: 'ready' });
  // The next message: close.
  process.once('message', async () => {
    clearInterval(flushing);
    flush();
    await Promise.all(clients.map((c) => c.close()));
    send({ type: 'closed' });
    process.disconnect();
  });
});
