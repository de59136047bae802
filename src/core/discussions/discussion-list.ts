/**
 * Finding discussions without scrolling the channel: `discussions` lists the open ones in your
 * team (supervisors and admins: all of them; officers: those on cases they lead or co-work),
 * longest waiting first, each with a link to its thread. Also the root card's own refresh, which
 * draws a supervisor's copy of the card with their buttons.
 */
import { can, isOwnCase } from '../access/permissions.ts';
import type { Feature } from '../commands/registry.ts';
import { DomainError } from '../errors.ts';
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { calendarFor, teamToday, viewAsActor, type CoreRequest } from '../services.ts';
import { formatDateTime } from '../views/format.ts';
import { pageLabel, pageOf, pagerActions } from '../views/list-page.ts';
import { pageNumber } from '../commands/parse-command.ts';
import type { ActionView, MessageView, SectionView } from '../views/message-view.ts';
import { discussionStatusLabels } from './discussion-ports.ts';
import { loadDiscussion, memberName, rootViewFor } from './discussion-service.ts';
import { DISCUSSIONS_LIST_ACTION, ROOT_CARD_ACTION, supervisorActions, threadLinkAction, type WaitingDiscussion } from './discussion-views.ts';

const LIST_ACTION = DISCUSSIONS_LIST_ACTION;
const QUESTION_SHOWN = 140;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function listDiscussions(req: CoreRequest, page: number): Promise<Reply> {
  return viewAsActor(req, async (repos, actor) => {
    const teamWide = can(actor, 'case.list_team');
    const open = await repos.discussions.listOpenForTeam(actor.team.id);
    const visible = teamWide ? open : open.filter((d) => isOwnCase(actor.member, d.case));
    const calendar = calendarFor(actor.team);
    const today = teamToday(req.services, actor.team);
    const current = pageOf(visible, page);
    const supervises = can(actor, 'supervision.write');
    const sections: SectionView[] = [];
    for (const d of current.items) {
      const waited = Math.max(0, calendar.workingDaysBetween(d.openedOn, today));
      const actions: ActionView[] = [];
      if (d.discussion.rootRef?.link) actions.push(threadLinkAction(d.discussion.rootRef.link));
      if (supervises) actions.push(...supervisorActions(d.discussion));
      sections.push({
        heading: `${d.case.key} · ${discussionStatusLabels[d.discussion.status]}`,
        text: clip(d.discussion.question, QUESTION_SHOWN),
        facts: [
          { label: 'Asked by', value: `${await memberName(repos, d.discussion.openedBy)}, ${formatDateTime(d.discussion.openedAt, actor.team.timeZone)}` },
          { label: 'Waiting', value: waited === 0 ? 'Opened today' : `${waited} working day${waited === 1 ? '' : 's'}` },
        ],
        ...(waited >= 2 && d.discussion.status !== 'decided' ? { emphasis: 'warning' as const } : {}),
        actions,
      });
    }
    const awaiting = visible.filter((d) => d.discussion.status !== 'decided').length;
    const label = pageLabel(current);
    const view: MessageView = {
      kind: 'discussion-list',
      title: teamWide ? `${actor.team.name}: open discussions` : 'Open discussions on your cases',
      subtitle: visible.length === 0 ? 'None open.' : [`${visible.length} open`, `${awaiting} awaiting a decision`, ...(label ? [label] : [])].join(' · '),
      sections,
      actions: pagerActions(LIST_ACTION, current),
    };
    if (visible.length === 0) view.paragraphs = ['Open one on a case with: discuss CW-7K3P <question>.'];
    await repos.audit.record(
      { teamId: actor.team.id, memberId: actor.member.id, label: actor.label },
      { action: 'discussions.listed', entityType: 'team', entityId: actor.team.id, after: { page: current.page, scope: teamWide ? 'team' : 'mine', shown: current.items.map((d) => d.discussion.id) } },
    );
    return { type: 'message', view };
  });
}

/**
 * Discussions in a supervisor's scope (their cases, their officers' cases, and cases with no
 * supervisor) that are not decided and were opened on or before `since`, longest waiting first.
 */
export async function discussionsAwaitingDecision(repos: Repositories, teamId: string, supervisorId: string, since: IsoDate, today: IsoDate, calendar: WorkingCalendar): Promise<WaitingDiscussion[]> {
  const open = (await repos.discussions.listOpenForTeam(teamId)).filter((d) => d.discussion.status !== 'decided' && d.openedOn <= since);
  if (open.length === 0) return [];
  const members = new Map((await repos.members.listByTeam(teamId, { includeInactive: true })).map((m) => [m.id, m]));
  return open
    .filter((d) => (d.case.supervisorId ?? (d.case.leadOfficerId ? members.get(d.case.leadOfficerId)?.supervisorMemberId : null) ?? supervisorId) === supervisorId)
    .map((d) => ({ caseKey: d.case.key, openedOn: d.openedOn, workingDaysWaited: Math.max(0, calendar.workingDaysBetween(d.openedOn, today)) }));
}

/** The root card drawn for whoever's client asks: a supervisor's copy has their buttons. */
async function rootCard(req: CoreRequest, discussionId: string | undefined): Promise<Reply> {
  return viewAsActor(req, async (repos, actor) => {
    const { discussion, caseRecord } = await loadDiscussion(repos, actor, discussionId);
    const view = await rootViewFor(repos, actor.team, discussion, req.services.clock.now(), { supervisor: can(actor, 'supervision.write', caseRecord) });
    return { type: 'update', view };
  });
}

/** The discussion list and the root card's refresh. */
export const discussionListFeature: Feature = {
  commands: [
    {
      name: 'discussions', menu: 9,
      usage: 'discussions [page]',
      summary: 'Open case discussions in your team, longest waiting first, with links to their threads.',
      run: (req, cmd) => listDiscussions(req, pageNumber(cmd.args[0])),
    },
  ],
  actions: [
    { id: LIST_ACTION, run: (req, value) => listDiscussions(req, pageNumber(value.page)) },
    {
      id: ROOT_CARD_ACTION,
      run: async (req, value) => {
        if (!value.discussionId) throw new DomainError('not_found', 'That discussion could not be found.');
        return rootCard(req, value.discussionId);
      },
    },
  ],
};
