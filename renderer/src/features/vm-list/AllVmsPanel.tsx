import { useTranslation } from 'react-i18next'
import { useHostsStore } from '../../stores/hosts/store'
import { VmList } from './VmList'

/** Every connected host's VMs in one list, each row naming its host. */
export function AllVmsPanel() {
  const { t } = useTranslation()
  const connected = useHostsStore(
    (s) => Object.values(s.connections).filter((c) => c?.status === 'connected').length,
  )
  const total = useHostsStore((s) => s.hosts.length)
  return (
    <section className="panel" aria-labelledby="all-vms-title">
      <header className="panel-header">
        <h1 id="all-vms-title">{t('allVms.title')}</h1>
      </header>
      <p className="muted">{t('allVms.hosts', { connected, total })}</p>
      <VmList />
    </section>
  )
}
