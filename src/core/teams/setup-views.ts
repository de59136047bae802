/**
 * The messages of team onboarding: the welcome posted when a channel is registered, the answer
 * when the channel already belongs to a team, and the pointer to the channel from a direct chat.
 */
import type { Member, Team } from '../domain/entities.ts';
import type { MessageView } from '../views/message-view.ts';

/** Action ids the welcome card's buttons use (handled by the roster and policy features). */
export const ROSTER_ADD_ACTION = 'roster.add';
export const POLICY_OPEN_ACTION = 'policy.open';

function command(prefix: string | undefined, words: string): string {
  return prefix ? `${prefix} ${words}` : words;
}

/** The welcome card: the team is registered, who its first admin is, and what to do next. */
export function welcomeView(team: Team, admin: Member, prefix: string | undefined): MessageView {
  return {
    kind: 'team-welcome',
    shared: true,
    title: `Casework is set up for ${team.name}`,
    subtitle: `Team ${team.key} · case discussions for this team will be posted in this channel`,
    notice: { tone: 'info', text: `${admin.displayName} set up the team and is its first admin.` },
    facts: [
      { label: 'Team', value: `${team.name} (${team.key})` },
      { label: 'Time zone', value: team.timeZone },
      { label: 'Admin', value: admin.displayName },
    ],
    sections: [
      {
        heading: 'Next steps for the admin',
        facts: [
          { label: `1. ${command(prefix, 'roster add')}`, value: 'Add officers, supervisors and other admins (you can give yourself more roles too).' },
          { label: `2. ${command(prefix, 'case add')}`, value: 'Add the caseload, or import it from a spreadsheet.' },
          { label: `3. ${command(prefix, 'policy')}`, value: 'Check the visit and review intervals, reminders and closure days. They start at the usual MOSOVO defaults.' },
        ],
      },
    ],
    actions: [
      { id: ROSTER_ADD_ACTION, label: 'Add a person', style: 'primary' },
      { id: POLICY_OPEN_ACTION, label: 'Review policy' },
    ],
    footer: 'Chat shows case keys and due dates only: never names, addresses or other personal details.',
  };
}

/**
 * The welcome when a team that already has its people (made on the command line) is given this
 * channel: which team it is, who bound it, and that discussions will be posted here.
 */
export function boundWelcomeView(team: Team, admin: Member | undefined, prefix: string | undefined): MessageView {
  return {
    kind: 'team-welcome',
    shared: true,
    title: `This is now the channel of ${team.name}`,
    subtitle: `Team ${team.key} · case discussions for this team will be posted in this channel`,
    notice: { tone: 'info', text: admin ? `${admin.displayName}, an admin of ${team.name}, gave the team this channel.` : `${team.name} was given this channel by whoever runs Casework.` },
    facts: [
      { label: 'Team', value: `${team.name} (${team.key})` },
      { label: 'Time zone', value: team.timeZone },
    ],
    paragraphs: [
      `Members of ${team.name} can now open a case discussion here with ${command(prefix, 'discuss')} and a case key. Anyone on the team's roster who joins this channel is linked to their account by their email.`,
    ],
    footer: 'Chat shows case keys and due dates only: never names, addresses or other personal details.',
  };
}

/** The private answer to the admin who ran setup: the team is bound, and the welcome is in the channel. */
export function boundConfirmationText(team: Team): string {
  return `${team.name} (${team.key}) now has this channel for its case discussions; the welcome is posted there.`;
}

/** The answer when the channel is already bound to a team. */
export function alreadyRegisteredView(team: Team, admins: readonly Member[], askerIsAdmin: boolean, prefix: string | undefined): MessageView {
  const adminNames = admins.map((a) => a.displayName).join(', ') || 'No active admin';
  return {
    kind: 'team-already-registered',
    shared: true,
    title: `This channel belongs to ${team.name}`,
    subtitle: `Team ${team.key}`,
    facts: [
      { label: 'Team', value: `${team.name} (${team.key})` },
      { label: admins.length === 1 ? 'Admin' : 'Admins', value: adminNames },
    ],
    paragraphs: [
      askerIsAdmin
        ? `You are an admin of this team. Use ${command(prefix, 'roster')} to manage people and ${command(prefix, 'policy')} to change the policy.`
        : `Nothing was changed. To join this team, ask ${admins.length === 1 ? 'its admin' : 'one of its admins'} to add you with ${command(prefix, 'roster add')}.`,
    ],
  };
}

/** The answer to setup in a direct chat: it has to run in the team channel. */
export function setupNeedsChannelView(prefix: string | undefined): MessageView {
  return {
    kind: 'setup-needs-channel',
    shared: true,
    title: 'Run setup in your team channel',
    paragraphs: [
      "A Casework team is bound to the channel where its case discussions will go, so setup must run there, not in a direct chat.",
      `In Slack, invite Casework to the team's channel (/invite @Casework): that registers the team at once, or run ${command(prefix, 'setup')} in the channel. In Teams, add Casework to your team, or @mention it with setup in the channel.`,
    ],
  };
}
