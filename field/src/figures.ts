import { tr } from './lang.ts';

/** The 套合 layers in words (the server's keys are src/analyze/kinds.ts LAYER_KINDS). */
const LAYER_WORDS: Record<string, [string, string]> = {
  farmland: ['耕地', 'farmland'],
  pbf: ['永久基本农田', 'permanent basic farmland'],
  redline: ['生态保护红线', 'ecological red line'],
  approval: ['批准用地', 'approved'],
  facility: ['设施农用地', 'agricultural facility'],
  temporary: ['临时用地', 'temporary use'],
  homestead: ['宅基地', 'homestead'],
};

/**
 * The 套合 line of a task: "耕地 0.53 亩 · 永久基本农田 0.20 亩", the layers it touches only, in
 * the user's language — never the server's keys.
 */
export function figuresLine(layerMu: Record<string, number>): string {
  return Object.entries(layerMu)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => {
      const [zh, en] = LAYER_WORDS[k] ?? [tr('其他', 'other'), 'other'];
      return tr(`${zh} ${v.toFixed(2)} 亩`, `${en} ${v.toFixed(2)} mu`);
    })
    .join(' · ');
}

/** An evidence flag in words from its kind and figures (the server's message is English, for logs). */
export function flagText(f: {
  kind: string;
  photo?: number;
  message: string;
  detail?: Record<string, unknown>;
}): string {
  const n = (f.photo ?? 0) + 1;
  const d = f.detail ?? {};
  switch (f.kind) {
    case 'hash_mismatch':
      return tr(`第 ${n} 张照片与拍摄时的校验值不一致`, `Photo ${n} differs from the one taken`);
    case 'too_far':
      return tr(
        `第 ${n} 张照片拍摄位置距图斑 ${d.distanceM ?? '?'} 米`,
        `Photo ${n} was taken ${d.distanceM ?? '?'} m from the 图斑`,
      );
    case 'outside_window':
      return tr(
        `第 ${n} 张照片拍摄时间不在任务期内`,
        `Photo ${n} was taken outside the task window`,
      );
    case 'low_accuracy':
      return tr(
        `第 ${n} 张照片定位精度不足（${d.accuracyM ?? '?'} 米）`,
        `Photo ${n}: GPS accuracy ${d.accuracyM ?? '?'} m is too low`,
      );
    default:
      return f.message;
  }
}
