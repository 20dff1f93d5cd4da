// /.well-known/gpc.json: the site says it honours Global Privacy Control (W3C GPC §3.2).

/** Where user agents look for a site's GPC support resource. */
export const GPC_JSON_PATH = '/.well-known/gpc.json'

/**
 * The GPC support resource: `{"gpc": true}`, `application/json` (W3C GPC §3.2). `lastUpdate` is
 * optional in the spec and left out. Cacheable for a day: it says the same to everyone.
 * @example (await gpcJsonResponse().json()) // { gpc: true }
 */
export function gpcJsonResponse(method = 'GET'): Response {
  const body = JSON.stringify({ gpc: true })
  return new Response(method === 'HEAD' ? null : body, {
    headers: {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=86400',
      'access-control-allow-origin': '*',
    },
  })
}
