/**
 * The cases feature in chat: `case CW-7K3P` (the card), `case add`, `case edit CW-7K3P`, and
 * `cases` (mine, or the team's for supervisors and admins, a page at a time). Every view and
 * change is authorised against the actor's team and role and audited in the same transaction.
 */
import { authorize, can, type Actor, type Permission } from '../access/permissions.ts';
import { pageNumber, type ParsedCommand } from '../commands/parse-command.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import { DomainError } from '../errors.ts';
import { readForm, withErrors } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { CaseCardData, Repositories } from '../ports.ts';
import { asActor, audit, calendarFor, teamToday, viewAsActor, type CoreRequest } from '../services.ts';
import { ITEMS_PER_PAGE, pageLabel, pagerActions } from '../views/list-page.ts';
import { weekEnd } from '../reminders/reminder-schedule.ts';
import { formatDue } from '../views/format.ts';
import type { ActionView, MessageView, SectionView } from '../views/message-view.ts';
import { caseCardView } from './case-card.ts';
import { refreshCaseDeadlines } from './case-deadlines-sync.ts';
import { CASE_ADD_FORM, CASE_EDIT_FORM, caseForm, caseFormValues, declareCaseForm, type CaseFormValues } from './case-form.ts';
import { allocateCaseKey, normaliseCaseKey, requireCaseKey } from './case-key.ts';
import { visitHistorySection } from '../visits/visit-views.ts';

const CASE_USAGE = 'case CW-7K3P';

/** The case, if it is the actor's team's; refuses cases in other teams as not found. */
function ownCase<C extends Case>(found: C | undefined, actor: Actor, key: string): C {
  if (!found || found.teamId !== actor.team.id) {
    throw new DomainError('case_not_found', `There is no case ${key} in ${actor.team.name}. Check the key, or run cases to see yours.`, {
      crossTeam: Boolean(found),
    });
  }
  return found;
}

/** Finds a case by key for an actor, refusing cases in other teams as not found. */
export async function loadCase(repos: Repositories, actor: Actor, key: string): Promise<Case> {
  return ownCase(await repos.cases.findByKey(key), actor, key);
}

/** Refuses to record work on a closed case (an assessment, a change): it has no deadlines left to move. */
export function requireActiveCase(c: Case, what: string): void {
  if (c.status !== 'active') {
    throw new DomainError('conflict', `Case ${c.key} is closed, so ${what} cannot be recorded on it.`, { caseId: c.id });
  }
}

/**
 * The case something is about to be recorded on (`what`: 'a change', 'a MAPPA review'): one of the
 * actor's team's cases, which the actor may do `permission` on, and still open.
 */
export async function loadCaseToRecord(repos: Repositories, actor: Actor, key: string, permission: Permission, what: string): Promise<Case> {
  const c = await loadCase(repos, actor, key);
  authorize(actor, permission, c);
  requireActiveCase(c, what);
  return c;
}

// How many recent visits the case card lists.
const CARD_VISITS = 5;
// A card with no names or visits to show (never the case once the case itself was found).
const NOTHING_MORE: Omit<CaseCardData, 'case'> = { people: new Map(), visits: [] };

/** The buttons a viewer may use on a case card. */
export function caseCardActions(actor: Actor, c: Case): ActionView[] {
  const value = { caseKey: c.key };
  const actions: ActionView[] = [];
  // Recording a visit is what a case card is most often opened for: the one primary button.
  if (can(actor, 'visit.record', c)) actions.push({ id: 'visit.open', label: 'Record visit', value, style: 'primary' });
  if (can(actor, 'assessment.record', c)) actions.push({ id: 'assessment.open', label: 'Record assessment', value });
  if (can(actor, 'change.record', c)) actions.push({ id: 'change.open', label: 'Report a change', value });
  if (c.status === 'active' && can(actor, 'discussion.open', c)) actions.push({ id: 'discussion.open', label: 'Open discussion', value });
  if (can(actor, 'case.edit', c)) actions.push({ id: 'case.edit', label: 'Edit case', value });
  return actions;
}

/** The card of a case (its people and latest visits from `card`) as the actor sees it. */
function caseCardReply(req: CoreRequest, actor: Actor, c: Case, card: Omit<CaseCardData, 'case'>, notice: MessageView['notice']): Reply {
  const view = caseCardView(c, card.people, teamToday(req.services, actor.team), calendarFor(actor.team), {
    actions: caseCardActions(actor, c),
    ...(notice ? { notice } : {}),
  });
  return { type: 'message', view: { ...view, sections: [...(view.sections ?? []), visitHistorySection(card.visits)] } };
}

/**
 * The card for a case just changed by the actor, with a notice saying what changed. No view is
 * audited: the change it confirms already was.
 */
export async function changedCaseReply(repos: Repositories, req: CoreRequest, actor: Actor, c: Case, notice: MessageView['notice']): Promise<Reply> {
  const card = await repos.cases.findCard(c.key, CARD_VISITS);
  return caseCardReply(req, actor, c, card ?? NOTHING_MORE, notice);
}

/**
 * Shows a case card to an actor and records the view in the audit trail: one read for the case,
 * its people and its visits, and the audit row.
 */
export async function showCase(repos: Repositories, req: CoreRequest, actor: Actor, key: string, notice?: MessageView['notice']): Promise<Reply> {
  const card = await repos.cases.findCard(key, CARD_VISITS);
  const c = ownCase(card?.case, actor, key);
  authorize(actor, 'case.view', c);
  await audit(repos, actor, { action: 'case.viewed', entityType: 'case', entityId: c.id, caseId: c.id });
  return caseCardReply(req, actor, c, card ?? NOTHING_MORE, notice);
}

async function openAddForm(req: CoreRequest): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'case.create');
    const members = await repos.members.listByTeam(actor.team.id);
    const values = { managementMode: 'active', leadOfficerId: actor.member.roles.includes('officer') ? actor.member.id : '', coworkerIds: [] };
    return { type: 'form', form: caseForm({ team: actor.team, members, mode: 'add', today: teamToday(req.services, actor.team) }, values, {}) };
  });
}

async function openEditForm(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await loadCase(repos, actor, key);
    authorize(actor, 'case.edit', c);
    const members = await repos.members.listByTeam(actor.team.id);
    return { type: 'form', form: caseForm({ team: actor.team, members, mode: 'edit', today: teamToday(req.services, actor.team) }, caseFormValues(c), { caseKey: c.key }) };
  });
}

/** What the audit trail keeps of a case: everything but the external reference itself. */
export function auditableCase(c: Partial<Case>): Record<string, unknown> {
  const { externalRef, ...rest } = c;
  return externalRef === undefined ? rest : { ...rest, externalRef: externalRef ? '(on file)' : null };
}

async function submitCase(req: CoreRequest, mode: 'add' | 'edit', raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const members = await repos.members.listByTeam(actor.team.id);
    const existing = mode === 'edit' ? await loadCase(repos, actor, requireCaseKey(context.caseKey, CASE_USAGE)) : undefined;
    authorize(actor, mode === 'add' ? 'case.create' : 'case.edit', existing);
    const declared = { team: actor.team, members, mode, today: teamToday(req.services, actor.team) };
    const form = caseForm(declared, {}, existing ? { caseKey: existing.key } : {});
    const parsed = readForm(form, raw, declareCaseForm(declared));
    if (!parsed.ok) return parsed.reply;
    const { values } = parsed;
    const v: CaseFormValues = parsed.data;
    if (v.externalRef) {
      const clash = await repos.cases.findByExternalRef(actor.team.id, v.externalRef);
      if (clash && clash.id !== existing?.id) {
        return { type: 'form-invalid', form: withErrors(form, values, { externalRef: 'Another case in your team already has this reference.' }) };
      }
    }
    const fields = {
      riskLevel: v.riskLevel,
      managementMode: v.managementMode,
      leadOfficerId: v.leadOfficerId,
      coworkerIds: v.coworkerIds,
      supervisorId: v.supervisorId,
      mappaCategory: v.mappaCategory,
      mappaLevel: v.mappaLevel,
      lastAssessmentOn: v.lastAssessmentOn,
      lastVisitOn: v.lastVisitOn,
      planVisitIntervalMonths: v.planVisitIntervalMonths,
      planReviewIntervalMonths: v.planReviewIntervalMonths,
    };
    let saved: Case;
    if (existing) {
      saved = await repos.cases.update(existing.id, { ...fields, ...(v.externalRef ? { externalRef: v.externalRef } : {}) });
      saved = await refreshCaseDeadlines(repos, actor.team, saved);
      await audit(repos, actor, {
        action: 'case.updated',
        entityType: 'case',
        entityId: saved.id,
        caseId: saved.id,
        before: auditableCase(existing),
        after: auditableCase(saved),
      });
    } else {
      const key = await allocateCaseKey((k) => repos.cases.keyExists(k), req.services.random);
      saved = await repos.cases.create({
        ...fields,
        teamId: actor.team.id,
        key,
        externalRef: v.externalRef,
        lastMappaReviewOn: null,
        createdOn: teamToday(req.services, actor.team),
      });
      saved = await refreshCaseDeadlines(repos, actor.team, saved);
      await audit(repos, actor, { action: 'case.created', entityType: 'case', entityId: saved.id, caseId: saved.id, after: auditableCase(saved) });
    }
    return changedCaseReply(repos, req, actor, saved, {
      tone: 'info',
      text: existing ? `Case ${saved.key} updated. Due dates recalculated.` : `Case ${saved.key} added. Use this key whenever you refer to the case.`,
    });
  });
}

async function listCases(req: CoreRequest, page: number): Promise<Reply> {
  return viewAsActor(req, async (repos, actor) => {
    const teamWide = can(actor, 'case.list_team');
    const today = teamToday(req.services, actor.team);
    const calendar = calendarFor(actor.team);
    const wanted = Math.max(1, page);
    const query = { ...(teamWide ? {} : { memberId: actor.member.id }), today, weekEnd: weekEnd(today), limit: ITEMS_PER_PAGE };
    let result = await repos.cases.listByUrgency(actor.team.id, { ...query, offset: (wanted - 1) * ITEMS_PER_PAGE });
    const pages = Math.max(1, Math.ceil(result.total / ITEMS_PER_PAGE));
    // Past the last page (the list shrank, or a typed number): show the last page instead.
    const current = Math.min(wanted, pages);
    if (current !== wanted) result = await repos.cases.listByUrgency(actor.team.id, { ...query, offset: (current - 1) * ITEMS_PER_PAGE });
    await audit(repos, actor, { action: 'cases.listed', entityType: 'team', entityId: actor.team.id, after: { page: current, scope: teamWide ? 'team' : 'mine', shown: result.items.map((c) => c.key) } });
    const sections: SectionView[] = result.items.map((c) => {
      const next = earliest(earliest(c.visitDueOn, c.earlyReviewDueOn), earliest(c.assessmentReviewDueOn, c.mappaReviewDueOn));
      const overdue = next !== null && next < today;
      const section: SectionView = {
        heading: `${c.key} · ${riskLevelLabels[c.riskLevel]} risk${overdue ? ' · overdue' : ''}`,
        facts: [
          { label: 'Lead officer', value: c.leadOfficerId ? (result.leadNames.get(c.leadOfficerId) ?? 'Former member') : 'Not assigned' },
          { label: 'Next visit', value: formatDue(c.visitDueOn, today, calendar) },
          { label: 'Next review', value: formatDue(earliest(c.earlyReviewDueOn, c.assessmentReviewDueOn), today, calendar) },
        ],
        actions: [{ id: 'case.open', label: `Open ${c.key}`, value: { caseKey: c.key } }],
      };
      if (overdue) section.emphasis = 'attention';
      else if (c.riskLevel === 'very_high') section.emphasis = 'warning';
      return section;
    });
    const listed = { items: result.items, page: current, pages, total: result.total };
    const label = pageLabel(listed);
    const view: MessageView = {
      kind: 'case-list',
      title: teamWide ? `${actor.team.name}: cases` : 'My cases',
      subtitle:
        result.total === 0
          ? 'No active cases.'
          : [`${result.total} active`, `${result.overdue} overdue`, `${result.thisWeek} due this week`, ...(label ? [label] : [])].join(' · '),
      sections,
      actions: pagerActions('cases.page', listed),
    };
    if (result.total === 0) view.paragraphs = [teamWide ? 'Add one with case add, or import the caseload from a spreadsheet.' : 'Cases you lead or co-work will appear here.'];
    return { type: 'message', view };
  });
}

function earliest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

function pageArg(cmd: ParsedCommand): number {
  return pageNumber(cmd.args.find((a) => /^\d+$/.test(a)));
}

/** The edit form's title as the form will show it (`Edit CW-7K3P`), told to Slack before the form is made. */
function editFormTitle(input: string | undefined): string {
  return `Edit ${normaliseCaseKey(input) ?? 'case'}`.slice(0, 24);
}

/** The cases feature. */
export const casesFeature: Feature = {
  commands: [
    {
      name: 'case', menu: 3,
      usage: 'case CW-7K3P | case add | case edit CW-7K3P',
      summary: 'See a case card with its due dates, add a case, or change one.',
      opensForm: (cmd) => {
        const sub = cmd.args[0]?.toLowerCase();
        if (sub === 'add') return 'Add a case';
        if (sub === 'edit') return editFormTitle(cmd.args[1]);
        return null;
      },
      async run(req, cmd) {
        const sub = cmd.args[0]?.toLowerCase();
        if (sub === 'add') return openAddForm(req);
        if (sub === 'edit') return openEditForm(req, requireCaseKey(cmd.args[1], 'case edit CW-7K3P'));
        const key = requireCaseKey(cmd.args[0], CASE_USAGE);
        return viewAsActor(req, (repos, actor) => showCase(repos, req, actor, key));
      },
    },
    {
      name: 'cases', menu: 4,
      usage: 'cases [page]',
      summary: "List your cases (supervisors and admins: the team's), most urgent first, with their next due dates.",
      run: (req, cmd) => listCases(req, pageArg(cmd)),
    },
  ],
  actions: [
    {
      id: 'case.open',
      run: (req, value) => viewAsActor(req, (repos, actor) => showCase(repos, req, actor, requireCaseKey(value.caseKey, CASE_USAGE))),
    },
    { id: 'case.edit', opensForm: (value) => editFormTitle(value.caseKey), run: (req, value) => openEditForm(req, requireCaseKey(value.caseKey, CASE_USAGE)) },
    { id: 'cases.page', run: (req, value) => listCases(req, pageNumber(value.page)) },
  ],
  forms: [
    { id: CASE_ADD_FORM, submit: (req, raw, context) => submitCase(req, 'add', raw, context) },
    { id: CASE_EDIT_FORM, submit: (req, raw, context) => submitCase(req, 'edit', raw, context) },
  ],
};
