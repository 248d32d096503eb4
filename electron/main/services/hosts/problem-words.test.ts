import { readFileSync } from 'node:fs'
import { URI_PROBLEMS } from '@native'
import { describe, expect, it } from 'vitest'

const words = (lang: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../renderer/src/i18n/${lang}.json`, import.meta.url), 'utf8'),
  ) as { problems: { uri: Record<string, string> } }

describe('the UI’s words for a refused URI', () => {
  it('are native’s English explanations, reason for reason', () => {
    expect(words('en').problems.uri).toEqual(URI_PROBLEMS)
  })

  it('name the same values in Chinese', () => {
    const zh = words('zh-CN').problems.uri
    for (const [reason, english] of Object.entries(URI_PROBLEMS)) {
      const names = (text: string) => [...new Set(text.match(/{{\w+}}/g) ?? [])].sort()
      expect(names(zh[reason] ?? ''), reason).toEqual(names(english))
    }
  })
})
