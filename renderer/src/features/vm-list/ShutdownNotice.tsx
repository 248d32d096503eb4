import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { VmSummary } from '@common/contract/vms'
import { vmSelectors } from '../../stores/vms/selectors'
import { formatElapsed, shutdownTimeoutMs } from '../../stores/vms/shutdown-watch'
import { useVmsStore } from '../../stores/vms/store'

/** Props of ShutdownNotice. */
export interface ShutdownNoticeProps {
  hostId: string
  vm: VmSummary
  /** What the row shows in the notice's place otherwise (the live stats cells). */
  children: ReactNode
}

/**
 * Shown in a VM's row, over its live stats, once it was asked to shut down (ACPI) and is
 * still up after the timeout (a minute by default; `?shutdownTimeout=SECONDS` in the page
 * address changes it): how long it has been, and Force off. It does not block anything; it
 * goes away when the VM is off or the user chooses to keep waiting.
 */
export function ShutdownNotice({ hostId, vm, children }: ShutdownNoticeProps) {
  const since = useVmsStore(vmSelectors.shutdownSince(hostId, vm.uuid))
  // Most rows are never shut down through us: they pay one store subscription, no more.
  if (since === undefined) return children
  return (
    <ShutdownWatch hostId={hostId} vm={vm} since={since}>
      {children}
    </ShutdownWatch>
  )
}

/** ShutdownNotice for a VM asked to shut down at `since` (epoch ms). */
function ShutdownWatch({ hostId, vm, since, children }: ShutdownNoticeProps & { since: number }) {
  const { t } = useTranslation()
  const act = useVmsStore((s) => s.act)
  const dismiss = useVmsStore((s) => s.dismissShutdown)
  const timeout = useMemo(() => shutdownTimeoutMs(window.location.search), [])
  const [now, setNow] = useState(() => Date.now())
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  useEffect(() => {
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [since])
  if (now - since < timeout) return children

  const forceOff = async () => {
    setBusy(true)
    const [failure] = await act(hostId, [vm], 'destroy')
    setBusy(false)
    setError(failure)
  }
  const elapsed = formatElapsed(now - since)
  return (
    <span role="cell" className="shutdown-cell">
      <span
        className="shutdown-notice"
        role="status"
        data-testid="shutdown-notice"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.stopPropagation()}
      >
        <span
          className={`shutdown-notice-text ${error ? 'error-text' : ''}`}
          title={error ?? t('vm.shutdownNotice.hint')}
        >
          {error ?? t('vm.shutdownNotice.text', { elapsed })}
        </span>
        <button
          type="button"
          className="button small danger"
          disabled={busy}
          onClick={() => void forceOff()}
        >
          {busy ? t('vm.working') : t('vm.action.destroy')}
        </button>
        <button
          type="button"
          className="button small"
          aria-label={t('vm.shutdownNotice.dismiss')}
          title={t('vm.shutdownNotice.dismiss')}
          onClick={() => dismiss(hostId, vm.uuid)}
        >
          ×
        </button>
      </span>
    </span>
  )
}
