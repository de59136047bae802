import { describe, expect, it } from 'vitest';
import type { Member, PlatformIdentity, Team } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import { defaultPolicy } from '../../../src/core/policy/policy.ts';
import { policyForm } from '../../../src/core/teams/policy-form.ts';
import { policySummaryView } from '../../../src/core/teams/policy-view.ts';
import { rosterAddForm, rosterEditForm } from '../../../src/core/teams/roster-form.ts';
import { meView, memberSavedView, removeConfirmView, ROSTER_PAGE_SIZE, rosterView } from '../../../src/core/teams/roster-views.ts';
import { alreadyRegisteredView, setupNeedsChannelView, welcomeView } from '../../../src/core/teams/setup-views.ts';
import { FORM_LIMITS, type FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import { renderFormCard } from '../../../src/renderers/adaptive-cards/form-card.ts';
import { renderMessageCard } from '../../../src/renderers/adaptive-cards/message-card.ts';
import { renderFormModal } from '../../../src/renderers/block-kit/form-modal.ts';
import { renderMessageBlocks } from '../../../src/renderers/block-kit/message-blocks.ts';
import { adaptiveCardProblems, cardIds } from '../../support/adaptive-card-validation.ts';

const team: Team = { id: 't1', key: 'T-7K3P', name: 'Northshire MOSOVO', timeZone: 'Europe/London', policy: defaultPolicy(), closures: ['2026-12-24'], channel: null, isDemo: false };
function member(n: number, roles: Member['roles'] = ['officer']): Member {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, teamId: 't1', displayName: `Member ${n}`, roles, supervisorMemberId: null, reminderTime: '08:30', timeZone: null, active: true, undeliverable: false };
}
const identity: PlatformIdentity = { id: 'i1', memberId: member(1).id, teamId: 't1', platform: 'slack', workspaceId: 'T0', userId: 'U1', displayName: null, linked: true, conversationRef: null };
const roster = Array.from({ length: ROSTER_PAGE_SIZE }, (_, i) => member(i + 1, i === 0 ? ['admin'] : i === 1 ? ['officer', 'supervisor'] : ['officer']));
const names = new Map(roster.map((m) => [m.id, m]));

const messages: MessageView[] = [
  welcomeView(team, roster[0]!, '/casework'),
  alreadyRegisteredView(team, [roster[0]!], false, undefined),
  setupNeedsChannelView(undefined),
  rosterView(team, roster.map((m) => ({ member: m, identities: [identity] })), names, { page: 2, pages: 3, total: 25 }, { tone: 'info', text: 'Done.' }),
  memberSavedView(team, roster[2]!, names, 'added', '/casework'),
  removeConfirmView(roster[2]!, 3),
  meView(team, roster[2]!, roster[1], [identity]),
  policySummaryView(team, { tone: 'info', text: 'Policy saved.' }),
];
const forms: FormView[] = [rosterAddForm({ members: roster, nameRequired: false }), rosterAddForm({ members: roster, nameRequired: true }), rosterEditForm(roster, roster[2]!), policyForm(team)];
const actionIds = new Set(FEATURES.flatMap((f) => f.actions ?? []).map((a) => a.id));
const formIds = new Set(FEATURES.flatMap((f) => f.forms ?? []).map((f) => f.id));

describe('onboarding, roster and policy views on both platforms', () => {
  it.each(messages.map((m) => [m.kind, m] as const))('%s: every button is handled, and both renderers accept it', (_kind, view) => {
    const buttons = [...(view.actions ?? []), ...(view.sections ?? []).flatMap((s) => s.actions ?? [])];
    for (const b of buttons) expect(actionIds, b.id).toContain(b.id);
    expect(() => renderMessageBlocks(view)).not.toThrow();
    const card = renderMessageCard(view);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(JSON.stringify(card).length).toBeLessThan(80_000);
  });

  it.each(forms.map((f) => [f.id, f] as const))('%s: handled, inside the limits, with the same inputs on Slack and Teams', (_id, form) => {
    expect(formIds).toContain(form.id);
    expect(form.title.length).toBeLessThanOrEqual(FORM_LIMITS.titleLength);
    expect(form.submitLabel.length).toBeLessThanOrEqual(FORM_LIMITS.submitLabelLength);
    expect(form.fields.length).toBeLessThanOrEqual(FORM_LIMITS.fieldsPerForm);
    for (const field of form.fields) {
      expect(field.label.length, field.id).toBeLessThanOrEqual(FORM_LIMITS.fieldLabelLength);
      expect((field.hint ?? '').length, field.id).toBeLessThanOrEqual(FORM_LIMITS.hintLength);
      for (const o of field.options ?? []) expect(o.label.length).toBeLessThanOrEqual(FORM_LIMITS.optionLabelLength);
    }
    const modal = renderFormModal(form);
    const slackInputs = (modal.blocks as { type: string; block_id?: string }[]).filter((b) => b.type === 'input').map((b) => b.block_id);
    const card = renderFormCard(form);
    // The people picker has no static choices: Teams fills it from the directory search
    // (Data.Query, as in Microsoft's own people-picker sample); the generic parser still notes it.
    const picker = form.fields.some((f) => f.kind === 'user' && !f.options?.length);
    const expected = picker ? ['An Input.ChoiceSet must have at least one choice defined.'] : [];
    expect(adaptiveCardProblems(card)).toEqual(expected);
    expect(cardIds(card).inputs).toEqual(slackInputs);
    expect(slackInputs).toEqual(form.fields.map((f) => f.id));
  });
});
