import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { VmSummary } from '@common/contract/vms'
import { ACTIONS_BY_STATE, type VmAction } from '@common/contract/vm-states'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useVmsStore } from '../../stores/vms/store'
import { DeleteDialog } from './DeleteDialog'
import { JobProgressBar } from './JobProgressBar'
import { PathDialog } from './PathDialog'

/** Actions in toolbar order. */
const ORDER: VmAction[] = [
  'start',
  'shutdown',
  'reboot',
  'suspend',
  'resume',
  'managedsave',
  'reset',
  'destroy',
]
/** Actions that lose the guest's unsaved work: asked about first. */
const DESTRUCTIVE = new Set<VmAction>(['destroy', 'reset'])

/** The selected VMs grouped by host, for the store's per-host calls. */
function byHost(vms: VmSummary[]): [string, VmSummary[]][] {
  const groups = new Map<string, VmSummary[]>()
  for (const vm of vms) groups.set(vm.hostId, [...(groups.get(vm.hostId) ?? []), vm])
  return [...groups]
}

/**
 * The lifecycle buttons for the selected VMs (of one host or several): each action is
 * offered when it fits at least one of them, and runs on those it fits. Force off and reset
 * ask first; libvirt's own error text is shown when an action fails. Autostart switches for
 * all selected VMs at once (on unless all of them have it already); Delete asks about one
 * VM's disks first.
 */
export function VmActions({
  restoreTo,
  selected,
  single = false,
}: {
  /** The host a saved VM is restored on; without it no Restore is offered. */
  restoreTo?: string
  selected: VmSummary[]
  /** One VM's own toolbar (the details view): no restore, no selection hint. */
  single?: boolean
}) {
  const { t } = useTranslation()
  const act = useVmsStore((s) => s.act)
  const save = useVmsStore((s) => s.save)
  const restore = useVmsStore((s) => s.restore)
  const [savePath, setSavePath] = useState<string>()
  const [restorePath, setRestorePath] = useState<string>()
  const saveable = selected.length === 1 && ['running', 'paused'].includes(selected[0]!.state)
  const [busy, setBusy] = useState<VmAction>()
  const [confirm, setConfirm] = useState<VmAction>()
  const [errors, setErrors] = useState<string[]>([])
  const [deleting, setDeleting] = useState<VmSummary>()
  const setAutostart = useVmsStore((s) => s.setAutostart)
  const [autostartBusy, setAutostartBusy] = useState(false)
  const autostartCount = selected.filter((vm) => vm.autostart).length
  const allAutostart = selected.length > 0 && autostartCount === selected.length

  const fitting = (action: VmAction) =>
    selected.filter((vm) => ACTIONS_BY_STATE[vm.state].includes(action))
  const run = async (action: VmAction) => {
    setConfirm(undefined)
    setBusy(action)
    const groups = byHost(fitting(action))
    setErrors((await Promise.all(groups.map(([host, vms]) => act(host, vms, action)))).flat())
    setBusy(undefined)
  }
  const toggleAutostart = async () => {
    setAutostartBusy(true)
    const groups = byHost(selected)
    const on = !allAutostart
    setErrors((await Promise.all(groups.map(([host, vms]) => setAutostart(host, vms, on)))).flat())
    setAutostartBusy(false)
  }

  return (
    <div className="vm-actions" role="toolbar" aria-label={t('vm.actionsLabel')}>
      {ORDER.filter((a) => fitting(a).length > 0).map((action) => (
        <button
          key={action}
          type="button"
          className={`button ${DESTRUCTIVE.has(action) ? 'danger' : ''}`}
          disabled={busy !== undefined}
          onClick={() => (DESTRUCTIVE.has(action) ? setConfirm(action) : void run(action))}
        >
          {busy === action ? t('vm.working') : t(`vm.action.${action}`)}
        </button>
      ))}
      {saveable && (
        <button
          type="button"
          className="button"
          onClick={() => setSavePath(`/var/tmp/${selected[0]!.name}.save`)}
        >
          {t('vm.saveToFile')}
        </button>
      )}
      {selected.length > 0 && (
        <button
          type="button"
          className="button toggle"
          aria-pressed={allAutostart ? true : autostartCount > 0 ? 'mixed' : false}
          title={t('vm.autostartHint')}
          disabled={autostartBusy}
          onClick={() => void toggleAutostart()}
        >
          {autostartBusy ? t('vm.working') : t('vm.autostart')}
        </button>
      )}
      {selected.length === 1 && (
        <button type="button" className="button danger" onClick={() => setDeleting(selected[0])}>
          {t('vm.delete.button')}
        </button>
      )}
      {!single && (
        <>
          {restoreTo !== undefined && (
            <button type="button" className="button" onClick={() => setRestorePath('/var/tmp/')}>
              {t('vm.restoreFromFile')}
            </button>
          )}
          <span className="muted">
            {selected.length > 0
              ? t('vm.selected', { count: selected.length })
              : t('vm.selectHint')}
          </span>
        </>
      )}
      {errors.map((e) => (
        <ErrorText key={e} message={e} />
      ))}
      <DeleteDialog
        hostId={deleting?.hostId ?? ''}
        vm={deleting}
        onClose={() => setDeleting(undefined)}
      />
      <PathDialog
        title={t('vm.saveTitle', { name: selected[0]?.name ?? '' })}
        body={t('vm.saveBody')}
        submitLabel={t('vm.saveToFile')}
        initialPath={savePath}
        onSubmit={(path) => save(selected[0]!.hostId, selected[0]!.uuid, path)}
        progress={selected[0] && <JobProgressBar {...selected[0]} />}
        onClose={() => setSavePath(undefined)}
      />
      <PathDialog
        title={t('vm.restoreTitle')}
        body={t('vm.restoreBody')}
        submitLabel={t('vm.restoreFromFile')}
        initialPath={restorePath}
        onSubmit={(path) => restore(restoreTo!, path)}
        onClose={() => setRestorePath(undefined)}
      />
      <Dialog
        title={confirm ? t(`vm.confirm.${confirm}.title`, { count: fitting(confirm).length }) : ''}
        open={confirm !== undefined}
        onClose={() => setConfirm(undefined)}
        actions={
          <>
            <button type="button" className="button" onClick={() => setConfirm(undefined)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="button danger" onClick={() => void run(confirm!)}>
              {confirm && t(`vm.action.${confirm}`)}
            </button>
          </>
        }
      >
        <p>{confirm && t(`vm.confirm.${confirm}.body`)}</p>
        <ul>{confirm && fitting(confirm).map((vm) => <li key={vm.uuid}>{vm.name}</li>)}</ul>
      </Dialog>
    </div>
  )
}
