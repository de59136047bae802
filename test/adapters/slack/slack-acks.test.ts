// Every Slack request is answered once Bolt is done with it, through the real Bolt App: a form
// whose listener failed before acknowledging shows the error in the modal (with its reference),
// a request no listener matched gets an empty 200, and a listener's own ack is never repeated.
import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { AlwaysAckedReceiver, recordListenerFailure } from '../../../src/adapters/slack/slack-acks.ts';
import { boltLogger } from '../../../src/adapters/slack/slack-logger.ts';
import { DomainError } from '../../../src/core/errors.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

/** Stands in for Bolt's HTTP receiver: hands bodies to whatever app it was given. */
class BareReceiver implements Receiver {
  app: App | undefined;
  init(app: App): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

function boltApp() {
  const inner = new BareReceiver();
  const app = new App({
    token: 'xoxb-test',
    receiver: new AlwaysAckedReceiver(inner, silentLogger()),
    logger: boltLogger(silentLogger()),
    tokenVerificationEnabled: false,
    botId: 'B0BOT',
    botUserId: 'U0BOT',
    extendedErrorHandler: true,
  });
  app.error(async ({ error, body }: { error: { original?: unknown }; body?: unknown }) => void recordListenerFailure(body, error.original ?? error));
  async function send(body: Record<string, unknown>): Promise<unknown[]> {
    const acks: unknown[] = [];
    await inner.app!.processEvent({ body, ack: async (response?: unknown) => void acks.push(response ?? null) });
    return acks;
  }
  return { app, send };
}

const user = { id: 'U0OFF', team_id: 'T0TEAM' };
const submission = (callbackId: string) => ({ type: 'view_submission', team: { id: 'T0TEAM' }, user, view: { id: 'V1', callback_id: callbackId, private_metadata: '{}', state: { values: {} } } });

describe('Slack requests are always acknowledged', () => {
  it('answers a form whose listener threw before acknowledging with the unexpected-error view and its reference', async () => {
    const { app, send } = boltApp();
    app.view('casework.form', async () => {
      throw new Error('listener bug');
    });
    const acks = await send(submission('casework.form'));
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(JSON.stringify(acks[0])).toMatch(/ERR-[2-9A-Z]{6}/);
  });

  it("shows a DomainError's own message in the modal", async () => {
    const { app, send } = boltApp();
    app.view('casework.form', async () => {
      throw new DomainError('invalid_input', 'Casework could not tell who sent this, so it did nothing.');
    });
    const [ack] = await send(submission('casework.form'));
    expect(JSON.stringify(ack)).toContain('Casework could not tell who sent this');
  });

  it('acknowledges, empty, a request no listener matched', async () => {
    const { send } = boltApp();
    expect(await send(submission('someone.elses.modal'))).toEqual([null]);
    expect(await send({ type: 'block_actions', user, team: { id: 'T0TEAM' }, response_url: 'http://127.0.0.1:1/r', actions: [{ action_id: 'a', type: 'button' }] })).toEqual([null]);
  });

  it('acknowledges and drops a payload of the wrong shape without running a listener (Socket Mode has no HTTP guard)', async () => {
    const { app, send } = boltApp();
    let ran = false;
    app.action({ type: 'block_actions' }, async ({ ack }) => {
      ran = true;
      await ack();
    });
    expect(await send({ type: 'block_actions', actions: [{}] })).toEqual([null]);
    expect(await send({ type: 'block_actions', user: { id: ' ' }, actions: [{ action_id: 'a' }], response_url: 'http://127.0.0.1:1/r' })).toEqual([null]);
    expect(ran).toBe(false);
  });

  it("never repeats a listener's own acknowledgement", async () => {
    const { app, send } = boltApp();
    app.command('/casework', async ({ ack }) => {
      await ack();
      throw new Error('after the ack');
    });
    expect(await send({ command: '/casework', text: 'help', user_id: 'U0OFF', team_id: 'T0TEAM', channel_id: 'C1', response_url: 'http://127.0.0.1:1/r' })).toEqual([null]);
  });
});
