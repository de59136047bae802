/**
 * Leavers and movers in chat: removing someone from the roster who still leads or supervises
 * active cases first asks where the cases go (all to one person, or case by case a page at a
 * time), moves them with their open due dates and pending reminders, tells whoever received them
 * privately after commit, audits every case moved, and only then removes the person. Team admins
 * only; every id that comes back from a button or a form is checked against the actor's team.
 */
import { authorize, type Actor } from '../access/permissions.ts';
import type { Feature } from '../commands/registry.ts';
import type { Member } from '../domain/entities.ts';
import type { Effects } from '../effects/effect.ts';
import { readForm, withErrors } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { AuditActor, Repositories } from '../ports.ts';
import { asActor, type CoreRequest } from '../services.ts';
import { casesText, moveCases } from './case-moves.ts';
import {
  candidates,
  caseField,
  declareMoveAllForm,
  declareMoveEachForm,
  DECIDE_LATER,
  LEAVER_ACTIONS,
  leaverDoneView,
  leaverQuestionView,
  MOVE_ALL_FORM,
  MOVE_ALL_TITLE,
  MOVE_EACH_FORM,
  MOVE_EACH_TITLE,
  MOVE_PAGE_SIZE,
  moveAllForm,
  moveEachForm,
} from './leaver-views.ts';
import type { CaseHold, HeldCase } from './reassignment-ports.ts';
import { isLastAdmin, lastAdminMessage, loadMember, removeConfirmReply, removeMember } from './roster-commands.ts';

const REASON = 'Leaving the team: cases moved before removal from the roster';
// Case keys are short; anything longer in a form's context was not written by Casework.
const MAX_KEY_LENGTH = 20;

function auditActor(actor: Actor): AuditActor {
  return { teamId: actor.team.id, memberId: actor.member.id, label: actor.label };
}

/** A removed person's form or button pressed again: nothing to do, so say where things stand. */
async function alreadyRemoved(repos: Repositories, actor: Actor, memberId: string | undefined): Promise<Reply | undefined> {
  const found = memberId && /^[0-9a-f-]{36}$/i.test(memberId) ? await repos.members.findById(memberId) : undefined;
  if (found && found.teamId === actor.team.id && !found.active) {
    return { type: 'message', view: leaverDoneView(found, [`${found.displayName} had already been removed.`], true) };
  }
  return undefined;
}

/**
 * The leaver an admin is dealing with: the answer when they have already been removed (a second
 * press, another admin first), or the member to move cases from.
 */
async function leaverInHand(repos: Repositories, actor: Actor, memberId: string | undefined): Promise<{ done: Reply } | { member: Member }> {
  authorize(actor, 'roster.manage');
  const done = await alreadyRemoved(repos, actor, memberId);
  return done ? { done } : { member: await loadMember(repos, actor, memberId) };
}

/** A page of `member`'s cases held as `hold` after `afterKey`, starting again from the first when that runs out. */
async function pageOf(repos: Repositories, actor: Actor, member: Member, hold: CaseHold, afterKey: string): Promise<{ items: HeldCase[]; total: number; afterKey: string }> {
  const page = await repos.reassignment.list(actor.team.id, member.id, hold, { afterKey, limit: MOVE_PAGE_SIZE });
  if (page.items.length > 0 || page.total === 0 || afterKey === '') return { ...page, afterKey };
  return { ...(await repos.reassignment.list(actor.team.id, member.id, hold, { limit: MOVE_PAGE_SIZE })), afterKey: '' };
}

/** Removes the member once nothing is left with them; otherwise (or for the last admin) says why not. */
async function finish(repos: Repositories, actor: Actor, member: Member, summary: string[]): Promise<Reply> {
  if (await isLastAdmin(repos, member)) return { type: 'message', view: leaverDoneView(member, [...summary, lastAdminMessage(member)], false) };
  await removeMember(repos, actor, member, REASON);
  return { type: 'message', view: leaverDoneView(member, summary, true) };
}

function openMoveAll(req: CoreRequest, memberId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const leaver = await leaverInHand(repos, actor, memberId);
    if ('done' in leaver) return leaver.done;
    const { member } = leaver;
    const holds = await repos.reassignment.holds(actor.team.id, member.id);
    if (holds.leads + holds.supervises === 0) return removeConfirmReply(repos, actor, member);
    const members = await repos.members.listByTeam(actor.team.id);
    const form = moveAllForm(member, holds, members);
    const missing = (['lead', 'supervisor'] as const).filter((h) => (h === 'lead' ? holds.leads : holds.supervises) > 0 && candidates(members, member, h).length === 0);
    if (missing.length > 0) {
      form.notice = { tone: 'error', text: `There is no other ${missing[0] === 'lead' ? 'officer' : 'supervisor'} on the roster to take them: add one first.` };
    }
    return { type: 'form', form };
  });
}

async function moveAll(repos: Repositories, actor: Actor, effects: Effects, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const leaver = await leaverInHand(repos, actor, context.memberId);
  if ('done' in leaver) return leaver.done;
  const { member } = leaver;
  const holds = await repos.reassignment.holds(actor.team.id, member.id);
  const members = await repos.members.listByTeam(actor.team.id);
  const form = moveAllForm(member, holds, members);
  const parsed = readForm(form, raw, declareMoveAllForm(member, holds, members));
  if (!parsed.ok) return parsed.reply;
  const { values } = parsed;
  if (await isLastAdmin(repos, member)) return { type: 'form-invalid', form: withErrors(form, values, { _form: lastAdminMessage(member) }) };
  const summary: string[] = [];
  for (const [hold, toId] of [['lead', parsed.data.officer], ['supervisor', parsed.data.supervisor]] as const) {
    const to = members.find((m) => m.id === toId);
    if (!to) continue;
    const moved = await moveCases(repos, effects, { team: actor.team, actor: auditActor(actor), hold, from: member, to, reason: REASON });
    summary.push(`${casesText(moved.cases.length)} now ${hold === 'lead' ? 'led' : 'supervised'} by ${to.displayName}.`);
  }
  const left = await repos.reassignment.holds(actor.team.id, member.id);
  if (left.leads + left.supervises > 0) return { type: 'message', view: leaverQuestionView(member, left) };
  return finish(repos, actor, member, summary);
}

function openMoveEach(req: CoreRequest, memberId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const leaver = await leaverInHand(repos, actor, memberId);
    if ('done' in leaver) return leaver.done;
    const { member } = leaver;
    const holds = await repos.reassignment.holds(actor.team.id, member.id);
    if (holds.leads + holds.supervises === 0) return removeConfirmReply(repos, actor, member);
    const hold: CaseHold = holds.leads > 0 ? 'lead' : 'supervisor';
    const members = await repos.members.listByTeam(actor.team.id);
    return { type: 'form', form: moveEachForm(member, hold, await pageOf(repos, actor, member, hold, ''), members) };
  });
}

async function moveEach(repos: Repositories, actor: Actor, effects: Effects, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const leaver = await leaverInHand(repos, actor, context.memberId);
  if ('done' in leaver) return leaver.done;
  const { member } = leaver;
  const hold: CaseHold = context.hold === 'supervisor' ? 'supervisor' : 'lead';
  const after = typeof context.after === 'string' && context.after.length <= MAX_KEY_LENGTH ? context.after : '';
  const members = await repos.members.listByTeam(actor.team.id);
  // The page is read again from the database: only cases still with this person can move.
  const page = await pageOf(repos, actor, member, hold, after);
  const form = moveEachForm(member, hold, page, members);
  const parsed = readForm(form, raw, declareMoveEachForm(member, hold, page.items, members));
  if (!parsed.ok) return parsed.reply;
  const byTarget = new Map<string, string[]>();
  for (const c of page.items) {
    const chosen = parsed.data[caseField(c)];
    if (!chosen || chosen === DECIDE_LATER) continue;
    byTarget.set(chosen, [...(byTarget.get(chosen) ?? []), c.id]);
  }
  let moved = 0;
  const summary: string[] = [];
  for (const [toId, caseIds] of byTarget) {
    const to = members.find((m) => m.id === toId)!;
    const result = await moveCases(repos, effects, { team: actor.team, actor: auditActor(actor), hold, from: member, to, caseIds, reason: REASON });
    moved += result.cases.length;
    summary.push(`${casesText(result.cases.length)} now ${hold === 'lead' ? 'led' : 'supervised'} by ${to.displayName}.`);
  }
  const left = await repos.reassignment.holds(actor.team.id, member.id);
  const remaining = left.leads + left.supervises;
  if (remaining === 0) return finish(repos, actor, member, summary);
  const nextHold: CaseHold = left.leads > 0 ? 'lead' : 'supervisor';
  const nextAfter = nextHold === hold ? (page.items.at(-1)?.key ?? '') : '';
  const next = await pageOf(repos, actor, member, nextHold, nextAfter);
  const text = moved > 0 ? `Moved ${casesText(moved)}. ${casesText(remaining)} still to go.` : `Nothing moved on that page. ${casesText(remaining)} still to go.`;
  return { type: 'form', form: moveEachForm(member, nextHold, next, members, { notice: { tone: 'info', text } }) };
}

/** The leaver flow. */
export const leaverFeature: Feature = {
  actions: [
    { id: LEAVER_ACTIONS.moveAll, opensForm: () => MOVE_ALL_TITLE, run: (req, value) => openMoveAll(req, value.memberId) },
    { id: LEAVER_ACTIONS.moveEach, opensForm: () => MOVE_EACH_TITLE, run: (req, value) => openMoveEach(req, value.memberId) },
  ],
  forms: [
    { id: MOVE_ALL_FORM, submit: (req, raw, context) => asActor(req, (repos, actor, effects) => moveAll(repos, actor, effects, raw, context)) },
    { id: MOVE_EACH_FORM, submit: (req, raw, context) => asActor(req, (repos, actor, effects) => moveEach(repos, actor, effects, raw, context)) },
  ],
};
