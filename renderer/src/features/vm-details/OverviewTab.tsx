import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { VmBootEntry, VmDetails } from '@common/contract/vm-details'
import { VmStateBadge } from '../vm-list/VmStateBadge'
import { DisksCard, DisplaysCard, NicsCard } from './DeviceCards'
import { formatKiB } from './units'

/** A titled card holding a definition list. */
export function FactsCard(props: {
  title: string
  testId: string
  /** Spans the whole row (long paths). */
  wide?: boolean
  children: ReactNode
}) {
  return (
    <section
      className={`card details-card ${props.wide ? 'wide' : ''}`}
      aria-label={props.title}
      data-testid={props.testId}
    >
      <h2>{props.title}</h2>
      <dl className="facts plain">{props.children}</dl>
    </section>
  )
}

/** One term and its value; nothing when the value is absent. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  )
}

function BootOrder({ entries }: { entries: VmBootEntry[] }) {
  const { t } = useTranslation()
  if (entries.length === 0) return <span className="muted">{t('details.boot.none')}</span>
  return (
    <ol className="boot-order">
      {entries.map((e, i) => (
        <li key={i}>
          {t(`details.boot.${e.device}`)}
          {e.target && <code>{e.target}</code>}
        </li>
      ))}
    </ol>
  )
}

/** The overview tab: identity, system, CPU and memory, boot, then the devices. */
export function OverviewTab({ details: d }: { details: VmDetails }) {
  const { t } = useTranslation()
  const yesNo = (v: boolean) => (v ? t('details.yes') : t('details.no'))
  const fw = d.firmware
  return (
    <div className="details-grid">
      <FactsCard title={t('details.general')} testId="details-general">
        <Fact term={t('details.name')}>{d.name}</Fact>
        <Fact term={t('details.title')}>{d.title}</Fact>
        <Fact term={t('details.description')}>
          {d.description && <span className="pre-line">{d.description}</span>}
        </Fact>
        <Fact term={t('details.uuid')}>
          <code>{d.uuid}</code>
        </Fact>
        <Fact term={t('details.state')}>
          <VmStateBadge state={d.state} />
        </Fact>
        <Fact term={t('details.persistent')}>
          {d.persistent ? t('details.persistentYes') : t('details.persistentNo')}
        </Fact>
        <Fact term={t('details.autostart')}>{yesNo(d.autostart)}</Fact>
      </FactsCard>
      <FactsCard title={t('details.resources')} testId="details-resources">
        <Fact term={t('details.vcpus')}>
          {d.vcpus.current === d.vcpus.max
            ? d.vcpus.current
            : t('details.vcpusOfMax', { current: d.vcpus.current, max: d.vcpus.max })}
        </Fact>
        <Fact term={t('details.memory')}>{formatKiB(d.memoryKiB)}</Fact>
        <Fact term={t('details.currentMemory')}>{formatKiB(d.currentMemoryKiB)}</Fact>
        <Fact term={t('details.bootOrder')}>
          <BootOrder entries={d.bootOrder} />
        </Fact>
      </FactsCard>
      <FactsCard title={t('details.system')} testId="details-system" wide>
        <Fact term={t('details.domainType')}>
          {d.domainType === 'kvm' || d.domainType === 'qemu'
            ? t(`details.domainTypes.${d.domainType}`)
            : d.domainType}
        </Fact>
        <Fact term={t('details.osType')}>{d.osType}</Fact>
        <Fact term={t('details.arch')}>{d.arch}</Fact>
        <Fact term={t('details.machine')}>{d.machine}</Fact>
        <Fact term={t('details.firmware')}>
          {t(`details.firmwareKind.${fw.kind}`)}
          {fw.kind === 'uefi' &&
            ` · ${fw.secureBoot ? t('details.secureBootOn') : t('details.secureBootOff')}`}
        </Fact>
        <Fact term={t('details.loader')}>
          {fw.loader && (
            <code>
              {fw.loader}
              {fw.loaderType && ` (${fw.loaderType})`}
            </code>
          )}
        </Fact>
        <Fact term={t('details.nvram')}>{fw.nvram && <code>{fw.nvram}</code>}</Fact>
        {d.kernel && (
          <>
            <Fact term={t('details.kernel')}>
              <code>{d.kernel.path}</code>
            </Fact>
            <Fact term={t('details.initrd')}>
              {d.kernel.initrd && <code>{d.kernel.initrd}</code>}
            </Fact>
            <Fact term={t('details.cmdline')}>
              {d.kernel.cmdline && <code>{d.kernel.cmdline}</code>}
            </Fact>
          </>
        )}
      </FactsCard>
      <DisksCard disks={d.disks} />
      <NicsCard nics={d.nics} active={!['shutoff', 'crashed', 'nostate'].includes(d.state)} />
      <DisplaysCard graphics={d.graphics} consoles={d.consoles} />
    </div>
  )
}
