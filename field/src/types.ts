export type Geometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface Deadline {
  kind: string;
  dueAt: string;
  startedAt: string;
  doneAt?: string;
}

export interface Task {
  id: number;
  code: string;
  status: string;
  version: number;
  areaMu: number;
  bbox: [number, number, number, number];
  geometry: Geometry;
  deadlines: Deadline[];
}

export interface FormField {
  name: string;
  label: string;
  type: string;
  required?: boolean;
  options?: readonly string[];
}

export interface TaskPackage {
  polygon: Task & { jurisdictionCode: string; period: string };
  figures: { analysis: { totalMu?: number; layerMu?: Record<string, number> } | null };
  deadlines: Deadline[];
  /** Imagery tiles over the 图斑, embedded as PNG (base64) for offline use. */
  chips: {
    imageryId: number;
    name: string;
    role: string | null;
    acquiredOn: string | null;
    tiles: { z: number; x: number; y: number; png: string }[];
  }[];
  rules: { maxDistanceM: number; maxPhotoBytes: number; maxAccuracyM: number; minPhotos?: number };
  form: { fields: FormField[] };
  downloadedAt: string;
}

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
  result?: { flags: { kind: string; message: string }[]; state: { status: string } };
}
