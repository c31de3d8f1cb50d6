import { GengbaoError } from '../errors.ts';
import type { FieldConfig } from '../field/config.ts';
import { cleanTipPhotos } from '../field/photo-clean.ts';
import type { ThreadPool } from '../threads/pool.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { EvidenceFiles } from '../store/field-evidence-files.ts';
import {
  deleteEvidenceFileRow,
  evidenceStillUsed,
  markTipPhotosPurged,
  tipsWithExpiredPhotos,
  tipUsage,
} from '../store/tip-storage.ts';
import type { DecodedPhoto } from './field.ts';

/**
 * The storage bounds of public tips (SECURITY.md "Tip storage"): anyone may send a tip, so
 * what one sender, and everyone together, may make the server keep is bounded, every photo is
 * proved to be a picture and stripped of what could identify the tipster, and photos of tips
 * never taken up are deleted after a stated time.
 */

const MB = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** Photo count and sizes from the base64 lengths, before anything is decoded into memory. */
export function checkTipPhotoSizes(photos: { data: string }[], config: FieldConfig): void {
  if (photos.length > config.tipMaxPhotos)
    throw new GengbaoError(
      'bad_input',
      `照片最多 ${config.tipMaxPhotos} 张 · at most ${config.tipMaxPhotos} photos per tip (${photos.length} sent)`,
      { field: 'photos' },
    );
  let total = 0;
  photos.forEach((p, i) => {
    const bytes = Math.floor((p.data.length * 3) / 4);
    total += bytes;
    if (bytes > config.tipMaxPhotoBytes + 3)
      throw new GengbaoError(
        'bad_input',
        `第 ${i + 1} 张照片过大 (${MB(bytes)})，上限 ${MB(config.tipMaxPhotoBytes)} · photos[${i}] is ${MB(bytes)}; the limit is ${MB(config.tipMaxPhotoBytes)}`,
        { field: `photos.${i}` },
      );
  });
  if (total > config.tipMaxBytes + 3 * photos.length)
    throw new GengbaoError(
      'bad_input',
      `照片合计过大 (${MB(total)})，上限 ${MB(config.tipMaxBytes)} · the photos total ${MB(total)}; the limit per tip is ${MB(config.tipMaxBytes)}`,
      { field: 'photos' },
    );
}

/**
 * Decodes a tip's photos and rewrites them without metadata (src/field/photo-clean.ts); the
 * server passes one that runs on a worker thread.
 */
export type TipPhotoCleaner = (photos: { data: string }[]) => Promise<DecodedPhoto[]>;

/** The cleaner on the calling thread: CLI commands and tests. */
export const cleanTipPhotosHere: TipPhotoCleaner = async (photos) => cleanTipPhotos(photos);

/** The cleaner on `threads`: the bytes come back as a Uint8Array over the same memory. */
export function cleanTipPhotosOn(threads: ThreadPool): TipPhotoCleaner {
  const module = threads.module<typeof import('../field/photo-clean.ts')>(
    new URL('../field/photo-clean.ts', import.meta.url),
  );
  return async (photos) =>
    (await module.run('cleanTipPhotos', photos)).map((p) => ({
      mediaType: p.mediaType,
      bytes: Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength),
    }));
}

/**
 * Refuses a tip past a quota: tips per client per hour and per day; photo bytes per client per
 * day, from everyone per day, and kept in all. Photo quotas refuse only tips with photos, so a
 * photo flood never stops text tips.
 */
export async function checkTipQuotas(
  q: Queryable,
  client: string,
  now: Date,
  config: FieldConfig,
  photoBytes: number,
): Promise<void> {
  const u = await tipUsage(q, client, now);
  const refuse = (msg: string) => {
    throw new GengbaoError('rate_limited', msg);
  };
  if (u.hour >= config.tipsPerHourPerIp)
    refuse(
      `您一小时内的举报已达上限 (${config.tipsPerHourPerIp})，请稍后再试 · too many tips from your address in the last hour (limit ${config.tipsPerHourPerIp}); please try again later`,
    );
  if (u.day >= config.tipsPerDayPerIp)
    refuse(
      `您今天的举报已达上限 (${config.tipsPerDayPerIp})，请明天再试 · too many tips from your address today (limit ${config.tipsPerDayPerIp}); please try again tomorrow`,
    );
  if (photoBytes === 0) return;
  if (u.clientBytesDay + photoBytes > config.tipPhotoBytesPerDayPerIp)
    refuse(
      `您今天上传的照片已达上限 (${MB(config.tipPhotoBytesPerDayPerIp)})，可不带照片提交 · your address has sent its photos for today (${MB(config.tipPhotoBytesPerDayPerIp)}); send the tip without photos or try tomorrow`,
    );
  if (
    u.allBytesDay + photoBytes > config.tipPhotoBytesPerDay ||
    u.storedBytes + photoBytes > config.tipPhotoBytesStored
  )
    refuse(
      '照片存储已满，请暂时不带照片提交 · the service takes no more tip photos for now; please send the tip without photos',
    );
}

/**
 * The retention sweep: photos of tips rejected `tipPhotoRetentionDays` ago, or received that
 * long ago and never triaged, are deleted (files and their records), unless the same file is
 * evidence elsewhere. The tip itself (text, receipt, status) stays. Returns how many tips and
 * files were cleared.
 */
export async function sweepTipPhotos(
  db: Db,
  files: EvidenceFiles,
  now: Date,
  config: FieldConfig,
): Promise<{ tips: number; files: number }> {
  const before = new Date(now.getTime() - config.tipPhotoRetentionDays * 86400_000);
  let tips = 0;
  let removed = 0;
  for (;;) {
    const batch = await tipsWithExpiredPhotos(db, before);
    if (!batch.length) break;
    for (const tip of batch) {
      await markTipPhotosPurged(db, tip.id, now);
      tips++;
      for (const sha of new Set(tip.photos)) {
        if (await evidenceStillUsed(db, sha)) continue;
        await deleteEvidenceFileRow(db, sha);
        await files.remove(sha);
        removed++;
      }
    }
  }
  return { tips, files: removed };
}
