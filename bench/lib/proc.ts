// Reading a process's CPU time and memory from /proc (Linux), for per-request CPU and peak RSS.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

let ticks: number | undefined

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 almost everywhere). */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticks = 100
    }
  }
  return ticks
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parens). */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return text.slice(text.lastIndexOf(')') + 2).split(' ')
}

/**
 * CPU time the process has used so far, user + system, all threads, in milliseconds (proc(5):
 * fields 14 and 15, utime and stime, in clock ticks).
 * @example const before = cpuMs(pid); …; const used = cpuMs(pid) - before
 */
export function cpuMs(pid: number): number {
  const fields = statFields(pid)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks()
}

/** Resident memory now (VmRSS), in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : 0
}

/** The pids of this process's direct children whose command name is `name` (e.g. "workerd"). */
export function childPids(name: string, parent = process.pid): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue
    }
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'))
      if (comm === name && Number(statFields(Number(entry))[1]) === parent) {
        out.push(Number(entry))
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return out
}

/**
 * Sample a process's RSS every `everyMs` until stopped; returns the peak seen, in bytes.
 * @example const sampler = sampleRss(pid); await run(); const peak = sampler.stop()
 */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = rssBytes(pid)
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid))
    } catch {
      // gone
    }
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      try {
        peak = Math.max(peak, rssBytes(pid))
      } catch {
        // gone
      }
      return peak
    },
  }
}
