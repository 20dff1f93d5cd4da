// /.well-known/gpc.json: the site says it honours Global Privacy Control (W3C GPC §3.2).

/** Where user agents look for a site's GPC support resource. */
export const GPC_JSON_PATH = '/.well-known/gpc.json'

/**
 * The GPC support resource: `{"gpc": true}`, `application/json` (W3C GPC §3.2), with
 * `lastUpdate` when the config gives one (`consent.gpcLastUpdate`, validated as YYYY-MM-DD).
 * Cacheable for a day: it says the same to everyone.
 * @example (await gpcJsonResponse('GET', '2026-11-01').json()) // { gpc: true, lastUpdate: '2026-11-01' }
 */
export function gpcJsonResponse(method = 'GET', lastUpdate?: string): Response {
  const body = JSON.stringify(lastUpdate === undefined ? { gpc: true } : { gpc: true, lastUpdate })
  return new Response(method === 'HEAD' ? null : body, {
    headers: {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=86400',
      'access-control-allow-origin': '*',
    },
  })
}
