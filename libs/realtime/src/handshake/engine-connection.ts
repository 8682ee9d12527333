import type { EventEmitter } from 'node:events';
import type { AuthedSocket } from './socket-context.js';

/**
 * The parts of a socket's engine.io connection that flow control reads; engine.io's typings keep
 * them private. `writeBuffer`: packets not yet handed to the transport (it takes more only once
 * its last write completed). The websocket transport keeps its ws WebSocket as `socket`.
 */
export interface EngineConnection extends EventEmitter {
  writeBuffer: Array<{ data?: unknown }>;
  transport: { socket?: { bufferedAmount?: number; terminate?(): void } };
}

export const engineConnection = (socket: AuthedSocket) => socket.conn as unknown as EngineConnection;
