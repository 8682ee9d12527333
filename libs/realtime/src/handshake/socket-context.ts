import type { DefaultEventsMap, Socket } from 'socket.io';
import type { Principal } from '../../../auth/src/index.js';

/** What the handshake leaves on `socket.data` for the handlers. */
export interface SocketData {
  principal: Principal;
  expiryTimer?: NodeJS.Timeout;
  bucket?: { tokens: number; updatedAt: number };
}

export type AuthedSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
