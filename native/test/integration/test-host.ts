/**
 * What the integration tests need to know about the test host: read from the file that
 * `npm run test-host:up` writes, with the protocol README's default paths as fallback.
 */
import { existsSync, readFileSync } from 'node:fs'

/** The parts of /var/tmp/virtdeck-test-host/host.json these tests use. */
export interface TestHost {
  systemSocket: string
  systemSocketRo: string
  /** The test driver's XML file with many domains, if the test host made one. */
  scaleXml: string | null
  scaleCount: number
  domains: string[]
}

/** Where the test host describes itself. */
export const HOST_JSON = '/var/tmp/virtdeck-test-host/host.json'

/** Reads host.json (or falls back to the standard socket paths). */
export function testHost(): TestHost {
  const fallback: TestHost = {
    systemSocket: '/var/run/libvirt/libvirt-sock',
    systemSocketRo: '/var/run/libvirt/libvirt-sock-ro',
    scaleXml: null,
    scaleCount: 0,
    domains: [],
  }
  if (!existsSync(HOST_JSON)) return fallback
  const j = JSON.parse(readFileSync(HOST_JSON, 'utf8')) as {
    system?: { socket?: string; socketRo?: string }
    testDriver?: { file?: string; domainCount?: number }
    domains?: Record<string, string>
  }
  return {
    systemSocket: j.system?.socket ?? fallback.systemSocket,
    systemSocketRo: j.system?.socketRo ?? fallback.systemSocketRo,
    scaleXml: j.testDriver?.file ?? null,
    scaleCount: j.testDriver?.domainCount ?? 0,
    domains: Object.values(j.domains ?? {}),
  }
}
