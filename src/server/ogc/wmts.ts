import type { BBox } from '../../geo/types.ts';
import { MAX_ZOOM } from '../../geo/tile-math.ts';

/*
 * A minimal OGC WMTS 1.0.0 GetCapabilities (RESTful binding, OGC 07-057r7) for the stored
 * scenes: one layer per scene, each served by the existing XYZ tile route through a
 * ResourceURL template, on the well-known GoogleMapsCompatible matrix set (EPSG:3857, 256 px
 * tiles, rows counted from the top — the XYZ scheme, so {TileRow} is {y}). Tiles outside a
 * scene answer 204; TileMatrixSetLimits keep clients to the scene's tiles anyway.
 */

export interface WmtsScene {
  id: number;
  name: string;
  acquiredOn: string | null;
  bbox: BBox | null;
}

// Web Mercator's half circumference and the scale denominator of zoom 0 at 0.28 mm pixels.
const HALF = 20037508.3427892;
const SCALE_0 = 559082264.0287178;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const tileX = (lon: number, z: number) =>
  Math.min(2 ** z - 1, Math.max(0, Math.floor(((lon + 180) / 360) * 2 ** z)));
function tileY(lat: number, z: number): number {
  const clamped = Math.max(-85.0511287798, Math.min(85.0511287798, lat));
  const r = (clamped * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
  return Math.min(2 ** z - 1, Math.max(0, y));
}

function matrixSet(): string {
  const matrices = Array.from({ length: MAX_ZOOM + 1 }, (_, z) => {
    const n = 2 ** z;
    return `<TileMatrix><ows:Identifier>${z}</ows:Identifier><ScaleDenominator>${SCALE_0 / n}</ScaleDenominator><TopLeftCorner>${-HALF} ${HALF}</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>${n}</MatrixWidth><MatrixHeight>${n}</MatrixHeight></TileMatrix>`;
  });
  return `<TileMatrixSet><ows:Identifier>GoogleMapsCompatible</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS><WellKnownScaleSet>urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible</WellKnownScaleSet>${matrices.join('')}</TileMatrixSet>`;
}

function layer(origin: string, s: WmtsScene): string {
  const title = s.acquiredOn ? `${s.name} (${s.acquiredOn})` : s.name;
  const box = s.bbox
    ? `<ows:WGS84BoundingBox><ows:LowerCorner>${s.bbox[0]} ${s.bbox[1]}</ows:LowerCorner><ows:UpperCorner>${s.bbox[2]} ${s.bbox[3]}</ows:UpperCorner></ows:WGS84BoundingBox>`
    : '';
  const limits = s.bbox
    ? `<TileMatrixSetLimits>${Array.from({ length: MAX_ZOOM + 1 }, (_, z) => `<TileMatrixLimits><TileMatrix>${z}</TileMatrix><MinTileRow>${tileY(s.bbox![3], z)}</MinTileRow><MaxTileRow>${tileY(s.bbox![1], z)}</MaxTileRow><MinTileCol>${tileX(s.bbox![0], z)}</MinTileCol><MaxTileCol>${tileX(s.bbox![2], z)}</MaxTileCol></TileMatrixLimits>`).join('')}</TileMatrixSetLimits>`
    : '';
  return (
    `<Layer><ows:Title>${esc(title)}</ows:Title>${box}<ows:Identifier>imagery-${s.id}</ows:Identifier>` +
    `<Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>` +
    `<TileMatrixSetLink><TileMatrixSet>GoogleMapsCompatible</TileMatrixSet>${limits}</TileMatrixSetLink>` +
    `<ResourceURL format="image/png" resourceType="tile" template="${esc(`${origin}/api/imagery/${s.id}/tiles/{TileMatrix}/{TileCol}/{TileRow}.png`)}"/></Layer>`
  );
}

/** The capabilities document of the scenes a caller may see, with hrefs on `origin`. */
export function wmtsCapabilities(origin: string, scenes: WmtsScene[]): string {
  const self = `${origin}/ogc/wmts/1.0.0/WMTSCapabilities.xml`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">' +
    '<ows:ServiceIdentification><ows:Title>耕保 Gengbao imagery</ows:Title><ows:ServiceType>OGC WMTS</ows:ServiceType><ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion></ows:ServiceIdentification>' +
    `<Contents>${scenes.map((s) => layer(origin, s)).join('')}${matrixSet()}</Contents>` +
    `<ServiceMetadataURL xlink:href="${esc(self)}"/></Capabilities>`
  );
}
