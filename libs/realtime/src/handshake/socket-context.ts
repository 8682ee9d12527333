import type { Principal } from '@retail/auth';
import type { ClientToServerEvents, RoomPositions, ServerToClientEvents } from '@retail/realtime-protocol';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';

/** What the handshake leaves on `socket.data` for the handlers. */
export interface SocketData {
  principal: Principal;
  /** Where the client asked to resume each room from, in the handshake. */
  resume: RoomPositions;
  expiryTimer?: NodeJS.Timeout;
  bucket?: { tokens: number; updatedAt: number };
}

/** A socket of this server, typed by the protocol's event maps. */
export type AuthedSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type RealtimeNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
