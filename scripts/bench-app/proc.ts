/** Reads a process's CPU time and memory from /proc (Linux only). */
import { readdirSync, readFileSync } from 'node:fs'

/**
 * CPU time of every live thread of `pid` in ns: the first field of each
 * /proc/PID/task/TID/schedstat (time on CPU, nanosecond resolution, unlike the 10 ms clock
 * ticks of /proc/PID/stat). Node's threads live as long as the process, so none is lost.
 */
export function cpuNs(pid: number): number {
  let total = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total
}

/** utime + stime of `pid` in ms from /proc/PID/stat (clock ticks, all threads, dead ones too). */
export function statCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
}

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100

/** Resident set size of `pid` in bytes (VmRSS of /proc/PID/status). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!m?.[1]) throw new Error(`no VmRSS for ${pid}`)
  return Number(m[1]) * 1024
}

/** Ids of the processes whose command line matches `re` (to check that none was left behind). */
export function processesMatching(re: RegExp): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (re.test(cmd)) found.push(Number(entry))
    } catch {
      // Gone.
    }
  }
  return found
}
