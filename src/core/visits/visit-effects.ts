/**
 * The effects of a valid visit form, in the caller's one transaction: the visit stored (an
 * amendment as a new version), the last visit date and the due dates recalculated, the visit
 * deadline met when the person was seen, each new significant change recorded so the review
 * comes forward, the draft removed, and audit rows for all of it. The supervisor's notice of an
 * urgent change is a chat effect, delivered after commit.
 */
import type { Actor } from '../access/permissions.ts';
import { addCalendarDays, zonedDateTimeToInstant, type IsoDate } from '../calendar/working-calendar.ts';
import { caseDeadlineSubject, refreshCaseDeadlines } from '../cases/case-deadlines-sync.ts';
import type { Case } from '../domain/entities.ts';
import type { EffectHandle, Effects } from '../effects/effect.ts';
import { urgencyOf, type SignificantChangeKind } from '../domain/vocabulary.ts';
import type { Repositories } from '../ports.ts';
import { audit, teamToday, type CoreRequest } from '../services.ts';
import type { VisitFormValues } from './visit-form.ts';
import type { Visit } from './visit-ports.ts';
import { consecutiveFailedEntries, countsAsVisit, isFailedEntry, WARRANT_AFTER_FAILED_ENTRIES } from './visit-rules.ts';
import { discussionQuestion, urgentChangeNotice, type VisitConfirmation } from './visit-views.ts';

// Enough recent visits to see a run of failed entries and every visit that may set the last date.
const RECENT_VISITS = 50;

/** What a recorded visit produced: the confirmation's facts and the supervisor's notice, if one is on its way. */
export interface RecordedVisit {
  confirmation: VisitConfirmation;
  notice: EffectHandle | null;
}

function later(a: IsoDate | null, b: IsoDate | null): IsoDate | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** The last day a visit chain may be amended, under the team's policy. */
export function amendableUntil(original: Pick<Visit, 'visitedOn'>, windowDays: number): IsoDate {
  return addCalendarDays(original.visitedOn, windowDays);
}

/**
 * Records the visit (or the amendment of `amends`, the chain's latest version with its original)
 * and its effects. Returns what the confirmation shows and whom to tell after commit.
 */
export async function recordVisit(
  repos: Repositories,
  req: CoreRequest,
  effects: Effects,
  actor: Actor,
  existing: Case,
  v: VisitFormValues,
  amends?: { latest: Visit; original: Visit },
): Promise<RecordedVisit> {
  const team = actor.team;
  const counted = countsAsVisit(v.outcome);
  const visit = await repos.visits.add({
    caseId: existing.id,
    originalVisitId: amends ? amends.original.id : null,
    amendsVisitId: amends ? amends.latest.id : null,
    version: amends ? amends.latest.version + 1 : 1,
    visitedAt: zonedDateTimeToInstant(v.visitedOn, v.visitedTime, team.timeZone),
    visitedOn: v.visitedOn,
    visitType: v.visitType,
    outcome: v.outcome,
    answers: { ...v },
    nextVisitOn: v.nextVisitOn,
    recordedBy: actor.member.id,
    lastVisitOnBefore: amends ? amends.original.lastVisitOnBefore : existing.lastVisitOn,
  });
  const recent = await repos.visits.currentVersions(existing.id, RECENT_VISITS);

  // A new visit can only move the last visit later; an amendment recomputes it from the date
  // before its chain began and the visits now on record, so a corrected date or outcome moves it back.
  let lastVisitOn = counted ? later(existing.lastVisitOn, v.visitedOn) : existing.lastVisitOn;
  if (amends) {
    const seen = recent.filter((r) => countsAsVisit(r.outcome)).map((r) => r.visitedOn);
    lastVisitOn = seen.reduce<IsoDate | null>(later, amends.original.lastVisitOnBefore);
  }
  const updated = lastVisitOn === existing.lastVisitOn ? existing : await repos.cases.update(existing.id, { lastVisitOn });
  // Met before the refresh, so the refresh opens the next visit instead of moving this one.
  if (counted && !(amends && countsAsVisit(amends.latest.outcome))) {
    await repos.deadlines.markMet(caseDeadlineSubject(existing.id, 'visit'), req.services.clock.now(), v.visitedOn);
  }

  const earlier = new Set<string>(amends ? ((amends.latest.answers.changes as string[] | undefined) ?? []) : []);
  const added: SignificantChangeKind[] = v.changes.filter((k) => !earlier.has(k));
  for (const kind of added) {
    const event = await repos.cases.addChangeEvent({
      caseId: existing.id,
      kind,
      urgency: urgencyOf(kind),
      reportedOn: v.visitedOn,
      source: 'visit',
      reportedBy: actor.member.id,
      visitId: visit.id,
    });
    await audit(repos, actor, {
      action: 'change.recorded',
      entityType: 'change_event',
      entityId: event.id,
      caseId: existing.id,
      after: { kind, urgency: event.urgency, reportedOn: v.visitedOn, source: 'visit', visitId: visit.id },
    });
  }
  const after = await refreshCaseDeadlines(repos, team, updated);
  await repos.visits.deleteDraft(existing.id, actor.member.id);

  const urgent = added.filter((k) => urgencyOf(k) === 'urgent').length;
  const warrant = isFailedEntry(v.outcome) && consecutiveFailedEntries(recent) >= WARRANT_AFTER_FAILED_ENTRIES;
  const original = amends?.original ?? visit;
  const until = amendableUntil(original, team.policy.visitAmendmentWindowDays);
  const due = (c: Case) => ({ lastVisitOn: c.lastVisitOn, visitDueOn: c.visitDueOn, assessmentReviewDueOn: c.assessmentReviewDueOn, earlyReviewDueOn: c.earlyReviewDueOn });
  await audit(repos, actor, {
    action: amends ? 'visit.amended' : 'visit.recorded',
    entityType: 'visit',
    entityId: visit.id,
    caseId: existing.id,
    before: due(existing),
    after: {
      ...due(after),
      version: visit.version,
      originalVisitId: visit.originalVisitId,
      amendsVisitId: visit.amendsVisitId,
      countsAsVisit: counted,
      warrantPointedOut: warrant,
      answers: v,
    },
  });

  // An urgent change is told to the supervisor privately, after commit; a failed delivery never
  // undoes the visit, and the outbox keeps trying.
  let notice: EffectHandle | null = null;
  let supervisor: VisitConfirmation['supervisor'] = 'not_needed';
  if (urgent > 0) {
    const lead = existing.leadOfficerId ? await repos.members.findById(existing.leadOfficerId) : undefined;
    const supervisorId = existing.supervisorId ?? lead?.supervisorMemberId ?? null;
    if (supervisorId && supervisorId !== actor.member.id) {
      const view = urgentChangeNotice(existing.key, v.visitedOn, actor.member.displayName, after.earlyReviewDueOn);
      notice = effects.add({ kind: 'person', memberId: supervisorId, content: { view } }, { await: true });
      await audit(repos, actor, {
        action: 'visit.supervisor_notice_queued',
        entityType: 'visit',
        entityId: visit.id,
        caseId: existing.id,
        after: { supervisorMemberId: supervisorId, outboxId: notice.id },
      });
      supervisor = 'queued';
    } else if (!supervisorId) {
      supervisor = 'none';
    }
  }
  return {
    notice,
    confirmation: {
      c: { key: existing.key },
      visit,
      before: existing,
      after,
      counted,
      newChanges: { urgent, standard: added.length - urgent },
      warrant,
      discussionQuestion: v.discussionWanted || urgent > 0 ? discussionQuestion(v.visitedOn, urgent > 0) : null,
      amendableUntil: teamToday(req.services, team) <= until ? until : null,
      supervisor,
    },
  };
}
