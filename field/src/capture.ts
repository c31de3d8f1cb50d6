import { tr } from './lang.ts';
import type { CapturedPhoto } from './types.ts';

/** Hex SHA-256 of bytes by WebCrypto (available in secure contexts: https and localhost). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * The current GPS fix, at most 5 s old: the photo must be stamped where it is taken, and a
 * walking chief moves a few metres in 5 s. (Insisting on maximumAge 0 waits for the next fix,
 * which never comes while a running high-accuracy watch already holds the latest one.)
 */
export function currentPosition(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) =>
    navigator.geolocation.getCurrentPosition(
      resolve,
      (e) => reject(new Error(tr('定位失败，请打开定位后重拍', `GPS failed: ${e.message}`))),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 5_000 },
    ),
  );
}

/** A file older than this is not a photo just taken with the camera (it came from the gallery). */
const MAX_AGE_MS = 10 * 60_000;

/**
 * Stamps a photo at the moment it arrives from the camera: SHA-256 of its exact bytes, the GPS
 * fix with its accuracy, the heading when the device reports one, and the time. The hash is
 * computed before anything else touches the bytes, so the server can prove they were not
 * altered afterwards.
 */
export async function capturePhoto(file: File, now = Date.now()): Promise<CapturedPhoto> {
  if (!file.type.startsWith('image/')) throw new Error(tr('只能上传照片', 'Photos only'));
  if (file.lastModified && now - file.lastModified > MAX_AGE_MS)
    throw new Error(
      tr(
        '请用相机现场拍照，不能从相册选择',
        'Take the photo with the camera now; gallery photos are not accepted',
      ),
    );
  const bytes = await file.arrayBuffer();
  const sha256 = await sha256Hex(bytes);
  const pos = await currentPosition();
  const heading = pos.coords.heading;
  return {
    data: toBase64(new Uint8Array(bytes)),
    sha256,
    lon: pos.coords.longitude,
    lat: pos.coords.latitude,
    accuracyM: Math.round(pos.coords.accuracy * 10) / 10,
    heading: heading != null && Number.isFinite(heading) ? heading : undefined,
    takenAt: new Date(now).toISOString(),
  };
}
