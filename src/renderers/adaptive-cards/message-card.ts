/** Renders a core MessageView as an Adaptive Card 1.5, in the shape of the `message` template. */
import type { ActionView, Fact, MessageView } from '../../core/views/message-view.ts';
import { escapeCardText, type AdaptiveCard } from './card-text.ts';

const NOTICE_STYLE = { info: 'accent', warning: 'warning', error: 'attention' } as const;
const ACTION_STYLE = { primary: 'positive', danger: 'destructive' } as const;

function facts(list: Fact[] | undefined) {
  return (list ?? []).map((f) => ({ label: escapeCardText(f.label), value: escapeCardText(f.value) }));
}

/** Card data for a button: the verb is the interaction id; the values travel back in `data`. */
export function cardAction(action: ActionView) {
  return {
    id: action.id,
    label: action.label,
    style: action.style ? ACTION_STYLE[action.style] : 'default',
    data: { ...(action.value ?? {}), verb: action.id },
    ...(action.url ? { url: action.url } : {}),
  };
}

/** Buttons a Teams card shows in its row before the rest go into its "…" menu: more are cut to "Rec…". */
export const CARD_ACTIONS_IN_ROW = 3;

/** The card's own buttons: the primary one and the first others in the row, the rest in the "…" menu (Action.mode). */
function withOverflow<T extends { style: string }>(actions: T[]): (T & { mode: 'primary' | 'secondary' })[] {
  if (actions.length <= CARD_ACTIONS_IN_ROW) return actions.map((a) => ({ ...a, mode: 'primary' as const }));
  const order = [...actions.filter((a) => a.style === 'positive'), ...actions.filter((a) => a.style !== 'positive')];
  const inRow = new Set(order.slice(0, CARD_ACTIONS_IN_ROW - 1));
  return actions.map((a) => ({ ...a, mode: inRow.has(a) ? ('primary' as const) : ('secondary' as const) }));
}

/**
 * The most a card may weigh, in bytes of JSON. Teams refuses messages past about 28 KB (its
 * documented limit is larger, but cards fail well before it): lists are paged in the core, and
 * this renderer cuts anything left over rather than let the message fail.
 */
export const TEAMS_CARD_MAX_BYTES = 28 * 1024;

/** The size of a card as Teams counts it: UTF-8 bytes of its JSON. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** A rendered card, and whether anything had to be cut to fit. */
export interface RenderedCard {
  card: AdaptiveCard;
  truncated: boolean;
}

/** Builds the Adaptive Card for a message, cut (with a line saying so) if it would not fit Teams. */
export function renderMessageCard(view: MessageView): AdaptiveCard {
  return renderMessageCardChecked(view).card;
}

/** As {@link renderMessageCard}, saying whether the message had to be cut. */
export function renderMessageCardChecked(view: MessageView): RenderedCard {
  const card = buildCard(view);
  if (cardBytes(card) <= TEAMS_CARD_MAX_BYTES) return { card, truncated: false };
  // Drop parts from the end, then shorten long paragraphs, until it fits.
  const cut: MessageView = { ...view, sections: [...(view.sections ?? [])], paragraphs: [...(view.paragraphs ?? [])] };
  const note = 'Some of this is too long to show here. Use the page buttons, or ask for less.';
  cut.footer = view.footer ? `${view.footer} ${note}` : note;
  let attempt = buildCard(cut);
  while (cardBytes(attempt) > TEAMS_CARD_MAX_BYTES && (cut.sections!.length > 0 || cut.paragraphs!.some((p) => p.length > 200))) {
    if (cut.sections!.length > 0) cut.sections!.pop();
    else cut.paragraphs = cut.paragraphs!.map((p) => (p.length > 200 ? `${p.slice(0, Math.floor(p.length / 2))}…` : p));
    attempt = buildCard(cut);
  }
  return { card: attempt, truncated: true };
}

/** What the `message` template is filled with: the view's text escaped, its buttons as card actions. */
export interface MessageCardData {
  title: string;
  subtitle?: string;
  notice?: { style: string; text: string };
  paragraphs: string[];
  facts: CardFact[];
  sections: { style: string; heading?: string; text?: string; facts: CardFact[]; actions: CardAction[] }[];
  actions: (CardAction & { mode: 'primary' | 'secondary' })[];
  footer?: string;
}

type CardFact = ReturnType<typeof facts>[number];
type CardAction = ReturnType<typeof cardAction>;

/** The data the `message` template in adaptive-cards/ is filled with for a view. */
export function messageCardData(view: MessageView): MessageCardData {
  return {
    title: escapeCardText(view.title),
    ...(view.subtitle ? { subtitle: escapeCardText(view.subtitle) } : {}),
    ...(view.notice ? { notice: { style: NOTICE_STYLE[view.notice.tone], text: escapeCardText(view.notice.text) } } : {}),
    paragraphs: (view.paragraphs ?? []).map(escapeCardText),
    facts: facts(view.facts),
    sections: (view.sections ?? []).map((s) => ({
      // Overdue and very high risk stand out; the heading's words say why as well.
      style: s.emphasis ?? 'default',
      ...(s.heading ? { heading: `${s.emphasis === 'attention' ? '⚠ ' : ''}${escapeCardText(s.heading)}` } : {}),
      ...(s.text ? { text: escapeCardText(s.text) } : {}),
      facts: facts(s.facts),
      actions: (s.actions ?? []).map(cardAction),
    })),
    actions: withOverflow((view.actions ?? []).map(cardAction)),
    ...(view.footer ? { footer: escapeCardText(view.footer) } : {}),
  };
}

const factSet = (list: CardFact[]) => ({ type: 'FactSet', facts: list.map((f) => ({ title: f.label, value: f.value })) });

/** Buttons as the template lays them out: those that run a verb, then those that open a link. */
function cardActions<A extends CardAction & { mode?: string }>(list: A[]): Record<string, unknown>[] {
  const mode = (a: A) => (a.mode ? { mode: a.mode } : {});
  return [
    ...list.filter((a) => !a.url).map((a) => ({ type: 'Action.Execute', title: a.label, verb: a.id, style: a.style, ...mode(a), data: a.data })),
    ...list.filter((a) => a.url).map((a) => ({ type: 'Action.OpenUrl', title: a.label, ...mode(a), url: a.url })),
  ];
}

/**
 * Fills the `message` template (adaptive-cards/message.json, the card as the Adaptive Cards
 * Designer shows it) in code. The official templating library does the same in a test, for every
 * view kind, and the two must agree; at run time it would cost every Teams process about 25 MB of
 * expression engine and every card a third of a millisecond.
 */
function fillMessageTemplate(data: MessageCardData): AdaptiveCard {
  const text = (value: string, more: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: value, ...more });
  const body: Record<string, unknown>[] = [text(data.title, { size: 'Medium', weight: 'Bolder', wrap: true, style: 'heading' })];
  if (data.subtitle !== undefined) body.push(text(data.subtitle, { isSubtle: true, spacing: 'None', wrap: true }));
  if (data.notice) body.push({ type: 'Container', style: data.notice.style, items: [text(data.notice.text, { wrap: true, weight: 'Bolder' })] });
  for (const paragraph of data.paragraphs) body.push(text(paragraph, { wrap: true }));
  if (data.facts.length > 0) body.push(factSet(data.facts));
  for (const section of data.sections) {
    const items: Record<string, unknown>[] = [];
    if (section.heading !== undefined) items.push(text(section.heading, { weight: 'Bolder', wrap: true }));
    if (section.text !== undefined) items.push(text(section.text, { wrap: true }));
    if (section.facts.length > 0) items.push(factSet(section.facts));
    if (section.actions.length > 0) items.push({ type: 'ActionSet', actions: cardActions(section.actions) });
    body.push({ type: 'Container', separator: true, style: section.style, items });
  }
  if (data.footer !== undefined) body.push(text(data.footer, { isSubtle: true, size: 'Small', wrap: true }));
  return { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.5', body, actions: cardActions(data.actions) };
}

function buildCard(view: MessageView): AdaptiveCard {
  const card = fillMessageTemplate(messageCardData(view));
  if (!view.refresh) return card;
  // Teams runs this Action.Execute whenever the card is shown, so it is current when opened; with
  // `userIds`, only for those people (a card drawn for each of them, such as a supervisor's buttons).
  const { chatUserIds } = view.refresh;
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', title: view.refresh.label, verb: view.refresh.id, data: { ...(view.refresh.value ?? {}), verb: view.refresh.id } },
      ...(chatUserIds ? { userIds: chatUserIds } : {}),
    },
  };
}
