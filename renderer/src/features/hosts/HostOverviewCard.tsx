import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorText } from '../../components/ErrorText'
import { useHostsStore } from '../../stores/hosts/store'

/** Formats KiB as GiB with one decimal. */
const gib = (kib: number) => `${(kib / 1024 / 1024).toFixed(1)} GiB`

/** A connected host's facts: versions, CPU, memory, huge pages, KVM, security, daemon. */
export function HostOverviewCard({ hostId }: { hostId: string }) {
  const { t } = useTranslation()
  const overview = useHostsStore((s) => s.overviews[hostId])
  const load = useHostsStore((s) => s.loadOverview)
  const [error, setError] = useState<string>()
  useEffect(() => {
    load(hostId).catch((err: Error) => setError(err.message))
  }, [hostId, load])
  if (error) return <ErrorText message={error} />
  if (!overview) return null
  const o = overview
  return (
    <section className="card overview" aria-label={t('overview.title')} data-testid="host-overview">
      <h2>{t('overview.title')}</h2>
      <dl className="facts plain">
        <dt>{t('overview.hypervisor')}</dt>
        <dd>
          {o.hypervisor} {o.hypervisorVersion} · libvirt {o.libVersion}
        </dd>
        <dt>{t('overview.cpu')}</dt>
        <dd>
          {[o.cpuVendor, o.cpuModel, o.arch].filter(Boolean).join(' · ')} —{' '}
          {t('overview.topology', {
            cpus: t('overview.cpus', { count: o.cpus }),
            sockets: t('overview.sockets', { count: o.sockets }),
            cores: t('overview.cores', { count: o.cores }),
            threads: t('overview.threads', { count: o.threads }),
          })}
        </dd>
        <dt>{t('overview.memory')}</dt>
        <dd>{gib(o.memoryKiB)}</dd>
        <dt>{t('overview.hugepages')}</dt>
        <dd>
          {o.hugepages.length === 0
            ? t('overview.none')
            : o.hugepages
                .map(
                  (p) =>
                    `${p.sizeKiB >= 1048576 ? `${p.sizeKiB / 1048576} GiB` : `${p.sizeKiB / 1024} MiB`} × ${p.count}`,
                )
                .join(', ')}
        </dd>
        <dt>{t('overview.kvm')}</dt>
        <dd>{o.kvm ? t('overview.kvmYes') : t('overview.kvmNo')}</dd>
        <dt>{t('overview.security')}</dt>
        <dd>{o.securityDrivers.length ? o.securityDrivers.join(', ') : t('overview.none')}</dd>
        <dt>{t('overview.daemon')}</dt>
        <dd>{t(`overview.daemonMode.${o.daemonMode}`)}</dd>
        {o.scope && (
          <>
            <dt>{t('overview.scope')}</dt>
            <dd>
              {t(`welcome.scope.${o.scope}`)} — {t(`welcome.scope.${o.scope}Note`)}
            </dd>
          </>
        )}
      </dl>
    </section>
  )
}
