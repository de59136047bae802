// A tick first asks whether the database answers: when it does not, the tick is skipped at once
// and says so, instead of every job waiting out its own timeouts.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { startScheduler } from '../../src/scheduler/scheduler.ts';

function capture() {
  const chunks: string[] = [];
  const logger = createLogger('debug', { write: (c: string) => (chunks.push(c), true) } as unknown as NodeJS.WritableStream);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the scheduler', () => {
  it('skips a tick, saying so, while the database does not answer; runs the jobs once it does', async () => {
    const { logger, lines } = capture();
    let answering = false;
    const runs: string[] = [];
    const scheduler = startScheduler({
      clock: fixedClock('2026-11-27T10:00:00Z'),
      logger,
      ready: async () => answering,
      jobs: [{ name: 'plan-reminders', run: async () => (runs.push('plan-reminders'), {}) }],
    });
    try {
      await scheduler.tick();
      expect(runs).toEqual([]);
      expect(lines().filter((l) => l.msg === 'tick skipped: the database is not answering')).toEqual([
        expect.objectContaining({ level: 50, component: 'scheduler', jobs: ['plan-reminders'] }),
      ]);
      answering = true;
      await scheduler.tick();
      expect(runs).toEqual(['plan-reminders']);
    } finally {
      await scheduler.stop();
    }
  });
});
