/** Renders a core MessageView as an Adaptive Card 1.5, from the `message` template. */
import type { ActionView, Fact, MessageView } from '../../core/views/message-view.ts';
import { escapeCardText, expandTemplate, type AdaptiveCard } from './template.ts';

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

function buildCard(view: MessageView): AdaptiveCard {
  const data: Record<string, unknown> = {
    title: escapeCardText(view.title),
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
  };
  if (view.subtitle) data.subtitle = escapeCardText(view.subtitle);
  if (view.notice) data.notice = { style: NOTICE_STYLE[view.notice.tone], text: escapeCardText(view.notice.text) };
  if (view.footer) data.footer = escapeCardText(view.footer);
  const card = expandTemplate('message', data);
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
