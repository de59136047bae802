/**
 * The storage port for handing a person's open cases to someone else (a leaver, a mover): how
 * many they hold, a page of them, and the move itself, which the database does set-based so a
 * caseload of 90 or 900 is a handful of statements.
 */
import type { RiskLevel } from '../domain/vocabulary.ts';
import type { Page } from '../ports.ts';

/** Which hold on a case moves: leading it (the lead officer) or supervising it (its supervisor). */
export type CaseHold = 'lead' | 'supervisor';

/** How many active cases a member leads and supervises. */
export interface CaseHolds {
  leads: number;
  supervises: number;
}

/** An active case as the move lists it: its key and risk level only. */
export interface HeldCase {
  id: string;
  key: string;
  riskLevel: RiskLevel;
}

/** What one move changed. */
export interface CasesMoved {
  /** The cases moved, by key order. */
  cases: { id: string; key: string }[];
  /** Open deadlines of those cases whose owner became the new officer. */
  deadlines: number;
  /** Pending reminders handed to the new holder (not yet in anyone's digest). */
  reminders: number;
}

/** Reads and moves the cases a member holds. */
export interface CaseReassignment {
  holds(teamId: string, memberId: string): Promise<CaseHolds>;
  /** Active cases `memberId` holds as `hold`, ordered by case key, starting after `afterKey`. */
  list(teamId: string, memberId: string, hold: CaseHold, options: { afterKey?: string; limit: number }): Promise<Page<HeldCase>>;
  /**
   * Moves active cases of the team held by `fromId` as `hold` to `toId` (only those in `caseIds`
   * when given; others are left alone). A lead move also moves the cases' open deadlines owned by
   * `fromId` and drops `toId` from their co-workers; either move hands the old holder's pending,
   * not yet folded reminders on those cases to `toId`.
   */
  move(teamId: string, input: { hold: CaseHold; fromId: string; toId: string; caseIds?: readonly string[] }): Promise<CasesMoved>;
}
