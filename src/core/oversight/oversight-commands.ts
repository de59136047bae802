/**
 * `overview` in chat: the team at a glance for supervisors and admins (`overview [page]`), one
 * officer's figures (`overview @officer`, and `overview me` for anyone), the lists behind them
 * (`overview discussions|unsupervised|no-deadline|mappa`), and the oversight report as a file
 * (`overview report [FROM TO] [pdf|csv|md]`). Views read without a transaction and are audited.
 */
import { authorize, can, type Actor } from '../access/permissions.ts';
import { addCalendarMonths, isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Feature } from '../commands/registry.ts';
import type { ParsedCommand } from '../commands/parse-command.ts';
import type { Member } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { InboundContext, Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { audit, calendarFor, teamToday, viewAsActor, type CoreRequest } from '../services.ts';
import { pageOf, ITEMS_PER_PAGE, type ListPage } from '../views/list-page.ts';
import { pageNumber } from '../commands/parse-command.ts';
import { DUE_SOON_WORKING_DAYS, emptyOfficerCounts, figureBounds, teamFigures } from './oversight-figures.ts';
import { REPORT_FORMATS, type ReportFormat } from './oversight-report.ts';
import { prepareReport, reportSentReply } from './oversight-report-delivery.ts';
import { listView, officerView, OVERSIGHT_ACTIONS, OVERSIGHT_LISTS, overviewView, type OversightList } from './oversight-views.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USAGE = 'overview [me | @officer | discussions | unsupervised | no-deadline | mappa | report]';
const LIST_WORDS: Record<string, OversightList> = {
  discussions: 'discussions',
  decisions: 'discussions',
  unsupervised: 'unsupervised',
  'no-supervisor': 'unsupervised',
  'no-deadline': 'no-deadline',
  'no-deadlines': 'no-deadline',
  mappa: 'mappa',
};

function refuseTeamView(): never {
  throw new DomainError('not_authorised', "Only supervisors and team admins can see the team's overview. Type overview me for your own figures.", { permission: 'oversight.view' });
}

/** Where a page of the team overview starts, as a clamped page of the team's officers. */
async function teamOverview(req: CoreRequest, page: number): Promise<Reply> {
  return viewAsActor(req, async (repos, actor) => {
    if (!can(actor, 'oversight.view')) refuseTeamView();
    const today = teamToday(req.services, actor.team);
    const figures = await teamFigures(repos, actor.team, today);
    // Officers with something overdue first, then by name: who needs attention is on page one.
    const ordered = [...figures.officers].sort((a, b) => b.counts.overdueAll - a.counts.overdueAll);
    const officers = pageOf(ordered, page);
    const lists = await repos.oversight.listCounts(actor.team.id, figures.bounds.dueSoonUntil);
    await audit(repos, actor, { action: 'oversight.viewed', entityType: 'team', entityId: actor.team.id, after: { view: 'overview', page: officers.page, officers: officers.items.map((o) => o.officer.id) } });
    return { type: 'message', view: overviewView({ teamName: actor.team.name, today, team: figures.team, officers, lists }) };
  });
}

/** The officer a typed argument names: a Slack mention, `me`, or a name on the roster. */
async function namedOfficer(repos: Repositories, ctx: InboundContext, actor: Actor, arg: string): Promise<Member> {
  const members = await repos.members.listByTeam(actor.team.id);
  if (arg.toLowerCase() === 'me') return actor.member;
  const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(arg)?.[1];
  if (mention) {
    const identities = await repos.members.findIdentities(ctx.user.platform, ctx.user.workspaceId, mention);
    const found = members.find((m) => identities.some((i) => i.memberId === m.id));
    if (found) return found;
  } else {
    const name = arg.replace(/^@/, '').trim().toLowerCase();
    const exact = members.filter((m) => m.displayName.toLowerCase() === name);
    const starting = members.filter((m) => m.displayName.toLowerCase().startsWith(name));
    const found = exact.length === 1 ? exact[0] : starting.length === 1 ? starting[0] : undefined;
    if (found) return found;
  }
  throw new DomainError('not_found', `There is nobody called "${arg.slice(0, 40)}" on the roster of ${actor.team.name}. Type overview to see every officer.`);
}

async function officerOverview(req: CoreRequest, who: { arg?: string; memberId?: string }, page: number): Promise<Reply> {
  return viewAsActor(req, async (repos, actor) => {
    const byId = who.memberId && UUID.test(who.memberId) ? await repos.members.findById(who.memberId) : undefined;
    const officer = who.memberId ? byId : await namedOfficer(repos, req.ctx, actor, who.arg ?? 'me');
    if (!officer || officer.teamId !== actor.team.id) throw new DomainError('not_found', 'That officer is not on your team. Type overview to see every officer.');
    if (officer.id !== actor.member.id) authorize(actor, 'oversight.view');
    const today = teamToday(req.services, actor.team);
    const counts = (await repos.oversight.counts(actor.team.id, figureBounds(actor.team, today))).byMember.get(officer.id) ?? emptyOfficerCounts(officer.id);
    const total = counts.overdueAll;
    const current = clampPage(page, total);
    const overdue = await repos.oversight.overdueFor(officer.id, today, (current - 1) * ITEMS_PER_PAGE, ITEMS_PER_PAGE);
    const withoutStrengths = await repos.oversight.casesWithoutStrengths(actor.team.id, officer.id);
    await audit(repos, actor, {
      action: 'oversight.viewed',
      entityType: 'member',
      entityId: officer.id,
      after: { view: 'officer', page: current, shown: overdue.items.map((d) => d.deadlineId) },
    });
    return {
      type: 'message',
      view: officerView({
        officer,
        counts,
        today,
        calendar: calendarFor(actor.team),
        overdue: slicePage(overdue.items, current, overdue.total),
        withoutStrengths,
        teamView: can(actor, 'oversight.view'),
      }),
    };
  });
}

function clampPage(page: number, total: number): number {
  return Math.min(Math.max(1, page), Math.max(1, Math.ceil(total / ITEMS_PER_PAGE)));
}

function slicePage<T>(items: T[], page: number, total: number): ListPage<T> {
  return { items, page, pages: Math.max(1, Math.ceil(total / ITEMS_PER_PAGE)), total };
}

async function listOverview(req: CoreRequest, list: OversightList, page: number): Promise<Reply> {
  return viewAsActor(req, async (repos, actor) => {
    if (!can(actor, 'oversight.view')) refuseTeamView();
    const today = teamToday(req.services, actor.team);
    const calendar = calendarFor(actor.team);
    const counts = await repos.oversight.listCounts(actor.team.id, calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS));
    const totals: Record<OversightList, number> = { discussions: counts.awaitingDecision, unsupervised: counts.withoutSupervisor, 'no-deadline': counts.withoutDeadline, mappa: counts.mappaDue };
    const current = clampPage(page, totals[list]);
    const offset = (current - 1) * ITEMS_PER_PAGE;
    const id = actor.team.id;
    const slice =
      list === 'discussions'
        ? await repos.oversight.awaitingDecision(id, offset, ITEMS_PER_PAGE)
        : list === 'unsupervised'
          ? await repos.oversight.withoutSupervisor(id, offset, ITEMS_PER_PAGE)
          : list === 'no-deadline'
            ? await repos.oversight.withoutDeadline(id, offset, ITEMS_PER_PAGE)
            : await repos.oversight.mappaDue(id, calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS), offset, ITEMS_PER_PAGE);
    const items = slice.items as (typeof slice.items)[number][];
    await audit(repos, actor, {
      action: 'oversight.viewed',
      entityType: 'team',
      entityId: id,
      after: { view: `list:${list}`, page: current, shown: items.map((i) => ('discussionId' in i ? i.discussionId : 'deadlineId' in i ? i.deadlineId : i.caseId)) },
    });
    return { type: 'message', view: listView({ list, teamName: actor.team.name, today, calendar, timeZone: actor.team.timeZone, page: slicePage(items, current, slice.total) }) };
  });
}

/** `overview report [FROM TO] [pdf|csv|md]`: the period defaults to the last three months. */
function reportArgs(args: readonly string[], today: IsoDate): { from: IsoDate; to: IsoDate; format: ReportFormat } {
  const isDate = (a: string): boolean => isIsoDate(a);
  const dates = args.filter(isDate);
  const isFormat = (a: string): a is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(a);
  const words = args.filter((a) => !isDate(a)).map((a) => a.toLowerCase());
  const format = words.find(isFormat);
  const unknown = words.filter((a) => !isFormat(a));
  if (unknown.length > 0 || dates.length === 1 || dates.length > 2) {
    throw new DomainError('invalid_input', 'Usage: overview report [FROM TO] [pdf|csv|md], dates as YYYY-MM-DD. With no dates, the last three months.');
  }
  return { from: dates[0] ?? addCalendarMonths(today, -3), to: dates[1] ?? today, format: format ?? 'pdf' };
}

async function sendReport(req: CoreRequest, args: readonly string[]): Promise<Reply> {
  // Read without a transaction; the audit row and the file effect are written at the end.
  const prepared = await viewAsActor(req, async (repos, actor, effects) => {
    authorize(actor, 'oversight.view');
    const request = reportArgs(args, teamToday(req.services, actor.team));
    return prepareReport(req, repos, actor, effects, request);
  });
  return reportSentReply(prepared);
}

async function runCommand(req: CoreRequest, cmd: ParsedCommand): Promise<Reply> {
  const [first, ...more] = cmd.args;
  if (first === undefined || /^\d+$/.test(first)) return teamOverview(req, pageNumber(first));
  const word = first.toLowerCase();
  if (word === 'report') return sendReport(req, more);
  const list = LIST_WORDS[word];
  if (list) return listOverview(req, list, pageNumber(more[0]));
  return officerOverview(req, { arg: cmd.rest }, 1);
}

/** The oversight feature. */
export const oversightFeature: Feature = {
  commands: [
    {
      name: 'overview',
      usage: USAGE,
      summary: "The team at a glance: each officer's overdue work, caseload, supervision and strengths (supervisors and admins; overview me for your own).",
      run: runCommand,
    },
  ],
  actions: [
    { id: OVERSIGHT_ACTIONS.page, run: (req, value) => teamOverview(req, pageNumber(value.page)) },
    {
      id: OVERSIGHT_ACTIONS.officer,
      run: (req, value) => {
        if (!value.officerId) throw new DomainError('not_found', 'That officer could not be found. Type overview to see every officer.');
        return officerOverview(req, { memberId: value.officerId }, pageNumber(value.page));
      },
    },
    {
      id: OVERSIGHT_ACTIONS.list,
      run: (req, value) => {
        const list = (Object.keys(OVERSIGHT_LISTS) as OversightList[]).find((l) => l === value.list);
        if (!list) throw new DomainError('unsupported', 'That list is no longer available. Type overview to start again.');
        return listOverview(req, list, pageNumber(value.page));
      },
    },
    { id: OVERSIGHT_ACTIONS.report, run: (req) => sendReport(req, []) },
  ],
};

