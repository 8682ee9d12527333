import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './replica.js';

/**
 * - `up`: bytes flow both ways;
 * - `down`: every connection, open or new, is cut at once (the uplink is gone);
 * - `answers-lost`: requests reach the server, but its answers never reach the client, whose
 *   connection is cut once the server has answered (the cut came after the commit).
 */
export type LinkState = 'up' | 'down' | 'answers-lost';

export interface NetworkCut {
  /** Where clients connect instead of the upstream. */
  url: string;
  set(state: LinkState): void;
  stop(): Promise<void>;
}

/** A TCP link between a client (a till) and one upstream that a test can cut, in either way. */
export async function startNetworkCut(upstreamUrl: string): Promise<NetworkCut> {
  const upstream = new URL(upstreamUrl);
  const open = new Set<Socket>();
  let state: LinkState = 'up';
  const server = createServer((client) => {
    if (state === 'down') return void client.destroy();
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const server = connect(Number(upstream.port), upstream.hostname);
    server.on('error', () => client.destroy());
    client.once('close', () => server.destroy());
    server.once('close', () => client.destroy());
    client.pipe(server);
    server.on('data', (chunk: Buffer) => {
      if (state === 'answers-lost') client.destroy();
      else client.write(chunk);
    });
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${port}`,
    set: (next) => {
      state = next;
      if (next === 'down') open.forEach((c) => c.destroy());
    },
    stop: () =>
      new Promise((done) => {
        open.forEach((c) => c.destroy());
        server.close(() => done());
      }),
  };
}
