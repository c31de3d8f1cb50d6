import { tr } from './lang.ts';
import {
  activePatrol,
  patrols,
  savePatrol,
  startPatrol,
  unsynced,
  type PatrolRecord,
} from './patrol.ts';
import { bi, h, photoPicker } from './ui.ts';

/** The patrol panel on the task page: start, running (fixes, findings), end. */
export async function patrolPanel(
  onChange: () => void,
  onReport: (p: PatrolRecord) => void,
): Promise<HTMLElement> {
  const active = await activePatrol();
  const all = await patrols();
  const box = h('section', { id: 'patrol' }, h('h2', {}, bi('巡田', 'Patrol')));
  if (active) {
    box.append(
      h(
        'p',
        { id: 'patrol-status' },
        tr(
          `巡田中，${new Date(active.startedAt).toLocaleTimeString('zh-CN')} 开始 · ${active.points.length} 点 · ${active.findings.length} 处发现`,
          `On patrol since ${new Date(active.startedAt).toLocaleTimeString('en-GB')} · ${active.points.length} fixes · ${active.findings.length} findings`,
        ),
      ),
    );
    const report = h('button', { id: 'report' }, tr('发现建筑', 'Report a building'));
    report.onclick = () => onReport(active);
    const end = h('button', { id: 'end-patrol' }, tr('结束巡田', 'End patrol'));
    end.onclick = async () => {
      active.endedAt = new Date().toISOString();
      await savePatrol(active);
      onChange();
    };
    box.append(report, ' ', end);
  } else {
    const start = h('button', { id: 'start-patrol' }, tr('开始巡田', 'Start patrol'));
    start.onclick = async () => {
      await startPatrol();
      onChange();
    };
    box.append(start);
  }
  const done = all.filter((p) => p.endedAt);
  if (done.length) {
    const list = h('ul', { id: 'patrols' });
    for (const p of done.slice(-5)) {
      const li = h(
        'li',
        { 'data-state': unsynced(p) ? 'queued' : 'sent' },
        `${p.startedAt.slice(0, 16).replace('T', ' ')} · ${p.points.length} ${tr('点', 'fixes')} · ${unsynced(p) ? tr('待同步', 'queued') : tr('已同步', 'synced')}`,
      );
      for (const f of p.findings)
        for (const fl of f.flags ?? []) li.append(h('div', { class: 'flag' }, `⚠ ${fl.message}`));
      list.append(li);
    }
    box.append(list);
  }
  return box;
}

/** Reporting a building spotted on patrol: a description and camera photos, placed by the first photo. */
export function findingForm(p: PatrolRecord, done: () => void): HTMLElement {
  const form = h('form', { id: 'finding-form' });
  const picker = photoPicker();
  form.append(
    h('label', {}, bi('发现情况', 'What was found')),
    h('textarea', { name: 'description', rows: '3', required: '' }),
    ...picker.elements,
    h('button', { id: 'save-finding' }, tr('保存', 'Save')),
  );
  const back = h('button', { type: 'button' }, tr('返回', 'Back'));
  back.onclick = done;
  form.append(back);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const first = picker.photos[0];
    if (!first)
      return void (picker.status.textContent = tr('至少 1 张现场照片', 'At least one site photo'));
    const description = String(new FormData(form).get('description') ?? '').trim();
    p.findings.push({
      id: crypto.randomUUID(),
      lon: first.lon,
      lat: first.lat,
      description,
      photos: picker.photos,
    });
    await savePatrol(p);
    done();
  };
  return h('div', {}, h('h2', {}, bi('巡田发现', 'Patrol finding')), form);
}
