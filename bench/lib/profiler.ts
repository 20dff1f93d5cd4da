// V8's sampling profiler over the inspector protocol, for a worker served by Miniflare, and a
// summary of a profile by function (self and total time).
import type { Miniflare } from 'miniflare'
import WebSocket from 'ws'

type Node = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  children?: number[]
}
/** A V8 CPU profile (the inspector's Profiler.stop result). */
export type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] }

/** Connect to the user worker of a Miniflare started with `inspectorPort`. */
export async function connectProfiler(mf: Miniflare) {
  const inspector = await mf.getInspectorURL()
  type Target = { title: string; webSocketDebuggerUrl: string }
  const list = (await (
    await fetch(new URL('/json', inspector.href.replace('ws', 'http')))
  ).json()) as Target[]
  const main = list.find((t) => t.title.endsWith('core:user:'))
  if (!main) {
    throw new Error(`no user worker among ${list.map((t) => t.title).join(', ')}`)
  }
  const ws = new WebSocket(main.webSocketDebuggerUrl)
  await new Promise((done) => ws.once('open', done))
  let nextId = 1
  const waiting = new Map<number, (v: unknown) => void>()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown }
    if (msg.id !== undefined) {
      waiting.get(msg.id)?.(msg.result)
    }
  })
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((done) => {
      const id = nextId++
      waiting.set(id, done)
      ws.send(JSON.stringify({ id, method, params }))
    })
  await send('Profiler.enable')
  return {
    async start(intervalUs: number) {
      await send('Profiler.setSamplingInterval', { interval: intervalUs })
      await send('Profiler.start')
    },
    async stop(): Promise<Profile> {
      return ((await send('Profiler.stop')) as { profile: Profile }).profile
    },
    close() {
      ws.close()
    },
  }
}

/** Print the top functions by self and by total time, per call (`calls`) in µs. */
export function printProfile(profile: Profile, calls: number, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id)
    }
  }
  const key = (node: Node) => {
    const f = node.callFrame
    const file = f.url.split('/').pop() ?? ''
    return `${f.functionName || '(anon)'} ${file}:${f.lineNumber + 1}`
  }
  const selfBy = new Map<string, number>()
  const totalBy = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    const node = byId.get(id)
    if (!node) {
      return
    }
    total += dt
    selfBy.set(key(node), (selfBy.get(key(node)) ?? 0) + dt)
    const onStack = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)
      if (frame) {
        onStack.add(key(frame))
      }
    }
    for (const k of onStack) {
      totalBy.set(k, (totalBy.get(k) ?? 0) + dt)
    }
  })
  const print = (title: string, m: Map<string, number>) => {
    console.log(`${title} (% of ${(total / 1000).toFixed(0)} ms sampled; µs per call)`)
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${((100 * v) / total).toFixed(1).padStart(5)}% ${(v / calls).toFixed(2).padStart(7)}  ${k}`
      )
    }
  }
  print('self', selfBy)
  print('total', totalBy)
}
