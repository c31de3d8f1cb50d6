/**
 * Which three scenes a re-check compares (docs/DOMAIN.md "Re-check on later imagery"): the
 * new scene; the violation date — the newest scene of the same sensor on or before the day
 * the 图斑 was found, which is what showed the building; and the before date — the scene the
 * violation is measured from, chosen as a detection pair's before scene is (schedule.ts: the
 * same season a year before, else the previous period). Pure; the caller passes the scenes whose
 * box holds the 图斑.
 */
import { chooseBefore } from './schedule.ts';

export interface RecheckScene {
  id: number;
  /** YYYY-MM-DD */
  date: string;
  /** null when the scene was registered without one (the 图斑's own sensor is used then). */
  sensor: string | null;
  cloud?: number;
}

export interface ChosenScenes {
  before: RecheckScene;
  violation: RecheckScene;
}

/** Null when the new scene says nothing new (not later than the day found) or nothing pairs with it. */
export function chooseRecheckScenes(input: {
  now: RecheckScene;
  scenes: readonly RecheckScene[];
  foundOn: string;
}): ChosenScenes | null {
  const { now, foundOn } = input;
  // A scene taken before the 图斑 was found shows the violation, not what came of it.
  if (!now.sensor || now.date <= foundOn) return null;
  const same = input.scenes.filter((s) => s.sensor === now.sensor && s.id !== now.id);
  const violation = same
    .filter((s) => s.date <= foundOn && s.date < now.date)
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id))[0];
  if (!violation) return null;
  // The pairing rule wants boxes; every scene here holds the 图斑, so one shared box will do.
  const box: [number, number, number, number] = [0, 0, 1, 1];
  const asPairing = (s: RecheckScene) => ({
    id: s.id,
    date: s.date,
    sensor: s.sensor!,
    jurisdictionCode: '',
    bbox: box,
    ...(s.cloud !== undefined ? { cloud: s.cloud } : {}),
  });
  const chosen = chooseBefore(asPairing(violation), same.map(asPairing));
  if (!chosen) return null;
  return { before: same.find((s) => s.id === chosen.before.id)!, violation };
}
