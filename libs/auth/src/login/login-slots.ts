import { Injectable } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { hashingBusy } from '@retail/passwords';

/**
 * The replica's budget for login CPU: at most the sign-in lane's `concurrency` logins (their password
 * hash, mostly) run at once and its `queue` wait; any more is refused at once with `503 login_busy`
 * (after only the failure count, before any database read), so a login storm can neither take every
 * core from socket delivery nor make logins hang.
 */
@Injectable()
export class LoginSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly queue: number;

  constructor(config: AppConfig) {
    this.concurrency = config.passwordHashing.login.concurrency;
    this.queue = config.passwordHashing.login.queue;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else if (this.waiting.length < this.queue) await new Promise<void>((start) => this.waiting.push(start));
    else throw hashingBusy('login');
    try {
      return await work();
    } finally {
      // A finished hash hands its slot straight to the next in line, so a newcomer cannot slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
