/** The storage port of MAPPA reviews recorded in Casework. */
import type { IsoDate } from '../calendar/working-calendar.ts';

/** A MAPPA review as recorded: when, at which level, what it decided, and when the next is due. */
export interface MappaReview {
  id: string;
  caseId: string;
  reviewedOn: IsoDate;
  level: number;
  outcome: string;
  nextReviewOn: IsoDate | null;
  recordedBy: string | null;
  recordedAt: Date;
}

/** MAPPA reviews. */
export interface MappaReviewRepository {
  add(review: Omit<MappaReview, 'id' | 'recordedAt'>): Promise<MappaReview>;
  /** A case's reviews, oldest first. */
  forCase(caseId: string): Promise<MappaReview[]>;
}
