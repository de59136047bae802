/**
 * The storage port of the visits feature: recorded visits (each amendment a new version linked
 * to the original, never an overwrite) and one server-side draft per officer and case.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { FieldValue } from '../views/form-view.ts';

/** One stored version of a home visit. The answers are the record; they never go to chat. */
export interface Visit {
  id: string;
  caseId: string;
  /** The first version of this visit; null on the first version itself. */
  originalVisitId: string | null;
  /** The version this one replaces; null on the first version. */
  amendsVisitId: string | null;
  version: number;
  visitedAt: Date;
  visitedOn: IsoDate;
  visitType: string;
  outcome: string;
  answers: Record<string, unknown>;
  nextVisitOn: IsoDate | null;
  recordedBy: string | null;
  recordedAt: Date;
  /** The case's last-visit date before the first version was recorded. */
  lastVisitOnBefore: IsoDate | null;
}

/** Data for a new visit version. */
export type NewVisit = Omit<Visit, 'id' | 'recordedAt'>;

/** An unfinished visit form, kept server-side until it is submitted. */
export interface VisitDraft {
  id: string;
  caseId: string;
  memberId: string;
  /** Set when the draft is an amendment of this visit version. */
  amendsVisitId: string | null;
  answers: Record<string, FieldValue>;
  updatedAt: Date;
}

/** Visits and drafts. */
export interface VisitRepository {
  add(visit: NewVisit): Promise<Visit>;
  findById(id: string): Promise<Visit | undefined>;
  /** The newest version of the visit whose first version is `originalId`. */
  latestVersion(originalId: string): Promise<Visit | undefined>;
  /** The newest version of every visit on a case, latest visit first (at most `limit`). */
  currentVersions(caseId: string, limit: number): Promise<Visit[]>;
  findDraft(caseId: string, memberId: string): Promise<VisitDraft | undefined>;
  /** Creates or replaces the member's draft for the case. */
  saveDraft(draft: Omit<VisitDraft, 'id' | 'updatedAt'>): Promise<VisitDraft>;
  deleteDraft(caseId: string, memberId: string): Promise<void>;
}
