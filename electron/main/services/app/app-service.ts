import type { ServiceImpl } from '@common/contract/define'
import type { app } from '@common/contract/app'

/** Static facts about this process. */
export interface AppFacts {
  name: string
  version: string
  mode: 'electron' | 'web'
}

/** Implements the app contract. */
export function createAppService(facts: AppFacts): ServiceImpl<typeof app.spec> {
  return {
    async getInfo() {
      return { ...facts, platform: process.platform }
    },
  }
}
