import { AppError } from '@retail/common';
import { CHAT_BODY_MAX } from '@retail/realtime-protocol';

// Every C0/C1 control character and DEL, except line feed and tab.
const CONTROL_CHARACTERS = /[^\P{Cc}\n\t]/gu;

/**
 * The body as stored: control characters stripped. Too long or empty (after stripping) is
 * refused with validation_failed, never cut, so a message is stored as written or not at all.
 */
export function cleanMessageBody(body: string): string {
  const clean = body.replace(CONTROL_CHARACTERS, '');
  if (clean.length > CHAT_BODY_MAX) {
    throw AppError.validation([{ path: 'body', message: `body must be at most ${CHAT_BODY_MAX} characters` }]);
  }
  if (!clean.trim()) throw AppError.validation([{ path: 'body', message: 'body is empty' }]);
  return clean;
}
