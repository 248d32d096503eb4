import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ACTIONS_BY_STATE, type VmAction, type VmSummary } from '@common/contract/vms'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useVmsStore } from '../../stores/vms/store'
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

/**
 * The lifecycle buttons for the selected VMs: each action is offered when it fits at least
 * one of them, and runs on those it fits. Force off and reset ask first; libvirt's own
 * error text is shown when an action fails.
 */
export function VmActions({ hostId, selected }: { hostId: string; selected: VmSummary[] }) {
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

  const fitting = (action: VmAction) =>
    selected.filter((vm) => ACTIONS_BY_STATE[vm.state].includes(action))
  const run = async (action: VmAction) => {
    setConfirm(undefined)
    setBusy(action)
    setErrors(await act(hostId, fitting(action), action))
    setBusy(undefined)
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
      <button type="button" className="button" onClick={() => setRestorePath('/var/tmp/')}>
        {t('vm.restoreFromFile')}
      </button>
      <span className="muted">
        {selected.length > 0 ? t('vm.selected', { count: selected.length }) : t('vm.selectHint')}
      </span>
      {errors.map((e) => (
        <ErrorText key={e} message={e} />
      ))}
      <PathDialog
        title={t('vm.saveTitle', { name: selected[0]?.name ?? '' })}
        body={t('vm.saveBody')}
        submitLabel={t('vm.saveToFile')}
        initialPath={savePath}
        onSubmit={(path) => save(hostId, selected[0]!.uuid, path)}
        onClose={() => setSavePath(undefined)}
      />
      <PathDialog
        title={t('vm.restoreTitle')}
        body={t('vm.restoreBody')}
        submitLabel={t('vm.restoreFromFile')}
        initialPath={restorePath}
        onSubmit={(path) => restore(hostId, path)}
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
