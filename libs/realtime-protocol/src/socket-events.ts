import type { StandardSchemaV1 } from '@standard-schema/spec';
import { COMMANDS, CONTROL_EVENTS, EVENTS, type CommandKey, type ControlEventKey, type EventKey } from './catalog.js';
import type { z } from 'zod';
import type { Ack } from './acks.js';
import type { RealtimeEnvelope } from './envelope.js';

type EventByName = { [K in EventKey as (typeof EVENTS)[K]['name']]: K };
type ControlByName = { [K in ControlEventKey as (typeof CONTROL_EVENTS)[K]['name']]: K };
type CommandByName = { [K in CommandKey as (typeof COMMANDS)[K]['name']]: K };

/** Socket.IO's server-to-client map, derived from the catalog: every event carries one envelope. */
export type ServerToClientEvents = {
  [N in keyof EventByName]: (envelope: RealtimeEnvelope<EventByName[N]>) => void;
} & {
  [N in keyof ControlByName]: (payload: z.output<(typeof CONTROL_EVENTS)[ControlByName[N]]['payload']>) => void;
};

/** Socket.IO's client-to-server map, derived from the catalog: every command is acknowledged. */
export type ClientToServerEvents = {
  [N in keyof CommandByName]: (
    payload: StandardSchemaV1.InferInput<(typeof COMMANDS)[CommandByName[N]]['payload']>,
    ack: (answer: Ack) => void,
  ) => void;
};
