/**
 * A walk through everything a person can ask Casework for: every registered command with every
 * kind of argument commands take, the App Home, then one press of every kind of button on what
 * came back (pages, filters, case cards, reminders' Done, Acknowledge and Snooze). Tests that must
 * hold for every view (sizes, words) take the walk and look at each stop; a new command, view or
 * button is covered without touching them.
 */
import type { Casework } from '../../src/core/casework.ts';
import { isDomainError, type DomainError } from '../../src/core/errors.ts';
import { FEATURES } from '../../src/core/features.ts';
import type { InboundContext, Reply } from '../../src/core/interaction.ts';
import type { ActionView } from '../../src/core/views/message-view.ts';
import { BLOCK_KIT_LIMITS } from '../../src/renderers/block-kit/message-blocks.ts';

/** One stop of the walk: what was asked, and the reply or the refusal it got. */
export type TourStop = { where: string; maxBlocks?: number } & ({ reply: Reply } | { refusal: DomainError });

/** The kinds of argument commands take, tried for every command. */
function argumentPatterns(ownCaseKey: string): string[][] {
  return [[], [ownCaseKey], ['2'], ['9999'], ['overdue'], ['week'], ['overdue', '2'], ['add'], ['edit', ownCaseKey], [ownCaseKey, 'Should the next visit be joint with probation?']];
}

/** Every button a reply offers. */
function buttonsOf(reply: Reply): ActionView[] {
  if (reply.type !== 'message' && reply.type !== 'update') return [];
  return [...(reply.view.actions ?? []), ...(reply.view.restrictedActions ?? []), ...(reply.view.sections ?? []).flatMap((s) => s.actions ?? [])];
}

/**
 * Takes the walk as `ctx` (whose own case is `ownCaseKey`), calling `visit` at every stop. A
 * refusal (no such case, not allowed) is a stop too; any other error ends the walk.
 */
export async function tourEveryCommand(casework: Casework, ctx: InboundContext, ownCaseKey: string, visit: (stop: TourStop) => void): Promise<void> {
  const buttons = new Map<string, ActionView>();
  const attempt = async (where: string, call: () => Promise<Reply>, maxBlocks?: number) => {
    const limit = maxBlocks === undefined ? {} : { maxBlocks };
    let reply: Reply;
    try {
      reply = await call();
    } catch (error) {
      if (!isDomainError(error)) throw error;
      visit({ where, refusal: error, ...limit });
      return;
    }
    visit({ where, reply, ...limit });
    for (const a of buttonsOf(reply)) {
      // One press per kind of button (and per filter of a list): what it shows is what matters.
      const key = `${a.id} ${a.value?.filter ?? ''}`;
      if (!a.url && !buttons.has(key)) buttons.set(key, a);
    }
  };
  const commands = [...new Set(FEATURES.flatMap((f) => (f.commands ?? []).map((c) => c.name))), 'help'];
  for (const name of commands) {
    for (const args of argumentPatterns(ownCaseKey)) await attempt(`${name} ${args.join(' ')}`, () => casework.handleText(ctx, [name, ...args].join(' ')));
  }
  // The App Home tab holds up to 100 blocks.
  await attempt('App Home', () => casework.handleAction(ctx, 'reminder.home', {}), BLOCK_KIT_LIMITS.blocksPerHomeOrModal);
  for (const [id, action] of buttons) await attempt(`button ${id}`, () => casework.handleAction(ctx, action.id, action.value ?? {}));
}
