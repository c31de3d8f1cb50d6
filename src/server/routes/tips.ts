import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PublicTip } from '../../field/schemas.ts';
import { principalOf, requireRole } from '../guards.ts';

const Triage = z.object({
  outcome: z.enum(['accept', 'reject']),
  reason: z.string().trim().min(1).max(2000),
  geometry: z
    .object({
      type: z.literal('Polygon'),
      coordinates: z.array(z.array(z.array(z.number()).min(2)).min(4)).min(1),
    })
    .optional(),
});
export { Triage as TriageBody };

/**
 * Public tips (举报): an unauthenticated page and endpoint, flood-limited per client address,
 * answered with a receipt code that is the tipster's only key to the status; county officers
 * triage each tip, and an accepted one becomes a 图斑 of source `tip`.
 */
export const tipRoutes: FastifyPluginAsyncZod = async (app) => {
  const leads = app.services.fieldLeads;

  app.get('/api/public/region', { schema: { tags: ['tips'], summary: 'County outlines of the region, for placing a tip on a map', security: [] } }, async () => leads.publicRegion());

  app.get('/tip', { schema: { hide: true, security: [] } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(TIP_PAGE),
  );

  app.post(
    '/api/public/tips',
    {
      schema: {
        tags: ['tips'],
        summary: 'Send a tip (举报); returns a receipt code',
        security: [],
        body: PublicTip,
      },
    },
    async (req) => leads.submitTip(req.ip, req.body),
  );

  app.get(
    '/api/public/tips/:receipt',
    {
      schema: {
        tags: ['tips'],
        summary: 'Status of a tip by its receipt code',
        security: [],
        params: z.object({ receipt: z.string().trim().min(6).max(20) }),
      },
    },
    async (req) => leads.tipStatus(req.params.receipt),
  );

  app.get(
    '/api/tips',
    {
      schema: {
        tags: ['tips'],
        summary: 'Tips in my jurisdiction',
        querystring: z.object({ status: z.enum(['received', 'accepted', 'rejected']).optional() }),
      },
    },
    async (req) => {
      return { items: await leads.tips(principalOf(req), req.query.status) };
    },
  );

  app.post(
    '/api/tips/:id/triage',
    {
      schema: {
        tags: ['tips'],
        summary: 'Triage a tip: accept (→ 图斑 of source tip) or reject',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: Triage,
      },
    },
    async (req) =>
      leads.triageTip(requireRole(req, 'county_officer', 'admin'), req.params.id, req.body),
  );
};

/** The public tip page: self-contained (no CDN, works on a bureau intranet), Chinese first. */
const TIP_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>违法占用耕地举报 · Report illegal building on farmland</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:0 auto;padding:1rem}label{display:block;margin:.6rem 0 .2rem}
input,textarea,button{font:inherit;width:100%;box-sizing:border-box;padding:.4rem}button{margin-top:.8rem;background:#2e7d32;color:#fff;border:0;border-radius:4px}
.row{display:flex;gap:.5rem}.muted{color:#666;font-size:.9em}#out{margin-top:1rem;font-weight:bold}</style></head><body>
<h1>违法占用耕地举报</h1><p class="muted">Report suspected illegal building on farmland. 可匿名举报 · anonymous reports are welcome.</p>
<form id="f">
<label>地点 Place — 在地图上点选 click the map, or type 经度 lon, 纬度 lat</label>
<svg id="map" viewBox="0 0 1000 700" style="width:100%;background:#eef2ea;border:1px solid #ccd" role="img" aria-label="map"></svg><div class="row"><input id="lon" name="lon" required inputmode="decimal" placeholder="112.85"><input id="lat" name="lat" required inputmode="decimal" placeholder="35.49"></div>
<button type="button" id="here">使用我的位置 Use my location</button>
<label>情况描述 Description</label><textarea name="description" required rows="4"></textarea>
<label>照片 Photos (最多 6 张 up to 6)</label><input type="file" name="photos" accept="image/*" multiple>
<label><input type="checkbox" name="anonymous" checked style="width:auto"> 匿名 Anonymous</label>
<label>联系人 Name</label><input name="name"><label>电话 Phone</label><input name="phone" inputmode="tel">
<button>提交 Send</button></form><div id="out" role="status"></div>
<h2>查询办理情况 Follow a tip</h2><form id="q"><input name="receipt" placeholder="回执码 receipt code" required><button>查询 Look up</button></form><div id="qout" role="status"></div>
<script type="module">
const $=(s)=>document.querySelector(s);
let proj=null;const svg=$('#map');
const mark=()=>{const x=Number($('#lon').value),y=Number($('#lat').value);const m=svg.querySelector('#pin');if(m)m.remove();if(!proj||!isFinite(x)||!isFinite(y)||!$('#lon').value)return;
const [px,py]=proj.to(x,y);svg.insertAdjacentHTML('beforeend','<circle id="pin" cx="'+px+'" cy="'+py+'" r="9" fill="#c62828" stroke="#fff" stroke-width="3"/>')};
fetch('/api/public/region').then((r)=>r.json()).then((fc)=>{let x0=1e9,y0=1e9,x1=-1e9,y1=-1e9;for(const f of fc.features){const b=f.properties.bbox;x0=Math.min(x0,b[0]);y0=Math.min(y0,b[1]);x1=Math.max(x1,b[2]);y1=Math.max(y1,b[3])}
if(!fc.features.length)return;const k=Math.cos((y0+y1)/2*Math.PI/180),sc=Math.min(1000/((x1-x0)*k),700/(y1-y0));
proj={to:(x,y)=>[((x-x0)*k*sc).toFixed(1),((y1-y)*sc).toFixed(1)],from:(px,py)=>[x0+px/(k*sc),y1-py/sc]};
const path=(g)=>(g.type==='Polygon'?[g.coordinates]:g.coordinates).map((p)=>p.map((r)=>'M'+r.map((c)=>proj.to(c[0],c[1]).join(',')).join('L')+'Z').join('')).join('');
svg.innerHTML=fc.features.map((f)=>'<path d="'+path(f.geometry)+'" fill="#dfe9d6" stroke="#5b7f56" stroke-width="2"><title>'+f.properties.name+'</title></path>').join('');mark()});
svg.addEventListener('click',(ev)=>{if(!proj)return;const pt=svg.createSVGPoint();pt.x=ev.clientX;pt.y=ev.clientY;const p=pt.matrixTransform(svg.getScreenCTM().inverse());const [lon,lat]=proj.from(p.x,p.y);
$('#lon').value=lon.toFixed(6);$('#lat').value=lat.toFixed(6);mark()});
$('#lon').oninput=mark;$('#lat').oninput=mark;
$('#here').onclick=()=>navigator.geolocation.getCurrentPosition((p)=>{$('#lon').value=p.coords.longitude.toFixed(6);$('#lat').value=p.coords.latitude.toFixed(6);mark()},(e)=>alert(e.message));
const b64=async(f)=>{const b=new Uint8Array(await f.arrayBuffer());let s='';for(let i=0;i<b.length;i+=32768)s+=String.fromCharCode(...b.subarray(i,i+32768));return btoa(s)};
$('#f').onsubmit=async(ev)=>{ev.preventDefault();const fd=new FormData(ev.target);const anonymous=fd.get('anonymous')==='on';
const photos=[];for(const f of fd.getAll('photos'))if(f.size)photos.push({data:await b64(f)});
const body={lon:Number(fd.get('lon')),lat:Number(fd.get('lat')),description:fd.get('description'),photos,anonymous};
if(!anonymous)body.contact={name:fd.get('name')||undefined,phone:fd.get('phone')||undefined};
const r=await fetch('/api/public/tips',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)});const j=await r.json();
$('#out').textContent=r.ok?'已收到，回执码 Receipt: '+j.receipt:'未能提交 Not sent: '+j.error.message};
$('#q').onsubmit=async(ev)=>{ev.preventDefault();const c=new FormData(ev.target).get('receipt');const r=await fetch('/api/public/tips/'+encodeURIComponent(c));const j=await r.json();
const names={received:'已受理 received',accepted:'已立为图斑核查 accepted for checking',rejected:'经核实不予立项 not taken up'};$('#qout').textContent=r.ok?names[j.status]:j.error.message};
</script></body></html>`;
