import type { Areal } from '../geo/types.ts';
import type { FieldConfig } from './config.ts';
import { distanceToArealM } from './distance.ts';

/** Why a piece of field evidence does not prove what it claims. Stored, shown, counted. */
export const FLAG_KINDS = ['hash_mismatch', 'too_far', 'outside_window', 'low_accuracy'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export interface EvidenceFlag {
  kind: FlagKind;
  /** Index of the photo in its submission. */
  photo: number;
  message: string;
  detail: Record<string, unknown>;
}

/** What the phone said about one photo at the moment of capture. */
export interface PhotoClaim {
  sha256: string;
  lon: number;
  lat: number;
  accuracyM?: number;
  takenAt: string;
}

/** The period in which a field check of this 图斑 counts: from its push to its verify deadline. */
export interface TaskWindow {
  from: string;
  /** Absent when no deadline runs (e.g. a patrol report). */
  to?: string;
}

/** The task window of a pushed polygon, from its case state (push fact and the verify deadline). */
export function taskWindowOf(state: {
  push?: { at: string };
  deadlines: { kind: string; startedAt: string; dueAt: string }[];
}): TaskWindow | null {
  const verify = [...state.deadlines].reverse().find((d) => d.kind === 'verify');
  const from = state.push?.at ?? verify?.startedAt;
  if (!from) return null;
  return { from, to: verify?.dueAt };
}

/**
 * Checks one photo against what the server knows: the hash of the bytes it received (a
 * mismatch means the file was altered after capture, or another file was sent), the distance
 * to the 图斑 (ellipsoidal, see distance.ts), the capture time against the task window and the
 * moment of receipt (a photo cannot be taken in the future), and the GPS accuracy. Returns
 * every flag that applies; an empty list means the photo is consistent.
 */
export function checkPhoto(
  index: number,
  claim: PhotoClaim,
  actualSha256: string,
  target: { geometry: Areal; window: TaskWindow | null },
  receivedAt: Date,
  config: FieldConfig,
): EvidenceFlag[] {
  const flags: EvidenceFlag[] = [];
  if (claim.sha256 !== actualSha256) {
    flags.push({
      kind: 'hash_mismatch',
      photo: index,
      message: `photo ${index + 1}: the bytes received do not match the SHA-256 computed at capture`,
      detail: { claimed: claim.sha256, actual: actualSha256 },
    });
  }
  const distanceM = Math.round(distanceToArealM([claim.lon, claim.lat], target.geometry) * 10) / 10;
  if (distanceM > config.maxDistanceM) {
    flags.push({
      kind: 'too_far',
      photo: index,
      message: `photo ${index + 1} was taken ${distanceM} m from the polygon (limit ${config.maxDistanceM} m)`,
      detail: { distanceM, limitM: config.maxDistanceM },
    });
  }
  const t = Date.parse(claim.takenAt);
  const skew = config.clockSkewMinutes * 60_000;
  const window = target.window;
  const before = window && t < Date.parse(window.from) - skew;
  const after = (window?.to && t > Date.parse(window.to) + skew) || t > receivedAt.getTime() + skew;
  if (before || after) {
    flags.push({
      kind: 'outside_window',
      photo: index,
      message: `photo ${index + 1} was taken at ${claim.takenAt}, ${before ? 'before the task was pushed' : 'after the deadline or in the future'} (window ${window?.from ?? '—'} → ${window?.to ?? receivedAt.toISOString()})`,
      detail: { takenAt: claim.takenAt, from: window?.from ?? null, to: window?.to ?? null },
    });
  }
  if (claim.accuracyM !== undefined && claim.accuracyM > config.maxAccuracyM) {
    flags.push({
      kind: 'low_accuracy',
      photo: index,
      message: `photo ${index + 1}: GPS accuracy ${claim.accuracyM} m is worse than ${config.maxAccuracyM} m`,
      detail: { accuracyM: claim.accuracyM },
    });
  }
  return flags;
}
