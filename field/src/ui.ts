import { capturePhoto } from './capture.ts';
import { tr } from './lang.ts';
import type { CapturedPhoto } from './types.ts';

/** Creates an element with attributes and children (the app is small enough for plain DOM). */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

/** A label in the user's language (Chinese unless they switched), never both. */
export const bi = (zh: string, en: string) => h('span', {}, tr(zh, en));

/**
 * Camera-only photo taking: `capture` opens the rear camera directly on phones, and
 * capturePhoto refuses files that were not just taken. Each photo is hashed and stamped the
 * moment it arrives; `photos` fills as the chief shoots.
 */
export function photoPicker(): {
  elements: HTMLElement[];
  photos: CapturedPhoto[];
  status: HTMLElement;
} {
  const photos: CapturedPhoto[] = [];
  const input = h('input', {
    id: 'photo',
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
  });
  const list = h('ul', { id: 'photos' });
  const status = h('div', { id: 'form-error', class: 'err' });
  input.onchange = async () => {
    for (const file of Array.from(input.files ?? [])) {
      try {
        const ph = await capturePhoto(file);
        photos.push(ph);
        // China time, as the chief reads a clock; no emoji (it has no glyph in CJK fonts).
        const at = new Date(ph.takenAt).toLocaleTimeString('zh-CN', {
          timeZone: 'Asia/Shanghai',
          hour12: false,
        });
        const n = photos.length;
        list.append(
          h(
            'li',
            {},
            tr(
              `照片 ${n} · ${at} · 定位精度 ±${ph.accuracyM ?? '?'} 米 · 哈希 ${ph.sha256.slice(0, 12)}…`,
              `Photo ${n} · ${at} · GPS ±${ph.accuracyM ?? '?'} m · hash ${ph.sha256.slice(0, 12)}…`,
            ),
          ),
        );
        status.textContent = '';
      } catch (e) {
        status.textContent = (e as Error).message;
      }
    }
    input.value = '';
  };
  // The camera opens from a button in the app's language; the browser's own file button
  // ("Choose File") is hidden, the input itself still takes the photo.
  input.className = 'camera-input';
  const shoot = h(
    'label',
    { for: 'photo', class: 'camera', role: 'button' },
    tr('拍照', 'Take a photo'),
  );
  return {
    elements: [
      h('label', {}, bi('现场照片（仅限拍照）', 'Site photos (camera only)')),
      input,
      shoot,
      list,
      status,
    ],
    photos,
    status,
  };
}
