/**
 * The team policy feature in chat: `policy` opens the policy form for admins (others see the
 * policy and who can change it). Saving updates the team and its closure days and writes the
 * audit row in one short transaction, and asks for every case's due dates to be recalculated:
 * that runs at once after commit, in batches, off the request path (a team may have thousands of
 * cases, and Slack waits only 3 seconds for the form's answer).
 */
import { can, authorize } from '../access/permissions.ts';
import { RECALCULATE_DEADLINES_JOB } from '../deadlines/recalculate-deadlines.ts';
import type { Feature } from '../commands/registry.ts';
import type { Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import { asActor, audit, type CoreRequest } from '../services.ts';
import { declarePolicyForm, POLICY_FORM, policyForm } from './policy-form.ts';
import { policySummaryView } from './policy-view.ts';
import { POLICY_OPEN_ACTION } from './setup-views.ts';

const FORM_TITLE = 'Team policy';

/** What the audit trail keeps of a team's settings. */
function auditableSettings(team: Team): Record<string, unknown> {
  return { name: team.name, timeZone: team.timeZone, policy: team.policy, closures: team.closures };
}

/** `policy`: the policy in force, in words, for everyone; admins also get the button to change it. */
function showPolicy(req: CoreRequest): Promise<Reply> {
  return asActor(req, async (_repos, actor) => {
    const editable = can(actor, 'policy.set');
    return { type: 'message', view: policySummaryView(actor.team, undefined, { editable }) };
  });
}

/** "Edit policy": the form, for admins; anyone else sees the policy in force and why they cannot change it. */
function openPolicy(req: CoreRequest): Promise<Reply> {
  return asActor(req, async (_repos, actor) => {
    if (!can(actor, 'policy.set')) {
      return { type: 'message', view: policySummaryView(actor.team, { tone: 'info', text: "Only team admins can change the team's policy. This is the policy in force." }) };
    }
    return { type: 'form', form: policyForm(actor.team) };
  });
}

async function submitPolicy(req: CoreRequest, raw: Record<string, unknown>): Promise<Reply> {
  const reply = await asActor(req, async (repos, actor): Promise<Reply> => {
    authorize(actor, 'policy.set');
    const form = policyForm(actor.team, {});
    const parsed = readForm(form, raw, declarePolicyForm(actor.team));
    if (!parsed.ok) return parsed.reply;
    const { name, timeZone, policy, closures } = parsed.data;
    await repos.teams.update(actor.team.id, { name, timeZone, policy });
    await repos.teams.setClosures(actor.team.id, closures);
    const team = await repos.teams.findById(actor.team.id);
    if (!team) throw new DomainError('team_not_found', 'Your team no longer exists, so the policy was not saved.');
    const active = await repos.cases.countActive(team.id);
    await repos.deadlines.requestRecalculation(team.id, req.services.clock.now());
    await audit(repos, actor, {
      action: 'policy.updated',
      entityType: 'team',
      entityId: team.id,
      before: auditableSettings(actor.team),
      after: { ...auditableSettings(team), casesToRecalculate: active },
    });
    const recalculated =
      active === 0
        ? 'There are no active cases to recalculate yet.'
        : `Recalculating the due dates of ${active} active case${active === 1 ? '' : 's'} now: case cards and reminders follow the new dates within a minute.`;
    return { type: 'message', view: policySummaryView(team, { tone: 'info', text: `Policy saved. ${recalculated}` }, { editable: true }) };
  });
  if (reply.type === 'message') req.services.jobs?.kick(RECALCULATE_DEADLINES_JOB);
  return reply;
}

/** The policy feature. */
export const policyFeature: Feature = {
  commands: [
    {
      name: 'policy',
      usage: 'policy',
      summary: "See the team's policy; admins change intervals, reminders, closure days and other settings.",
      run: (req) => showPolicy(req),
    },
  ],
  actions: [{ id: POLICY_OPEN_ACTION, opensForm: () => FORM_TITLE, run: (req) => openPolicy(req) }],
  forms: [{ id: POLICY_FORM, submit: (req, raw) => submitPolicy(req, raw) }],
};
