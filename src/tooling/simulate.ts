// The dev-mode context simulator: force any context field per request, e.g. "country:FR,daypart:evening".
import type { Facts, FieldSpec } from '../context'
import { CONTEXT_FIELDS, daypartOf } from '../context'

/** The query parameter and header that carry a simulation (same syntax). */
export const SIM_PARAM = 'tailor-sim'
export const SIM_HEADER = 'x-tailor-sim'

// EU member states (ISO 3166-1), so a simulated country brings its `eu` fact along.
const EU = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' ')
)

export type Simulation = {
  /** Field → forced value, in the order given. */
  overrides: Readonly<Record<string, string | number | boolean>>
  /** Entries that were refused, each with the reason. */
  issues: readonly string[]
}

function coerce(spec: FieldSpec, raw: string): string | number | boolean | string {
  if (spec.type === 'boolean') {
    if (raw === 'true' || raw === 'false') {
      return raw === 'true'
    }
    throw new Error(`Expected true or false. Got "${raw}".`)
  }
  if (spec.type === 'number') {
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n)) {
      throw new Error(`Expected a number. Got "${raw}".`)
    }
    if (spec.range && (n < spec.range[0] || n > spec.range[1])) {
      throw new Error(`Expected a number from ${spec.range[0]} to ${spec.range[1]}. Got ${n}.`)
    }
    return n
  }
  if (spec.values && !spec.values.includes(raw)) {
    throw new Error(`Expected one of ${spec.values.join(', ')}. Got "${raw}".`)
  }
  if (spec.pattern && !spec.pattern.regex.test(raw)) {
    throw new Error(`Expected ${spec.pattern.expected}. Got "${raw}".`)
  }
  return raw
}

/**
 * Parse a simulation: comma-separated `field:value` pairs over the context fields (`utm.campaign`
 * included). Bounded (1000 characters, 30 entries); a bad entry is reported and skipped.
 * @example parseSimulation('country:FR,daypart:evening,device:mobile').overrides
 *   // { country: 'FR', daypart: 'evening', device: 'mobile' }
 */
export function parseSimulation(text: string | null): Simulation {
  const overrides: Record<string, string | number | boolean> = {}
  const issues: string[] = []
  if (!text) {
    return { overrides, issues }
  }
  for (const entry of text.slice(0, 1000).split(',').slice(0, 30)) {
    const at = entry.indexOf(':')
    const field = (at < 0 ? entry : entry.slice(0, at)).trim()
    const raw = at < 0 ? '' : entry.slice(at + 1).trim()
    if (!field) {
      continue
    }
    const spec = Object.hasOwn(CONTEXT_FIELDS, field) ? CONTEXT_FIELDS[field] : undefined
    if (!spec) {
      issues.push(
        `${field}: Unknown field. Expected one of: ${Object.keys(CONTEXT_FIELDS).join(', ')}.`
      )
      continue
    }
    try {
      overrides[field] = coerce(spec, raw)
    } catch (err) {
      issues.push(`${field}: ${(err as Error).message}`)
    }
  }
  return { overrides, issues }
}

/**
 * Facts with the simulation applied. Derived facts follow what was forced unless forced too:
 * a country sets `eu`, a local hour sets `daypart`, a weekday sets `weekend`.
 */
export function applySimulation(facts: Facts, sim: Simulation): Facts {
  const o = sim.overrides
  if (Object.keys(o).length === 0) {
    return facts
  }
  const out: Facts = { ...facts, utm: { ...facts.utm } }
  for (const [field, value] of Object.entries(o)) {
    if (field.startsWith('utm.')) {
      out.utm[field.slice(4) as keyof Facts['utm']] = value as string
    } else {
      ;(out as Record<string, unknown>)[field] = value
    }
  }
  if ('country' in o && !('eu' in o)) {
    out.eu = EU.has(String(o.country))
  }
  if ('localHour' in o && !('daypart' in o)) {
    out.daypart = daypartOf(Number(o.localHour))
  }
  if ('weekday' in o && !('weekend' in o)) {
    out.weekend = o.weekday === 'saturday' || o.weekday === 'sunday'
  }
  return out
}

/** The simulation asked for by a request: the header, else the query parameter. */
export function readSimulation(request: Request): Simulation {
  const header = request.headers.get(SIM_HEADER)
  if (header !== null) {
    return parseSimulation(header)
  }
  return parseSimulation(new URL(request.url).searchParams.get(SIM_PARAM))
}
