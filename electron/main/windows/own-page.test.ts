import { describe, expect, it } from 'vitest'
import { consoleWindowKey, consoleWindowUrl, isOwnPage } from './own-page'

const HOME = 'file:///opt/Virtdeck/resources/app/out/renderer/index.html'
const VM = 'a00148d7-34cb-4cc6-b0f8-75ccc37979f2'

describe('own page checks', () => {
  it('accepts the page with or without a fragment, nothing else', () => {
    expect(isOwnPage(HOME, HOME)).toBe(true)
    expect(isOwnPage(`${HOME}#console=vnc&host=h&vm=${VM}`, HOME)).toBe(true)
    expect(isOwnPage(`${HOME}?x=1`, HOME)).toBe(false)
    expect(isOwnPage('file:///tmp/index.html', HOME)).toBe(false)
    expect(isOwnPage('https://example.com/#x', HOME)).toBe(false)
    expect(isOwnPage(undefined, HOME)).toBe(false)
  })

  it('opens console windows only for our page naming a console', () => {
    const url = `${HOME}#console=vnc&host=h1&vm=${VM}`
    expect(consoleWindowUrl(url, HOME)).toBe(url)
    for (const kind of ['serial', 'monitor']) {
      const other = `${HOME}#console=${kind}&host=h1&vm=${VM}`
      expect(consoleWindowUrl(other, HOME)).toBe(other)
    }
    expect(consoleWindowUrl(HOME, HOME)).toBeUndefined()
    expect(consoleWindowUrl(`${HOME}#console=shell&host=h1&vm=${VM}`, HOME)).toBeUndefined()
    expect(consoleWindowUrl(`${HOME}#console=vnc&host=h1&vm=nope`, HOME)).toBeUndefined()
    expect(
      consoleWindowUrl(`https://evil.example/#console=vnc&host=h&vm=${VM}`, HOME),
    ).toBeUndefined()
  })

  it('keys console windows by console, so a second request finds the open window', () => {
    expect(consoleWindowKey(`${HOME}#console=serial&host=h1&vm=${VM}`)).toBe(`serial/h1/${VM}`)
    expect(consoleWindowKey(`${HOME}#token=x&console=serial&host=h1&vm=${VM}`)).toBe(
      `serial/h1/${VM}`,
    )
    expect(consoleWindowKey(`${HOME}#console=monitor&host=h1&vm=${VM}`)).toBe(`monitor/h1/${VM}`)
    expect(consoleWindowKey(HOME)).toBeUndefined()
  })
})
