export interface TypingSignal {
  companyId: string;
  roomId: string;
  userId: string;
  isTyping: boolean;
}

interface TypingState {
  lastSentAt: number;
  silence: NodeJS.Timeout;
}

/** Repeated "still typing" signals go out at most this often; a change of state always goes out. */
export const TYPING_REPEAT_MS = 500;
/** With no signal for this long, the user is reported as no longer typing. */
export const TYPING_SILENCE_MS = 5000;

/**
 * Throttles typing indicators per user and room, and clears them after a few seconds of silence.
 * State lives in this process only, which is enough: a chat socket is sticky to one replica, so
 * one user's signals for a room arrive here in order; the emitted events cross replicas through
 * the Redis adapter. (A user typing in the same room from two devices on two replicas just gets
 * two independent indicators, each of which clears itself.)
 */
export class TypingThrottle {
  private readonly typing = new Map<string, TypingState>();

  constructor(private readonly send: (signal: TypingSignal) => void) {}

  signal(signal: TypingSignal): void {
    const key = `${signal.userId}:${signal.roomId}`;
    const state = this.typing.get(key);
    if (!signal.isTyping) {
      if (!state) return; // already reported as not typing
      this.stop(key, state, signal);
      return;
    }
    const now = Date.now();
    if (state) clearTimeout(state.silence);
    const silence = setTimeout(() => this.stop(key, this.typing.get(key)!, { ...signal, isTyping: false }), TYPING_SILENCE_MS);
    silence.unref();
    const repeat = state && now - state.lastSentAt < TYPING_REPEAT_MS;
    this.typing.set(key, { lastSentAt: repeat ? state.lastSentAt : now, silence });
    if (!repeat) this.send(signal);
  }

  /** Forgets every pending indicator without sending anything (shutdown). */
  clear(): void {
    for (const state of this.typing.values()) clearTimeout(state.silence);
    this.typing.clear();
  }

  private stop(key: string, state: TypingState, signal: TypingSignal) {
    clearTimeout(state.silence);
    this.typing.delete(key);
    this.send({ ...signal, isTyping: false });
  }
}
