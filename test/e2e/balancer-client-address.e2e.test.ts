import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { BlockList } from 'node:net';
import { Redis } from 'ioredis';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeWithServices,
  REDIS_TEST_URL,
  startCluster,
  startHaproxy,
  startNginx,
  type Cluster,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

/** A failed login attempt sent from `localAddress` (every 127/8 address is this machine's): a client at that address. */
function failedLoginFrom(localAddress: string, url: string, email: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ email, password: 'a wrong guess' });
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: hostname,
        port,
        path: '/auth/login',
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (answer) => answer.resume().on('end', () => resolve(answer.statusCode!)),
    );
    sent.on('error', reject).end(body);
  });
}

interface ShippedBalancer {
  name: string;
  start: (replicas: Replica[]) => Promise<{ url: string; stop(): Promise<void> }>;
  /** Each balancer's own account and addresses, so the counters of one never meet the other's. */
  email: string;
  client: string;
  neighbour: string;
  /** The /24 the client claims to be in. */
  spoofed: string;
}
const BALANCERS: ShippedBalancer[] = [
  {
    name: 'HAProxy (infra/haproxy/haproxy.cfg)',
    start: startHaproxy,
    email: 'cashier2@demo.local',
    client: '127.0.0.5',
    neighbour: '127.0.0.6',
    spoofed: '198.51.100',
  },
  {
    name: 'nginx (infra/nginx/nginx.conf)',
    start: startNginx,
    email: 'staff@demo.local',
    client: '127.0.0.7',
    neighbour: '127.0.0.8',
    spoofed: '203.0.113',
  },
];

describeWithServices(['postgres', 'redis', 'haproxy', 'nginx'], 'the shipped balancers name the client, not the client itself', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let redis: Redis;
  const countedAt = (address: string) => redis.get(`${cluster.redisPrefix}:{login-attempts}:address:${address}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    // TRUST_PROXY=loopback believes every 127/8 address, the clients' included: as trusting every
    // private range did where clients live on one (a store LAN, a VPN). Only the balancer's
    // replacing the header keeps their own X-Forwarded-For from counting.
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL, env: { TRUST_PROXY: 'loopback' } });
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
    await db?.drop();
  });

  describe.each(BALANCERS)('$name', ({ start, email, client, neighbour, spoofed }) => {
    let balancer: { url: string; stop(): Promise<void> };
    beforeAll(async () => {
      balancer = await start(cluster.replicas);
    });
    afterAll(() => balancer?.stop());

    it('a spoofed X-Forwarded-For does not change the address that login limits count', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push(await failedLoginFrom(client, balancer.url, email, { 'x-forwarded-for': `${spoofed}.${i}` }));
      }
      // Five failures of the account at the client's real address lock it there, whatever address it claims.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect(await countedAt(client)).toBe('5');
      expect(await redis.keys(`${cluster.redisPrefix}:{login-attempts}:*${spoofed}.*`)).toEqual([]);
      // Claiming to be another real client does not spend that one's budget either.
      expect(await failedLoginFrom(client, balancer.url, email, { 'x-forwarded-for': neighbour })).toBe(429);
      expect(await countedAt(neighbour)).toBeNull();
      expect(await failedLoginFrom(neighbour, balancer.url, email, {})).toBe(401);
    });
  });
});

describe('docker-compose.yml', () => {
  it('trusts the balancer alone, at an address no other container can take, and runs the shipped HAProxy config', () => {
    const compose = load(readFileSync('docker-compose.yml', 'utf8')) as any;
    const { balancer, api } = compose.services;
    const address: string = balancer.networks.default.ipv4_address;
    expect(api.environment.TRUST_PROXY).toBe(address);
    const [{ subnet, ip_range: dynamic }] = compose.networks.default.ipam.config;
    const within = (cidr: string) => {
      const [base, bits] = cidr.split('/');
      const list = new BlockList();
      list.addSubnet(base!, Number(bits));
      return list.check(address);
    };
    expect(within(subnet)).toBe(true);
    expect(within(dynamic)).toBe(false);
    expect(balancer.volumes).toContain('./infra/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  });
});
