import { z } from 'zod';
import { COMMANDS, CONTROL_EVENTS, EVENTS, NAMESPACES, type NamespaceKey } from '@retail/realtime-protocol';

const HANDSHAKE = `Connect with Socket.IO to a namespace and pass an access token from POST /auth/login,
either as \`auth: { token }\` or as an \`Authorization: Bearer\` header (non-browser clients).
A refused connection gets \`connect_error\` with message \`unauthorized\` and \`data.code\` one of
\`token_missing\`, \`token_invalid\`, \`token_expired\`, \`forbidden\` (no permission for the namespace).
On connect a socket joins \`company:{id}\` (ADMIN only on /pos and /inventory; every user on
/notifications, where company-wide alerts go), \`workspace:{id}\` for each of its stores,
\`pos:{deviceId}\` when the token names a device, \`catalog:{companyId}\` on /pos (where
pos.catalog.changed goes, one event for every store), and \`user:{id}\`. Before the token expires, send
\`auth.refresh { token }\` with a fresh one of the same user and device (from POST /auth/refresh): the
socket keeps its rooms and its stream. When the token expires unrefreshed the server sends
\`session.ended\` (\`token_expired\`) and disconnects the socket; reconnect with a new token. Every client command is acknowledged with
\`{ok:true,...}\` or \`{ok:false,error:{code,message}}\`; \`rate_limited\` when a socket sends too fast.

Every room is a stream: each stream event carries \`positions\`, its \`{offset, epoch}\` in every room it
was published to, with consecutive offsets per room. Right after connect the server sends
\`session.ready\` with the head of every joined room. To resume, pass \`auth: { token, resume: {[room]:
{offset, epoch}} }\`: the server replays what was missed (in room order, each event once) before any live
event of those rooms, then sends \`resume.ok\`, or \`resume.reset\` for a room it cannot replay.`;

type JsonSchema = Record<string, unknown>;

/** JSON Schema of a zod schema, its named parts hoisted into `components.schemas` and referenced from there. */
function schemaInto(components: Record<string, JsonSchema>, s: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  const {
    $defs = {},
    $schema: _,
    ...root
  } = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  Object.assign(components, $defs);
  return root;
}

/** Server events travel in this envelope; `data` is the event's payload. */
const envelopeFor = (eventName: string, data: JsonSchema) => ({
  type: 'object',
  required: ['id', 'type', 'occurredAt', 'companyId', 'data'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'UUIDv7, unique and identical wherever the event is delivered' },
    type: { const: eventName },
    occurredAt: { type: 'string', format: 'date-time' },
    companyId: { type: 'string', format: 'uuid' },
    workspaceId: { type: 'string', format: 'uuid' },
    data,
    positions: {
      type: 'object',
      description: 'Stream events only: {offset, epoch} in every room the event was published to',
      additionalProperties: { $ref: '#/components/schemas/StreamPosition' },
    },
  },
});

const ackSchema = {
  oneOf: [
    { type: 'object', required: ['ok'], properties: { ok: { const: true } } },
    {
      type: 'object',
      required: ['ok', 'error'],
      properties: {
        ok: { const: false },
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
        },
      },
    },
  ],
};

/** AsyncAPI 3 document generated from the event catalog, so docs can't drift from the code. */
export function buildAsyncApiDocument(version = '1.0.0') {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, JsonSchema> = {};

  for (const key of Object.keys(NAMESPACES) as NamespaceKey[]) {
    channels[key] = { address: NAMESPACES[key].path, description: `Requires permission ${NAMESPACES[key].permission}.`, messages: {} };
  }
  for (const event of Object.values(EVENTS)) {
    const id = event.name;
    messages[id] = { name: id, summary: event.summary, payload: envelopeFor(id, schemaInto(schemas, event.payload)) };
    (channels[event.namespace] as { messages: Record<string, unknown> }).messages[id] = { $ref: `#/components/messages/${id}` };
    operations[`send:${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${event.namespace}` },
      summary: event.summary,
      messages: [{ $ref: `#/channels/${event.namespace}/messages/${id}` }],
    };
  }
  for (const control of Object.values(CONTROL_EVENTS)) {
    const id = control.name;
    messages[id] = { name: id, summary: control.summary, payload: schemaInto(schemas, control.payload) };
    for (const ns of Object.keys(NAMESPACES) as NamespaceKey[]) {
      (channels[ns] as { messages: Record<string, unknown> }).messages[id] = { $ref: `#/components/messages/${id}` };
      operations[`send:${ns}:${id}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${ns}` },
        summary: control.summary,
        messages: [{ $ref: `#/channels/${ns}/messages/${id}` }],
      };
    }
  }
  for (const command of Object.values(COMMANDS)) {
    const id = `command:${command.name}`;
    messages[id] = { name: command.name, summary: command.summary, payload: schemaInto(schemas, command.payload) };
    messages[`${id}:ack`] = { name: `${command.name} ack`, payload: ackSchema };
    for (const ns of command.namespaces) {
      const channel = channels[ns] as { messages: Record<string, unknown> };
      channel.messages[id] = { $ref: `#/components/messages/${id}` };
      channel.messages[`${id}:ack`] = { $ref: `#/components/messages/${id}:ack` };
      operations[`receive:${ns}:${command.name}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${ns}` },
        summary: command.summary,
        messages: [{ $ref: `#/channels/${ns}/messages/${id}` }],
        reply: { channel: { $ref: `#/channels/${ns}` }, messages: [{ $ref: `#/channels/${ns}/messages/${id}:ack` }] },
      };
    }
  }

  return {
    asyncapi: '3.0.0',
    info: { title: 'Retail Realtime events', version, description: HANDSHAKE },
    defaultContentType: 'application/json',
    servers: {
      replica: {
        host: 'localhost:3001',
        protocol: 'ws',
        description: 'Socket.IO v4 (WEBSOCKET_PORT; behind nginx, the same host as the API)',
        security: [{ $ref: '#/components/securitySchemes/bearer' }],
      },
    },
    channels,
    operations,
    components: {
      messages,
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'handshake.auth.token or Authorization: Bearer' },
      },
    },
  };
}
