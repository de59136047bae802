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

/** Builds the Adaptive Card for a message. */
export function renderMessageCard(view: MessageView): AdaptiveCard {
  const data: Record<string, unknown> = {
    title: escapeCardText(view.title),
    paragraphs: (view.paragraphs ?? []).map(escapeCardText),
    facts: facts(view.facts),
    sections: (view.sections ?? []).map((s) => ({
      ...(s.heading ? { heading: escapeCardText(s.heading) } : {}),
      ...(s.text ? { text: escapeCardText(s.text) } : {}),
      facts: facts(s.facts),
      actions: (s.actions ?? []).map(cardAction),
    })),
    actions: (view.actions ?? []).map(cardAction),
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
