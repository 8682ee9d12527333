import type { Socket } from 'socket.io';

/**
 * Calls `release` once the socket is gone, however it ends. A socket whose client drops while the
 * handshake middleware runs never connects, so socket.io emits no `disconnect` for it: the close of
 * its engine.io connection is what tells.
 */
export function onceGone(socket: Socket, release: () => void): void {
  const gone = () => {
    socket.off('disconnect', gone);
    socket.conn.off('close', gone);
    release();
  };
  if (socket.conn.readyState !== 'open') return gone();
  socket.once('disconnect', gone);
  socket.conn.once('close', gone);
}
