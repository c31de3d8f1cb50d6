export type Geometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Reply shapes from the server's own schemas (src/contract), not copied here. */
export type {
  CaseDeadline as Deadline,
  FieldTask as Task,
  TaskPackage,
} from '../../src/contract/types.ts';
import type { SubmissionResult, TaskPackage } from '../../src/contract/types.ts';

export type FormField = TaskPackage['form']['fields'][number];

/** A photo as captured: its bytes (base64), the SHA-256 computed at capture, and where and when. */
export interface CapturedPhoto {
  data: string;
  sha256: string;
  lon: number;
  lat: number;
  accuracyM?: number;
  heading?: number;
  takenAt: string;
}

export interface Submission {
  id: string;
  polygonId: number;
  version: number;
  form: Record<string, unknown>;
  photos: CapturedPhoto[];
}

/** One entry of the sync queue. `id` is the submission id: the server stores it once. */
export interface QueueItem {
  id: string;
  code: string;
  state: 'queued' | 'sent' | 'refused';
  attempts: number;
  savedAt: string;
  lastError?: string;
  submission: Submission;
  result?: Pick<SubmissionResult, 'flags' | 'state'>;
}
