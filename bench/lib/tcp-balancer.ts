import { connect, createServer, type Socket } from 'node:net';
import { freePort } from '@retail/testing';

export interface TcpBalancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A bench-only TCP balancer on loopback, so the storm needs no nginx: every connection goes to the
 * first upstream, as one NAT address does behind ip_hash; once it refuses, new connections are
 * spread round-robin over the others.
 */
export async function startTcpBalancer(upstreams: string[]): Promise<TcpBalancer> {
  const targets = upstreams.map((u) => new URL(u));
  const connections = new Set<Socket>();
  let spread = 0;
  const server = createServer((client) => {
    client.pause();
    connections.add(client);
    client.once('close', () => connections.delete(client));
    client.on('error', () => client.destroy());
    const attempt = (tries: number, index: number) => {
      if (tries >= targets.length) return void client.destroy();
      const upstream = connect(Number(targets[index].port), targets[index].hostname);
      let connected = false;
      upstream.on('error', () => (connected ? client.destroy() : attempt(tries + 1, 1 + (spread++ % (targets.length - 1)))));
      upstream.once('connect', () => {
        connected = true;
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
    };
    attempt(0, 0);
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        connections.forEach((c) => c.destroy());
        server.close(() => done());
      }),
  };
}
