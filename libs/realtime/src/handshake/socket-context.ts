import type { Principal } from '@retail/auth';
import type { ClientToServerEvents, NamespaceKey, RoomPositions, ServerToClientEvents } from '@retail/realtime-protocol';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';

/** What the handshake leaves on `socket.data` for the handlers. */
export interface SocketData {
  namespace: NamespaceKey;
  principal: Principal;
  /** When the principal was last resolved from the database (epoch ms). */
  verifiedAt: number;
  /** The access-change mark taken before the handshake resolved the principal (AccessRevalidation.mark). */
  accessMark: number;
  /** Where the client asked to resume each room from, in the handshake. */
  resume: RoomPositions;
  /** The till app's version, from the handshake's `auth.appVersion`. */
  appVersion?: string;
  expiryTimer?: NodeJS.Timeout;
  bucket?: { tokens: number; updatedAt: number };
  /** The re-check of its access in progress; `again`: run once more after it. */
  recheck?: { again: boolean; done: Promise<void> };
  /** The end of the replays queued for it: one at a time. */
  replays?: Promise<void>;
}

/** A socket of this server, typed by the protocol's event maps. */
export type AuthedSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type RealtimeNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
