import { useTranslation } from 'react-i18next'
import { vmSelectors } from '../../stores/vms/selectors'
import { useVmsStore } from '../../stores/vms/store'
import { formatKiB } from './VmStatsCells'

/** Which VM's job to show. */
export interface JobProgressProps {
  hostId: string
  uuid: string
  name: string
  /** One word, a short bar and the percentage (a list row's state cell); the rest in its tooltip. */
  compact?: boolean
}

/**
 * A VM's running save or managed save: a bar with the share done and the bytes written, as
 * libvirt's job info gives them (main reads it twice a second while the save runs). Nothing
 * when no such job runs; a moving bar while libvirt does not know the total yet.
 */
export function JobProgressBar({ hostId, uuid, name, compact = false }: JobProgressProps) {
  const { t } = useTranslation()
  const job = useVmsStore(vmSelectors.job(hostId, uuid))
  if (!job) return null
  const percent = job.fraction === undefined ? undefined : Math.round(job.fraction * 100)
  const label = t(`vm.job.${job.operation}`, { name })
  const bytes =
    job.totalBytes > 0
      ? t('vm.job.bytes', {
          done: formatKiB((job.totalBytes * (job.fraction ?? 0)) / 1024),
          total: formatKiB(job.totalBytes / 1024),
        })
      : undefined
  return (
    <span
      className={`job-progress${compact ? ' compact' : ''}`}
      role="status"
      data-testid="job-progress"
      title={compact ? [label, bytes].filter(Boolean).join(' · ') : undefined}
    >
      <span>{compact ? t('vm.job.short') : label}</span>
      <progress aria-label={label} max={100} {...(percent !== undefined && { value: percent })} />
      {percent !== undefined && <span>{percent}%</span>}
      {!compact && bytes && <span className="muted">{bytes}</span>}
    </span>
  )
}
