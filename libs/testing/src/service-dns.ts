import { createSocket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import dnsPacket from 'dns-packet';

export interface ServiceDns {
  /** The UDP port it answers on, at 127.0.0.1. */
  port: number;
  /** From now on `name` resolves to these addresses (A records), as Docker's DNS does for a scaled service. */
  publish(name: string, addresses: string[]): void;
  stop(): Promise<void>;
}

/** A minimal DNS server on loopback: A records for the names published, nothing else. */
export async function startServiceDns(): Promise<ServiceDns> {
  const records = new Map<string, string[]>();
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const answers = (query.questions ?? []).flatMap((q) =>
      q.type === 'A' ? (records.get(q.name) ?? []).map((data) => ({ type: 'A' as const, name: q.name, ttl: 1, data })) : [],
    );
    const response = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED,
      questions: query.questions,
      answers,
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    publish: (name, addresses) => void records.set(name, addresses),
    stop: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/**
 * Makes `host:port` (another loopback address, e.g. 127.0.0.2) reach `target`, byte for byte: replicas
 * then appear, as in Docker, at distinct addresses on one port.
 */
export async function forwardAddress(host: string, port: number, target: string): Promise<Server> {
  const { hostname, port: targetPort } = new URL(target);
  const server = createServer((client) => {
    const upstream = connect(Number(targetPort), hostname);
    client.pipe(upstream).pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
