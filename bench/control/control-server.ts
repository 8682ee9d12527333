/**
 * The control: what a team would hand-roll instead of this product. A bare Socket.IO server with
 * the Redis adapter and the same handshake check (HS256 verify of the product's own token, with a
 * key object prepared once), each socket joined to its company room, and a POST /publish that
 * emits one envelope-sized event to a room. No persistence, no positions, no guarantees.
 * Env: CONTROL_PORT, REDIS_URL, CONTROL_CHANNEL (the adapter's key), JWT_SECRET.
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { Server } from 'socket.io';
import { EVENTS, NAMESPACES, Rooms } from '@retail/realtime-protocol';

const env = (name: string) => process.env[name] ?? (console.error(`control: ${name} is required`), process.exit(2));
const key = createSecretKey(Buffer.from(env('JWT_SECRET')));
const redisUrl = env('REDIS_URL');

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/publish') return void res.writeHead(404).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const { companyId, title } = JSON.parse(body) as { companyId: string; title: string };
    const envelope = {
      id: randomUUID(),
      type: EVENTS.systemInfo.name,
      occurredAt: new Date().toISOString(),
      companyId,
      data: { title, message: 'control', level: 'INFO', kind: 'BROADCAST', notificationId: randomUUID() },
    };
    notifications.to(Rooms.company(companyId)).emit(EVENTS.systemInfo.name, envelope);
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: envelope.id }));
  });
});
const io = new Server(http, {
  serveClient: false,
  adapter: createAdapter(new Redis(redisUrl), new Redis(redisUrl), { key: env('CONTROL_CHANNEL') }),
});
const notifications = io.of(NAMESPACES.notifications.path);
notifications.use((socket, next) => {
  try {
    const claims = jwt.verify(String(socket.handshake.auth.token), key, { algorithms: ['HS256'] }) as { companyId: string };
    socket.data.companyId = claims.companyId;
    next();
  } catch {
    next(new Error('token_invalid'));
  }
});
notifications.on('connection', (socket) => void socket.join(Rooms.company(socket.data.companyId)));
http.listen(Number(env('CONTROL_PORT')), '127.0.0.1', () => console.log('control ready'));
process.once('SIGTERM', () => io.close(() => process.exit(0)));
