import { CONTROL_EVENTS, type SessionEndedCode } from '@retail/realtime-protocol';
import type { AuthedSocket } from './socket-context.js';

/** Ends a socket's session, telling it why first: a server-side disconnect carries no reason of its own. */
export function endSession(socket: AuthedSocket, code: SessionEndedCode, message: string): void {
  socket.emit(CONTROL_EVENTS.sessionEnded.name, { code, message });
  socket.disconnect(true);
}
