import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { sceneFacts } from '../detect/scene-facts.ts';
import { GengbaoError } from '../errors.ts';
import { gridLonLatBox } from '../raster/grid.ts';
import { gdalMetadataItems } from '../raster/scene-metadata.ts';
import { openScene } from '../raster/scene-source.ts';
import type { Db } from '../store/db.ts';
import {
  findSameScene,
  intakeKeySeen,
  listIntakeFiles,
  recordIntakeFile,
  type NewIntakeFile,
} from '../store/intake.ts';
import { Scope } from '../store/scope.ts';
import type { Principal } from '../store/users.ts';
import { importImagery } from './imagery.ts';

/** What one pass over the folder did. */
export interface IntakeReport {
  registered: number[];
  duplicate: number;
  refused: number;
  /** Files seen for the first time or still growing: looked at again on the next pass. */
  waiting: number;
}

const SCENE_FILE = /\.tiff?$/i;
/** Helper files that are never scenes: sidecars, copy markers, partial downloads, hidden files. */
const NOT_A_SCENE = /(\.json|\.done|\.part|\.tmp|\.crdownload|\.aux\.xml|\.ovr)$/i;

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/**
 * Scene intake from a watched folder (GENGBAO_INCOMING_DIR, default `<data>/incoming`): each
 * GeoTIFF that has stopped growing is opened, checked and registered through the imagery
 * service (under the smallest unit whose box holds it) with its date, sensor and offset read
 * from its sidecar, GDAL metadata or product name (src/detect/scene-facts.ts), its content
 * hash and cloud share. A file with the same content as a stored scene, or the same name, date
 * and footprint, is recorded as a duplicate; one that cannot be read, dated, given a sensor or
 * placed is recorded as refused with the reason. Every file is recorded once per (name,
 * content, sidecar), and that key is the claim when several processes watch one folder.
 *
 * A file is read only when its size and modification time are the same on two passes, so a
 * file still being copied is never read half-written.
 */
export class IntakeService {
  /** What each file looked like on the last pass (stability), and what was already handled. */
  private readonly lastSeen = new Map<string, string>();
  private readonly handled = new Map<string, string>();

  readonly dir: string;

  constructor(
    private readonly db: Db,
    dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = resolve(dir);
  }

  /** One pass over the folder; a missing folder is an empty one. */
  async scan(): Promise<IntakeReport> {
    const report: IntakeReport = { registered: [], duplicate: 0, refused: 0, waiting: 0 };
    let names: string[];
    try {
      names = (await readdir(this.dir, { withFileTypes: true }))
        .filter((d) => d.isFile())
        .map((d) => d.name);
    } catch {
      return report;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.') || NOT_A_SCENE.test(name)) continue;
      const path = join(this.dir, name);
      let look: string;
      try {
        const st = await stat(path);
        look = `${st.size}:${st.mtimeMs}`;
      } catch {
        continue; // removed between the listing and now
      }
      if (this.handled.get(path) === look) continue;
      if (this.lastSeen.get(path) !== look) {
        this.lastSeen.set(path, look);
        report.waiting++;
        continue;
      }
      const outcome = await this.takeIn(path).catch((e: unknown) => {
        // A database outage or the like: try again on the next pass.
        console.error(`intake of ${name} failed: ${(e as Error).message}`);
        return null;
      });
      if (!outcome) continue;
      this.handled.set(path, look);
      this.lastSeen.delete(path);
      if (outcome.status === 'registered' && outcome.imageryId)
        report.registered.push(outcome.imageryId);
      else if (outcome.status === 'duplicate') report.duplicate++;
      else if (outcome.status === 'refused') report.refused++;
    }
    return report;
  }

  /** Takes one stable file in; returns what was recorded (null: another process had it). */
  private async takeIn(path: string): Promise<Pick<NewIntakeFile, 'status' | 'imageryId'> | null> {
    const name = basename(path);
    const size = (await stat(path)).size;
    const contentHash = await sha256Of(path);
    let sidecarText: string | null = null;
    try {
      sidecarText = await readFile(`${path}.json`, 'utf8');
    } catch {
      /* no sidecar */
    }
    const key = `${name}|${contentHash}|${sidecarText === null ? '' : createHash('sha256').update(sidecarText).digest('hex')}`;
    if (await intakeKeySeen(this.db, key)) return null;
    const base = { key, name, contentHash, size, at: this.now() };
    const refuse = async (reason: string, extra: Partial<NewIntakeFile> = {}) => {
      const rec = { ...base, ...extra, status: 'refused' as const, reason };
      return (await recordIntakeFile(this.db, rec)) ? rec : null;
    };
    if (!SCENE_FILE.test(name)) return refuse('不是 GeoTIFF 文件 / not a GeoTIFF (.tif, .tiff)');
    let sidecar: unknown;
    if (sidecarText !== null) {
      try {
        sidecar = JSON.parse(sidecarText);
      } catch {
        return refuse(
          `附属文件 ${name}.json 不是有效的 JSON / the sidecar ${name}.json is not valid JSON`,
        );
      }
    }
    const facts = sceneFacts({ name, metadata: await gdalMetadataItems(path), sidecar });
    const known = { acquiredOn: facts.date, sensor: facts.sensor };
    if (!facts.date)
      return refuse(
        `无法读取成像日期：请在 ${name}.json 中给出 {"date": "YYYY-MM-DD"} / no acquisition date in the sidecar, the GDAL metadata or the product name; add ${name}.json with {"date": "YYYY-MM-DD"}`,
        known,
      );
    if (!facts.sensor)
      return refuse(
        `无法判断传感器：请在 ${name}.json 中给出 {"sensor": "s2|landsat|landsat-oli|gf|rgb"} / no sensor in the sidecar, the GDAL metadata or the product name; add ${name}.json with {"sensor": …}`,
        known,
      );
    let bbox: [number, number, number, number];
    try {
      const scene = await openScene(path);
      try {
        bbox = gridLonLatBox(scene.grid);
      } finally {
        await scene.close();
      }
    } catch (e) {
      return refuse(
        `无法读取影像 / the file cannot be read as a georeferenced scene: ${(e as Error).message}`,
        known,
      );
    }
    const same = await findSameScene(this.db, { contentHash, name, acquiredOn: facts.date, bbox });
    const duplicate = async (imageryId: number) => {
      const rec = {
        ...base,
        ...known,
        status: 'duplicate' as const,
        imageryId,
        reason: `与已登记影像 ${imageryId} 相同 / the same scene as stored imagery ${imageryId}`,
      };
      return (await recordIntakeFile(this.db, rec)) ? rec : null;
    };
    // The same file registered by another process watching this folder: theirs to record.
    if (same?.uri === path) return null;
    if (same) return duplicate(same.id);
    try {
      const img = await importImagery(this.db, Scope.system(), {
        location: path,
        date: facts.date,
        name,
        ...(facts.offset !== undefined ? { addOffset: facts.offset } : {}),
        extraMeta: {
          sensor: facts.sensor,
          contentHash,
          intake: { from: facts.from },
          ...(facts.cloud !== undefined ? { cloudShare: facts.cloud } : {}),
        },
      });
      const rec = {
        ...base,
        ...known,
        status: 'registered' as const,
        imageryId: img.id,
        jurisdictionCode: img.jurisdictionCode,
      };
      await recordIntakeFile(this.db, rec);
      return rec;
    } catch (e) {
      // Another process registered this content a moment ago: it records the file.
      if (isUniqueViolation(e)) return null;
      const message =
        e instanceof GengbaoError ? e.message.replace(path, name) : (e as Error).message;
      return refuse(`登记被拒绝 / not registered: ${message}`, known);
    }
  }

  /** The intake log as the caller may see it: files placed in their scope; refusals with no unit to province-wide users. */
  list(p: Principal, limit?: number) {
    return listIntakeFiles(this.db, p.scope, { withUnplaced: p.scope.prefix.length <= 2, limit });
  }
}
