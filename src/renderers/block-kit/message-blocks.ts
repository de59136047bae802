/** Renders a core MessageView as Slack Block Kit blocks, inside Slack's limits. */
import type { ActionView, Fact, MessageView } from '../../core/views/message-view.ts';

/** A Block Kit block as sent to Slack. */
export type Block = Record<string, unknown> & { type: string };

/** Slack's limits, kept conservatively (docs/platforms.md). */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonValue: 2000,
  elementsPerActions: 25,
} as const;

const NOTICE_ICON = { info: ':information_source:', warning: ':warning:', error: ':x:' } as const;

/** Escapes the three characters Slack's mrkdwn reserves, so user text shows as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function factBlocks(facts: Fact[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < facts.length; i += BLOCK_KIT_LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: facts.slice(i, i + BLOCK_KIT_LIMITS.fieldsPerSection).map((f) => ({
        type: 'mrkdwn',
        text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, BLOCK_KIT_LIMITS.fieldText),
      })),
    });
  }
  return blocks;
}

/** A Slack button for an action: `action_id` is the interaction id, `value` carries its data. */
export function slackButton(action: ActionView, blockScope = ''): Block {
  const button: Block = {
    type: 'button',
    action_id: blockScope ? `${action.id}#${blockScope}` : action.id,
    text: { type: 'plain_text', text: clip(action.label, BLOCK_KIT_LIMITS.buttonText), emoji: true },
    value: JSON.stringify(action.value ?? {}),
  };
  if (action.style) button.style = action.style;
  return button;
}

function actionBlocks(actions: ActionView[], scope: string): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < actions.length; i += BLOCK_KIT_LIMITS.elementsPerActions) {
    blocks.push({
      type: 'actions',
      block_id: `actions:${scope}:${i}`,
      elements: actions.slice(i, i + BLOCK_KIT_LIMITS.elementsPerActions).map((a) => slackButton(a)),
    });
  }
  return blocks;
}

function textBlock(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(text), BLOCK_KIT_LIMITS.sectionText) } };
}

/** Builds the blocks for a message, plus the plain-text fallback Slack shows in notifications. */
export function renderMessageBlocks(view: MessageView): { blocks: Block[]; text: string } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(view.title, BLOCK_KIT_LIMITS.headerText), emoji: true } }];
  if (view.subtitle) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(view.subtitle) }] });
  if (view.notice) blocks.push(textBlock(`${NOTICE_ICON[view.notice.tone]} ${view.notice.text}`));
  for (const p of view.paragraphs ?? []) blocks.push(textBlock(p));
  if (view.facts?.length) blocks.push(...factBlocks(view.facts));
  (view.sections ?? []).forEach((section, index) => {
    blocks.push({ type: 'divider' });
    if (section.heading) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(clip(section.heading, 200))}*` } });
    if (section.text) blocks.push(textBlock(section.text));
    if (section.facts?.length) blocks.push(...factBlocks(section.facts));
    if (section.actions?.length) blocks.push(...actionBlocks(section.actions, `s${index}`));
  });
  if (view.actions?.length) blocks.push(...actionBlocks(view.actions, 'main'));
  if (view.footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(view.footer) }] });
  if (blocks.length > BLOCK_KIT_LIMITS.blocksPerMessage) {
    throw new Error(`Message "${view.kind}" needs ${blocks.length} blocks; Slack allows ${BLOCK_KIT_LIMITS.blocksPerMessage}. Page it.`);
  }
  const text = view.notice ? `${view.title}: ${view.notice.text}` : view.title;
  return { blocks, text: clip(text, 3000) };
}
