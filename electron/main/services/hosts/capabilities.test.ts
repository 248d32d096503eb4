import { describe, expect, it } from 'vitest'
import { summarizeCapabilities } from './capabilities'

const xml = (guestTypes: string[], secmodels: string[]) => `<capabilities><host>
  <cpu><arch>x86_64</arch><model>Skylake-Client-IBRS</model><vendor>Intel</vendor>
    <pages unit='KiB' size='4'/><pages unit='KiB' size='2048'/><pages unit='KiB' size='1048576'/></cpu>
  <topology><cells num='2'>
    <cell id='0'><pages unit='KiB' size='4'>100</pages><pages unit='KiB' size='2048'>16</pages>
      <pages unit='KiB' size='1048576'>0</pages></cell>
    <cell id='1'><pages unit='KiB' size='4'>100</pages><pages unit='KiB' size='2048'>8</pages>
      <pages unit='KiB' size='1048576'>1</pages></cell>
  </cells></topology>
  ${secmodels.map((m) => `<secmodel><model>${m}</model><doi>0</doi></secmodel>`).join('')}
</host><guest><os_type>hvm</os_type><arch name='x86_64'>
  ${guestTypes.map((t) => `<domain type='${t}'/>`).join('')}</arch></guest></capabilities>`

describe('summarizeCapabilities', () => {
  it('reads CPU, huge page pools summed over cells, KVM and AppArmor', () => {
    expect(summarizeCapabilities(xml(['qemu', 'kvm'], ['apparmor', 'dac']))).toEqual({
      arch: 'x86_64',
      cpuModel: 'Skylake-Client-IBRS',
      cpuVendor: 'Intel',
      hugepages: [
        { sizeKiB: 2048, count: 24 },
        { sizeKiB: 1048576, count: 1 },
      ],
      kvm: true,
      securityDrivers: ['apparmor'],
    })
  })

  it('answers no KVM and no security driver for a TCG-only host with DAC only', () => {
    const s = summarizeCapabilities(xml(['qemu'], ['none', 'dac']))
    expect(s.kvm).toBe(false)
    expect(s.securityDrivers).toEqual([])
  })
})
