/** The Redis channel prefix shared by the adapter and the emitter; both must agree. */
export const adapterKey = (prefix: string) => `${prefix}:socket.io`;
