import { describe, expect, it } from 'vitest'
import en from './en.json'
import zhCN from './zh-CN.json'
import { pickLanguage } from '.'

/** Every key path of a nested translation object. */
function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n', () => {
  it('has every English string translated to Simplified Chinese, and no extra ones', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort())
  })

  it('keeps interpolation placeholders in translations', () => {
    const flat = (o: object) =>
      Object.fromEntries(
        keys(o).map((k) => [
          k,
          k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o),
        ]),
      )
    const zh = flat(zhCN)
    for (const [key, text] of Object.entries(flat(en))) {
      for (const placeholder of String(text).match(/{{\w+}}/g) ?? []) {
        expect(String(zh[key]), key).toContain(placeholder)
      }
    }
  })

  it('picks the saved language, else a Chinese or English browser language, else English', () => {
    expect(pickLanguage('zh-CN', ['en-US'])).toBe('zh-CN')
    expect(pickLanguage(null, ['zh-Hans-CN', 'en'])).toBe('zh-CN')
    expect(pickLanguage(null, ['de-DE', 'en-GB'])).toBe('en')
    expect(pickLanguage('klingon', ['fr'])).toBe('en')
  })
})
