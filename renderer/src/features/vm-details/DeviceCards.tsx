import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { VmConsole, VmDisk, VmGraphics, VmNic } from '@common/contract/vm-details'

/** A card with a table of devices, or a line saying there are none. */
function DeviceTable(props: {
  title: string
  testId: string
  empty: string
  headers: string[]
  rows: { key: string; cells: ReactNode[] }[]
}) {
  return (
    <section className="card details-card wide" aria-label={props.title} data-testid={props.testId}>
      <h2>{props.title}</h2>
      {props.rows.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <div className="table-scroll">
          <table className="details-table">
            <thead>
              <tr>
                {props.headers.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.key}>
                  {r.cells.map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Disks, CD-ROMs and floppies. */
export function DisksCard({ disks }: { disks: VmDisk[] }) {
  const { t } = useTranslation()
  return (
    <DeviceTable
      title={t('details.disks')}
      testId="details-disks"
      empty={t('details.noDisks')}
      headers={[
        t('details.disk.device'),
        t('details.disk.target'),
        t('details.disk.bus'),
        t('details.disk.source'),
        t('details.disk.format'),
        t('details.disk.access'),
      ]}
      rows={disks.map((d) => ({
        key: d.targetDev,
        cells: [
          t(`details.diskDevice.${d.device}`, { defaultValue: d.device }),
          <code key="t">{d.targetDev}</code>,
          d.bus ?? '—',
          d.source ? (
            <span className="source">
              <span className="muted">{d.sourceType}</span> <code>{d.source}</code>
            </span>
          ) : (
            <span className="muted">{t('details.disk.noMedium')}</span>
          ),
          d.format ?? '—',
          d.readOnly ? t('details.disk.readOnly') : t('details.disk.readWrite'),
        ],
      }))}
    />
  )
}

/** Network interfaces with the guest's addresses (asked for only while the VM is active). */
export function NicsCard({ nics, active }: { nics: VmNic[]; active: boolean }) {
  const { t } = useTranslation()
  return (
    <DeviceTable
      title={t('details.nics')}
      testId="details-nics"
      empty={t('details.noNics')}
      headers={[
        t('details.nic.mac'),
        t('details.nic.type'),
        t('details.nic.source'),
        t('details.nic.model'),
        t('details.nic.targetDev'),
        t('details.nic.link'),
        t('details.nic.addresses'),
      ]}
      rows={nics.map((n) => ({
        key: n.mac,
        cells: [
          <code key="m">{n.mac}</code>,
          t(`details.nicType.${n.type}`, { defaultValue: n.type }),
          n.source || '—',
          n.model ?? '—',
          n.targetDev ?? '—',
          n.linkUp ? t('details.nic.up') : t('details.nic.down'),
          n.addresses.length === 0 ? (
            <span className="muted">{active ? t('details.nic.noAddresses') : '—'}</span>
          ) : (
            <span className="addresses">
              {n.addresses.map((a) => (
                <code key={a.address}>
                  {a.address}/{a.prefix}
                </code>
              ))}
            </span>
          ),
        ],
      }))}
    />
  )
}

/** Graphical displays and character consoles. */
export function DisplaysCard(props: { graphics: VmGraphics[]; consoles: VmConsole[] }) {
  const { t } = useTranslation()
  const display = (g: VmGraphics) => {
    const where = g.listen ?? ''
    if (g.port !== undefined) return `${where}:${g.port}`
    return g.autoport ? `${where} · ${t('details.portAtStart')}` : where
  }
  const console = (c: VmConsole) =>
    [
      c.kind === 'serial'
        ? t('details.serialPort', { port: c.port ?? 0 })
        : t('details.consoleDevice'),
      c.targetType,
      c.type,
      c.source,
    ]
      .filter(Boolean)
      .join(' · ')
  return (
    <section
      className="card details-card wide"
      aria-label={t('details.displays')}
      data-testid="details-displays"
    >
      <h2>{t('details.displays')}</h2>
      {props.graphics.length + props.consoles.length === 0 && (
        <p className="muted">{t('details.noDisplays')}</p>
      )}
      <ul className="device-lines">
        {props.graphics.map((g, i) => (
          <li key={`g${i}`}>
            <strong>{g.type.toUpperCase()}</strong> <code>{display(g)}</code>
          </li>
        ))}
        {props.consoles.map((c, i) => (
          <li key={`c${i}`}>{console(c)}</li>
        ))}
      </ul>
    </section>
  )
}
