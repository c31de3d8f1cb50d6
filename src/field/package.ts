import type { BBox } from '../geo/types.ts';

/**
 * The verification form as data, so the phone renders it offline from the downloaded package
 * and a province can change labels without a new app. Chinese first, English second.
 */
export const VERIFICATION_FORM = {
  version: 1,
  fields: [
    {
      name: 'onGround',
      label: '现场情况 What is on the ground',
      type: 'choice',
      options: [
        '在建建筑 building under construction',
        '已建成建筑 finished building',
        '硬化地面 paved ground',
        '堆放物 stockpile',
        '无变化 no change',
        '其他 other',
      ],
    },
    { name: 'description', label: '情况说明 Description', type: 'text', required: true },
    { name: 'projectName', label: '项目名称 Project name', type: 'string' },
    { name: 'builder', label: '建设主体 Builder', type: 'string' },
    { name: 'buildDate', label: '建设时间 Build date', type: 'date' },
    { name: 'use', label: '用途 Use', type: 'string' },
    {
      name: 'stop',
      label: '制止措施 Stop action taken',
      type: 'stop',
      options: ['on_site 现场制止', 'stop_order 下达停工通知书'],
    },
  ],
  photos: {
    min: 1,
    source: 'camera',
    note: '只能现场拍照，不能从相册选择 Camera only, no gallery',
  },
} as const;

/** Web-Mercator tile column and row of a lon/lat at zoom z (the XYZ scheme of the tile routes). */
export function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/** The tiles at zoom z covering a bbox grown by `marginM` metres, capped at `max` tiles. */
export function tilesCovering(
  b: BBox,
  z: number,
  marginM = 100,
  max = 16,
): { z: number; x: number; y: number }[] {
  const dLat = marginM / 111_320;
  const dLon = dLat / Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180);
  const a = tileOf(b[0] - dLon, b[3] + dLat, z);
  const c = tileOf(b[2] + dLon, b[1] - dLat, z);
  const out: { z: number; x: number; y: number }[] = [];
  for (let x = a.x; x <= c.x; x++)
    for (let y = a.y; y <= c.y; y++) if (out.length < max) out.push({ z, x, y });
  return out;
}
