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
        list.append(
          h(
            'li',
            {},
            `📷 ${ph.takenAt.slice(11, 19)} · ±${ph.accuracyM ?? '?'} m · ${ph.sha256.slice(0, 12)}…`,
          ),
        );
        status.textContent = '';
      } catch (e) {
        status.textContent = (e as Error).message;
      }
    }
    input.value = '';
  };
  return {
    elements: [
      h('label', {}, bi('现场照片（仅限拍照）', 'Site photos (camera only)')),
      input,
      list,
      status,
    ],
    photos,
    status,
  };
}
