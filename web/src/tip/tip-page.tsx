import { useEffect, useState, type FormEvent } from 'react';
import type {
  ErrorBody,
  PublicRegion,
  TipReceipt,
  TipStatus,
} from '../../../src/contract/types.ts';
import type { LeadStatus } from '../../../src/contract/vocabulary.ts';
import { RegionMap } from './region-map.tsx';
import { FilePicker } from '../file-picker.tsx';

type Lang = 'zh' | 'en';

/** The language the office and field apps keep (one origin, one localStorage key): Chinese unless switched. */
const LANG_KEY = 'gengbao.lang';
const storedLang = (): Lang => {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
};

/** What the tipster reads about their tip. */
const STATUS_TEXT: Record<LeadStatus, { zh: string; en: string }> = {
  received: { zh: '已受理', en: 'Received' },
  accepted: { zh: '已立为图斑核查', en: 'Accepted for checking' },
  rejected: { zh: '经核实不予立项', en: 'Not taken up' },
};

/** A file's bytes as base64, in chunks (a phone photo is too large for one apply). */
async function base64Of(f: File): Promise<string> {
  const b = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < b.length; i += 32768) s += String.fromCharCode(...b.subarray(i, i + 32768));
  return btoa(s);
}

async function json<T>(
  res: Response,
): Promise<{ ok: true; body: T } | { ok: false; message: string }> {
  const body = (await res.json().catch(() => null)) as T | ErrorBody | null;
  if (res.ok) return { ok: true, body: body as T };
  return { ok: false, message: (body as ErrorBody | null)?.error?.message ?? res.statusText };
}

/**
 * The public tip page (举报): place the tip on the county map (or type or locate it), describe
 * it, add photos, send it anonymously or with a contact, and get the receipt code that is the
 * only key to its status; a second form looks the status up by that code. No login.
 */
export function TipPage() {
  const [lang, setLang] = useState<Lang>(storedLang);
  const tr = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const switchLang = () => {
    const next: Lang = lang === 'en' ? 'zh' : 'en';
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      /* private mode: the switch lasts for this page */
    }
    setLang(next);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.title = tr('违法占用耕地举报', 'Report illegal building on farmland');
  });
  const [region, setRegion] = useState<PublicRegion | null>(null);
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [anonymous, setAnonymous] = useState(true);
  const [sending, setSending] = useState(false);
  const [out, setOut] = useState('');
  const [lookup, setLookup] = useState('');

  useEffect(() => {
    fetch('/api/public/region')
      .then((r) => r.json() as Promise<PublicRegion>)
      .then(setRegion)
      .catch(() => setRegion(null));
  }, []);

  const place = (x: number, y: number) => {
    setLon(x.toFixed(6));
    setLat(y.toFixed(6));
  };
  const pin: [number, number] | null =
    lon && lat && Number.isFinite(Number(lon)) && Number.isFinite(Number(lat))
      ? [Number(lon), Number(lat)]
      : null;

  const here = () =>
    navigator.geolocation.getCurrentPosition(
      (p) => place(p.coords.longitude, p.coords.latitude),
      (e) => alert(e.message),
    );

  const send = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    setSending(true);
    try {
      const fd = new FormData(ev.currentTarget);
      const photos = [];
      for (const f of fd.getAll('photos') as File[])
        if (f.size) photos.push({ data: await base64Of(f) });
      const body: Record<string, unknown> = {
        lon: Number(lon),
        lat: Number(lat),
        description: fd.get('description'),
        photos,
        anonymous,
      };
      if (!anonymous)
        body.contact = { name: fd.get('name') || undefined, phone: fd.get('phone') || undefined };
      const r = await json<TipReceipt>(
        await fetch('/api/public/tips', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      setOut(
        r.ok
          ? `${tr('已收到，回执码：', 'Received. Receipt code: ')}${r.body.receipt}`
          : `${tr('未能提交：', 'Not sent: ')}${r.message}`,
      );
    } finally {
      setSending(false);
    }
  };

  const look = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const code = String(new FormData(ev.currentTarget).get('receipt') ?? '').trim();
    const r = await json<TipStatus>(await fetch(`/api/public/tips/${encodeURIComponent(code)}`));
    setLookup(r.ok ? STATUS_TEXT[r.body.status][lang] : r.message);
  };

  return (
    <main>
      <button type="button" id="lang" className="lang" onClick={switchLang}>
        {lang === 'en' ? '中文' : 'English'}
      </button>
      <h1>{tr('违法占用耕地举报', 'Report illegal building on farmland')}</h1>
      <p className="muted">
        {tr(
          '发现耕地上违法建设，请在此举报。可匿名举报。',
          'Report suspected illegal building on farmland. Anonymous reports are welcome.',
        )}
      </p>
      <form id="f" onSubmit={send}>
        <label>
          {tr(
            '地点：在地图上点选，或填写经度、纬度',
            'Place: click the map, or type longitude, latitude',
          )}
        </label>
        <RegionMap region={region} pin={pin} onPlace={place} />
        <div className="row">
          <input
            id="lon"
            name="lon"
            required
            inputMode="decimal"
            placeholder={tr('经度 112.85', 'longitude 112.85')}
            value={lon}
            onChange={(e) => setLon(e.target.value)}
          />
          <input
            id="lat"
            name="lat"
            required
            inputMode="decimal"
            placeholder={tr('纬度 35.49', 'latitude 35.49')}
            value={lat}
            onChange={(e) => setLat(e.target.value)}
          />
        </div>
        <button type="button" id="here" onClick={here}>
          {tr('使用我的位置', 'Use my location')}
        </button>
        <label htmlFor="description">{tr('情况描述', 'Description')}</label>
        <textarea id="description" name="description" required rows={4} />
        <label htmlFor="photos">{tr('照片（最多 6 张）', 'Photos (up to 6)')}</label>
        <FilePicker
          id="photos"
          name="photos"
          accept="image/*"
          multiple
          chooseText={tr('选择照片', 'Choose photos')}
          noneText={tr('未选择照片', 'No photo chosen')}
        />
        <label className="check">
          <input
            type="checkbox"
            name="anonymous"
            checked={anonymous}
            onChange={(e) => setAnonymous(e.target.checked)}
          />{' '}
          {tr('匿名', 'Anonymous')}
        </label>
        {!anonymous && (
          <>
            <label htmlFor="name">{tr('联系人', 'Name')}</label>
            <input id="name" name="name" />
            <label htmlFor="phone">{tr('电话', 'Phone')}</label>
            <input id="phone" name="phone" inputMode="tel" />
          </>
        )}
        <button type="submit" disabled={sending}>
          {tr('提交', 'Send')}
        </button>
      </form>
      <div id="out" className="out" role="status">
        {out}
      </div>
      <h2>{tr('查询办理情况', 'Follow a tip')}</h2>
      <form id="q" onSubmit={look}>
        <input name="receipt" placeholder={tr('回执码', 'Receipt code')} required />
        <button type="submit">{tr('查询', 'Look up')}</button>
      </form>
      <div id="qout" className="out" role="status">
        {lookup}
      </div>
    </main>
  );
}
