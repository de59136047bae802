/**
 * Renders a core MessageView as Slack Block Kit blocks, inside Slack's limits. Lists are paged
 * in the core; this renderer still never throws on size: anything past the limits is cut, with a
 * line saying so, and the caller can tell it happened.
 */
import type { ActionView, Fact, MessageView, SectionView } from '../../core/views/message-view.ts';

/** A Block Kit block as sent to Slack. */
export type Block = Record<string, unknown> & { type: string };

/** Slack's limits, kept conservatively (docs/platforms.md). */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  blocksPerHomeOrModal: 100,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonValue: 2000,
  elementsPerActions: 25,
  contextText: 3000,
} as const;

const NOTICE_ICON = { info: ':information_source:', warning: ':warning:', error: ':x:' } as const;
const EMPHASIS_ICON = { attention: ':red_circle:', warning: ':large_orange_circle:' } as const;

/** Escapes the three characters Slack's mrkdwn reserves, so user text shows as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function field(f: Fact) {
  return { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, BLOCK_KIT_LIMITS.fieldText) };
}

function factBlocks(facts: Fact[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < facts.length; i += BLOCK_KIT_LIMITS.fieldsPerSection) {
    blocks.push({ type: 'section', fields: facts.slice(i, i + BLOCK_KIT_LIMITS.fieldsPerSection).map(field) });
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
  if (action.url) button.url = action.url;
  if (action.style) button.style = action.style;
  return button;
}

function actionBlocks(actions: ActionView[], scope: string): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < actions.length; i += BLOCK_KIT_LIMITS.elementsPerActions) {
    const row = actions.slice(i, i + BLOCK_KIT_LIMITS.elementsPerActions);
    blocks.push({
      type: 'actions',
      block_id: `actions:${scope}:${i}`,
      // Slack refuses a block (invalid_blocks) whose buttons share an action_id, as a pager's
      // Previous and Next do: a repeat gets `#<position>`, which the adapter strips again.
      elements: row.map((a, j) => slackButton(a, row.slice(0, j).some((b) => b.id === a.id) ? String(j) : '')),
    });
  }
  return blocks;
}

function textBlock(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(text), BLOCK_KIT_LIMITS.sectionText) } };
}

/**
 * One part of a message in as few blocks as Slack allows: a divider, one section holding the
 * heading, the text and up to ten facts, and one row of buttons.
 */
function sectionBlocks(section: SectionView, index: number): Block[] {
  const lines: string[] = [];
  if (section.heading) lines.push(`${section.emphasis ? `${EMPHASIS_ICON[section.emphasis]} ` : ''}*${escapeMrkdwn(clip(section.heading, 200))}*`);
  if (section.text) lines.push(escapeMrkdwn(section.text));
  const facts = section.facts ?? [];
  const blocks: Block[] = [{ type: 'divider' }];
  const first: Block = { type: 'section' };
  if (lines.length) first.text = { type: 'mrkdwn', text: clip(lines.join('\n'), BLOCK_KIT_LIMITS.sectionText) };
  if (facts.length) first.fields = facts.slice(0, BLOCK_KIT_LIMITS.fieldsPerSection).map(field);
  if (first.text || first.fields) blocks.push(first);
  if (facts.length > BLOCK_KIT_LIMITS.fieldsPerSection) blocks.push(...factBlocks(facts.slice(BLOCK_KIT_LIMITS.fieldsPerSection)));
  if (section.actions?.length) blocks.push(...actionBlocks(section.actions, `s${index}`));
  return blocks;
}

/** A rendered message: its blocks, the plain-text fallback, and whether anything had to be cut. */
export interface RenderedBlocks {
  blocks: Block[];
  text: string;
  /** True when the message needed more blocks than allowed and its end was cut. */
  truncated: boolean;
}

/**
 * Builds the blocks for a message, plus the plain-text fallback Slack shows in notifications.
 * `maxBlocks` is 50 for messages, 100 for a home tab or a modal.
 */
export function renderMessageBlocks(view: MessageView, maxBlocks: number = BLOCK_KIT_LIMITS.blocksPerMessage): RenderedBlocks {
  const head: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(view.title, BLOCK_KIT_LIMITS.headerText), emoji: true } }];
  if (view.subtitle) head.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(view.subtitle), BLOCK_KIT_LIMITS.contextText) }] });
  if (view.notice) head.push(textBlock(`${NOTICE_ICON[view.notice.tone]} ${view.notice.text}`));
  for (const p of view.paragraphs ?? []) head.push(textBlock(p));
  if (view.facts?.length) head.push(...factBlocks(view.facts));

  const body: Block[][] = (view.sections ?? []).map((section, index) => sectionBlocks(section, index));
  const tail: Block[] = [];
  // Slack cannot draw a message per person: restricted buttons are shown to all, and refused
  // privately (ephemeral) to anyone who may not use them.
  const actions = [...(view.actions ?? []), ...(view.restrictedActions ?? [])];
  if (actions.length) tail.push(...actionBlocks(actions, 'main'));
  if (view.footer) tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(view.footer), BLOCK_KIT_LIMITS.contextText) }] });

  const blocks = [...head];
  let truncated = false;
  // Room for the tail and, if needed, the line that says something was cut.
  const room = maxBlocks - tail.length - 1;
  for (const part of body) {
    if (blocks.length + part.length > room) {
      truncated = true;
      break;
    }
    blocks.push(...part);
  }
  if (truncated || blocks.length + tail.length > maxBlocks) {
    truncated = true;
    blocks.splice(Math.max(1, room));
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Some of this is too long to show here. Use the page buttons, or ask for less.' }] });
  }
  blocks.push(...tail);
  const text = view.notice ? `${view.title}: ${view.notice.text}` : view.title;
  return { blocks: blocks.slice(0, maxBlocks), text: clip(text, 3000), truncated };
}
