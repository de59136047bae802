/**
 * "My deadlines" on a member's home surface (Slack's App Home): built from their open deadlines
 * and republished whenever one of them changes (a digest sent, a reminder acted on, a deadline met).
 */
import { todayIn } from '../calendar/working-calendar.ts';
import type { Repositories } from '../ports.ts';
import { calendarFor, type DeliveryServices } from '../services.ts';
import type { MessageView } from '../views/message-view.ts';
import { myDeadlinesView, type DeadlineListOptions } from './reminder-views.ts';

/** The "my deadlines" view of a member, as of `now` in their zone. */
export async function myDeadlinesFor(repos: Repositories, memberId: string, now: Date, options: DeadlineListOptions = {}): Promise<MessageView | undefined> {
  const member = await repos.members.findById(memberId);
  const team = member ? await repos.teams.findById(member.teamId) : undefined;
  if (!member || !team) return undefined;
  const today = todayIn(member.timeZone ?? team.timeZone, now);
  return myDeadlinesView(await repos.reminders.openFor(memberId), today, calendarFor(team), options);
}

/**
 * Publishes a member's home surface on every platform that has one, now. Best effort: a home tab
 * that cannot be updated now is rebuilt when the member next opens it. Delivery code only
 * (it calls the platform); features add a `home` effect instead.
 */
export async function publishHome(services: DeliveryServices, memberId: string, now: Date): Promise<void> {
  const homes = services.homes;
  if (!homes) return;
  try {
    const { view, identities } = await services.store.read(async (repos) => ({
      view: await myDeadlinesFor(repos, memberId, now),
      identities: (await repos.members.identitiesOf(memberId)).filter((i) => i.platform === 'slack'),
    }));
    if (!view) return;
    for (const identity of identities) await homes.publish(identity, view);
  } catch {
    // Deliberately quiet: the home tab is a convenience and is rebuilt on the next app_home_opened.
  }
}
