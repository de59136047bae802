// Bolt's log lines reach our log as a reason only: what Bolt quotes from a request (a body that
// failed to parse, a content type) is replaced by its length and hash.
import { describe, expect, it } from 'vitest';
import { boltLogger, boltReason } from '../../../src/adapters/slack/slack-logger.ts';
import { createLogger } from '../../../src/logging/logger.ts';

function captured() {
  const chunks: string[] = [];
  const logger = createLogger('debug', { write: (c: string) => (chunks.push(c), true) } as unknown as NodeJS.WritableStream);
  return { bolt: boltLogger(logger), lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("Bolt's logger", () => {
  it('keeps the reason of a message that quotes a request body, with its length and hash', () => {
    const quoted = 'Parsing request body failed (error: SyntaxError: Unexpected token \'S\', "SECRET message from an officer" is not valid JSON)';
    const { bolt, lines } = captured();
    bolt.warn(quoted);
    const [line] = lines();
    expect(line).toMatchObject({ level: 40, component: 'bolt', msg: 'Parsing request body failed', length: quoted.length });
    expect(line!.sha256).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(lines())).not.toContain('SECRET');
  });

  it('cuts at the first detail of any kind, and names errors by type only', () => {
    expect(boltReason(['Unexpected content-type detected: text/plain; SECRET']).reason).toBe('Unexpected content-type detected');
    expect(boltReason(['Slack API error: invalid_blocks']).reason).toBe('Slack API error');
    expect(boltReason([new Error('SECRET in a message')])).toEqual({ reason: 'Error' });
    expect(boltReason(['An unhandled error occurred while Bolt processed an event'])).toEqual({ reason: 'An unhandled error occurred while Bolt processed an event' });
  });

  it('drops debug and info lines, where Bolt writes whole bodies', () => {
    const { bolt, lines } = captured();
    bolt.debug('ack() call begins (body: SECRET)');
    bolt.info('SECRET');
    expect(lines()).toEqual([]);
  });
});
