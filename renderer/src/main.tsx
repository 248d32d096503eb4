import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { initI18n } from './i18n'
import { ApiUnavailableError, connectApi } from './ipc/client'
import { setApi } from './ipc/api'
import { useAppStore } from './stores/app/store'
import { useHostsStore } from './stores/hosts/store'
import { useSettingsStore } from './stores/settings/store'
import { useVmsStore } from './stores/vms/store'
import { subscribeStores } from './stores/subscriptions'
import { AppShell } from './features/shell/AppShell'
import './styles.css'

/** Start-up: languages, the link to main, the first data, then the UI. */
async function start(): Promise<void> {
  await initI18n()
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppShell />
    </StrictMode>,
  )
  const { internal_setLink } = useAppStore.getState()
  try {
    const api = await connectApi()
    setApi(api)
    subscribeStores(api)
    // Settings first: the theme and language apply before the first real screen.
    await Promise.all([useAppStore.getState().loadInfo(), useSettingsStore.getState().load()])
    internal_setLink({ status: 'ready' })
    await Promise.all([useHostsStore.getState().load(), useVmsStore.getState().load()])
  } catch (err) {
    if (err instanceof ApiUnavailableError) internal_setLink({ status: err.reason })
    else internal_setLink({ status: 'lost', reason: (err as Error).message })
  }
}

void start()
