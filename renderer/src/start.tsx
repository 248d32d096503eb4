import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { initI18n } from './i18n'
import { ApiUnavailableError } from './ipc/client'
import type { Link } from './ipc/first-contact'
import { useAppStore } from './stores/app/store'
import { useHostsStore } from './stores/hosts/store'
import { startStores } from './stores/start-up'
import { AppShell } from './features/shell/AppShell'

/**
 * Start-up once the UI's code is loaded: languages, the UI (its "connecting" screen until
 * the link is ready), then the stores take over the link main.tsx opened, with the first data
 * it already asked for (stores/start-up.ts), then local discovery.
 */
export async function start(linking: Promise<Link>): Promise<void> {
  await initI18n()
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppShell />
    </StrictMode>,
  )
  const { internal_setLink } = useAppStore.getState()
  try {
    await startStores(await linking)
    await useHostsStore.getState().discover()
  } catch (err) {
    if (err instanceof ApiUnavailableError) internal_setLink({ status: err.reason })
    else internal_setLink({ status: 'lost', reason: (err as Error).message })
  }
}
