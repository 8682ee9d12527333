import { describe, expect, it } from 'vitest';
import { COMMANDS, CONTROL_EVENTS, EVENTS, NAMESPACES } from '@retail/realtime-protocol';
import { buildAsyncApiDocument } from './asyncapi-document.js';

describe('AsyncAPI document', () => {
  const doc = buildAsyncApiDocument();

  it('is AsyncAPI 3 with the four namespaces', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c) => (c as { address: string }).address)).toEqual([
      '/pos',
      '/inventory',
      '/notifications',
      '/chat',
    ]);
  });

  it('documents every catalog event with its envelope and payload schema', () => {
    for (const event of Object.values(EVENTS)) {
      const message = doc.components.messages[event.name] as { payload: { properties: Record<string, unknown> } };
      expect(message.payload.properties.type).toEqual({ const: event.name });
      const ref = (message.payload.properties.data as { $ref: string }).$ref;
      expect(doc.components.schemas[ref.replace('#/components/schemas/', '')]).toMatchObject({ type: 'object' });
      expect(doc.operations[`send:${event.name}`]).toMatchObject({ action: 'send' });
    }
  });

  it('documents the stream control events on every namespace', () => {
    for (const control of Object.values(CONTROL_EVENTS)) {
      for (const ns of Object.keys(NAMESPACES)) expect(doc.operations[`send:${ns}:${control.name}`]).toMatchObject({ action: 'send' });
    }
  });

  it('documents every client command on each of its namespaces, with its ack', () => {
    for (const command of Object.values(COMMANDS)) {
      for (const ns of command.namespaces) {
        expect(doc.operations[`receive:${ns}:${command.name}`]).toMatchObject({ action: 'receive', reply: expect.any(Object) });
      }
    }
  });
});

describe('AsyncAPI references', () => {
  it('resolves every $ref inside the document', () => {
    const doc = buildAsyncApiDocument();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });
});
