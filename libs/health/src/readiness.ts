import { Injectable } from '@nestjs/common';

/** Whether this replica still wants traffic: no once its shutdown has begun. */
@Injectable()
export class Readiness {
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** From here on /health/ready answers 503 shutting_down, so balancers send new work elsewhere. */
  beginShutdown(): void {
    this.stopping = true;
  }
}
