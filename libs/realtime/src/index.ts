export { RealtimeIoAdapter } from './adapter/realtime-io.adapter.js';
export { CHAT_COMMANDS, type ChatCommands } from './gateways/chat-commands.port.js';
export { TillPresence, type TillPresenceRecord, type TillStatusListener } from './presence/till-presence.js';
export { RealtimeModule } from './realtime.module.js';
export { RealtimeService, type EmitOptions, type SystemAlertInput } from './realtime.service.js';
export { ROUTES, routeOf, type Route } from './routing/routes.js';
export { SocketDrain } from './sessions/socket-drain.js';
