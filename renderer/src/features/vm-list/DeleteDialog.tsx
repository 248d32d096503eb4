import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DeletableDisk, DeletePlan, DeleteResult, VmSummary } from '@common/contract/vms'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useVmsStore } from '../../stores/vms/store'
import { formatKiB } from './VmStatsCells'

/** Props of DeleteDialog. */
export interface DeleteDialogProps {
  hostId: string
  /** The VM to delete; undefined keeps the dialog closed. */
  vm: VmSummary | undefined
  onClose(): void
}

/** One disk: a checkbox when it is a pool volume (only those can be deleted), and notes. */
function DiskChoice(props: {
  disk: DeletableDisk
  checked: boolean
  disabled: boolean
  onChange(checked: boolean): void
}) {
  const { t } = useTranslation()
  const { disk } = props
  const notes = [
    disk.volume
      ? t('vm.delete.inPool', {
          size: formatKiB(disk.volume.capacityBytes / 1024),
          pool: disk.volume.pool,
        })
      : disk.path
        ? t('vm.delete.notInPool')
        : t('vm.delete.noSource'),
    ...(disk.readonly ? [t('vm.delete.readonly')] : []),
    ...(disk.shareable ? [t('vm.delete.shareable')] : []),
    ...(disk.usedBy.length > 0 ? [t('vm.delete.usedBy', { names: disk.usedBy.join(', ') })] : []),
  ]
  return (
    <li>
      <label className="delete-disk">
        <input
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled || !disk.volume || !disk.path}
          onChange={(e) => props.onChange(e.target.checked)}
        />
        <span>
          <span>
            <strong>{disk.target}</strong> · {t(`vm.delete.device.${disk.device}`, disk.device)}
          </span>
          {disk.path && <code>{disk.path}</code>}
          <small className={disk.usedBy.length > 0 ? 'warning' : 'muted'}>
            {notes.join(' · ')}
          </small>
        </span>
      </label>
    </li>
  )
}

/**
 * Asks before deleting a VM: its disks with a checkbox each (writable pool volumes that no
 * other VM uses are ticked at first), what else goes with it (snapshot metadata, managed
 * save, UEFI variables), and a warning when it runs. Shows progress, libvirt's error when
 * the delete fails (the dialog stays open), and which volumes were left if some could not
 * be deleted after the VM itself was.
 */
export function DeleteDialog({ hostId, vm, onClose }: DeleteDialogProps) {
  const { t } = useTranslation()
  const loadPlan = useVmsStore((s) => s.deletePlan)
  const deleteVm = useVmsStore((s) => s.deleteVm)
  const [plan, setPlan] = useState<DeletePlan>()
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [keepNvram, setKeepNvram] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [left, setLeft] = useState<DeleteResult['failed']>()
  const uuid = vm?.uuid

  useEffect(() => {
    setPlan(undefined)
    setError(undefined)
    setLeft(undefined)
    setKeepNvram(false)
    if (uuid === undefined) return
    let current = true
    loadPlan(hostId, uuid).then(
      (p) => {
        if (!current) return
        setPlan(p)
        setChosen(new Set(p.disks.flatMap((d) => (d.suggested && d.path ? [d.path] : []))))
      },
      (err: Error) => current && setError(err.message),
    )
    return () => {
      current = false
    }
  }, [hostId, uuid, loadPlan])

  const close = () => {
    if (!busy) onClose()
  }
  const confirm = async () => {
    if (!uuid) return
    setBusy(true)
    setError(undefined)
    try {
      const result = await deleteVm(hostId, uuid, [...chosen], keepNvram)
      if (result.failed.length === 0) onClose()
      else setLeft(result.failed)
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const toggle = (path: string, on: boolean) => {
    const next = new Set(chosen)
    if (on) next.add(path)
    else next.delete(path)
    setChosen(next)
  }
  const name = plan?.name ?? vm?.name ?? ''

  return (
    <Dialog
      title={t('vm.delete.title', { name })}
      open={vm !== undefined}
      onClose={close}
      actions={
        left ? (
          <button type="button" className="button" onClick={onClose}>
            {t('common.close')}
          </button>
        ) : (
          <>
            <button type="button" className="button" disabled={busy} onClick={close}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="button destructive"
              disabled={busy || !plan}
              onClick={() => void confirm()}
            >
              {busy ? t('vm.delete.working') : t('vm.delete.confirm')}
            </button>
          </>
        )
      }
    >
      {left ? (
        <div className="delete-left" role="alert">
          <p>{t('vm.delete.leftTitle', { name })}</p>
          <ul>
            {left.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code>
                <ErrorText message={f.message} />
              </li>
            ))}
          </ul>
        </div>
      ) : !plan ? (
        error ? (
          <ErrorText message={error} />
        ) : (
          <p className="muted" role="status">
            {t('vm.delete.loading')}
          </p>
        )
      ) : (
        <div className="delete-plan">
          {plan.active && (
            <p className="warning">
              {plan.persistent ? t('vm.delete.running') : t('vm.delete.transient')}
            </p>
          )}
          {plan.disks.length === 0 ? (
            <p className="muted">{t('vm.delete.noDisks')}</p>
          ) : (
            <>
              <p>{t('vm.delete.disksTitle')}</p>
              <ul className="delete-disks">
                {plan.disks.map((disk) => (
                  <DiskChoice
                    key={disk.target}
                    disk={disk}
                    checked={disk.path !== undefined && chosen.has(disk.path)}
                    disabled={busy}
                    onChange={(on) => disk.path && toggle(disk.path, on)}
                  />
                ))}
              </ul>
            </>
          )}
          <ul className="delete-notes">
            {plan.snapshots > 0 && <li>{t('vm.delete.snapshots', { count: plan.snapshots })}</li>}
            {plan.managedSave && <li>{t('vm.delete.managedSave')}</li>}
            {plan.nvram && (
              <li>
                {t('vm.delete.nvram')} <code>{plan.nvram}</code>
                <label className="delete-keep">
                  <input
                    type="checkbox"
                    checked={keepNvram}
                    disabled={busy}
                    onChange={(e) => setKeepNvram(e.target.checked)}
                  />
                  {t('vm.delete.keepNvram')}
                </label>
              </li>
            )}
          </ul>
          {busy && (
            <p className="muted" role="status">
              {t('vm.delete.progress', { name })}
            </p>
          )}
          <ErrorText message={error} />
        </div>
      )}
    </Dialog>
  )
}
