import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { AppError } from '@retail/common';
import { COMMANDS, DeviceReportCommand, NAMESPACES } from '@retail/realtime-protocol';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { RealtimeGateway } from './realtime.gateway.js';

/** `/pos`: carts, payments, sales and daily totals. Clients listen (and subscribe to stores); tills also report on themselves. */
@WebSocketGateway({ namespace: NAMESPACES.pos.path })
export class PosGateway extends RealtimeGateway {
  protected readonly namespace = 'pos';

  @SubscribeMessage(COMMANDS.posDeviceReport.name)
  report(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, DeviceReportCommand, payload, async (report) => {
      const { deviceId } = socket.data.principal;
      if (!deviceId) throw AppError.forbidden('Only a till reports: log in with its deviceId', 'device_required');
      await this.support.presence.report(deviceId, report);
      return {};
    });
  }
}
