import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { VmSummary } from '@common/contract/vms'
import { VM_STATES, type VmState } from '@common/contract/vm-states'
import { useHostsStore } from '../../stores/hosts/store'
import { useUiStore } from '../../stores/ui/store'
import { useVmsStore } from '../../stores/vms/store'
import { vmKey, visibleVms, type VmFilter, type VmSort } from '../../stores/vms/selectors'
import { ShutdownNotice } from './ShutdownNotice'
import { VmActions } from './VmActions'
import { VmConfigCells, VmConfigHeads } from './VmConfigCells'
import { VmStateCell } from './VmStateCell'
import { VmStatsCells } from './VmStatsCells'
import { rowLabels } from './row-labels'
import { useRowWindow } from './row-window'
import { useHostName } from '../hosts/host-labels'

const ROW_HEIGHT = 36

/**
 * A host's VMs, or every connected host's without `hostId` (each row then names its host):
 * filter by name and state, sort by name or state, and a virtualized body so thousands of
 * VMs scroll smoothly. Arrow keys move between rows; Enter, a double-click or a row's Open
 * button shows the VM's details.
 */
export function VmList({ hostId }: { hostId?: string }) {
  const { t } = useTranslation()
  const byHost = useVmsStore((s) => s.byHost)
  const all = useMemo(
    () => (hostId !== undefined ? (byHost[hostId] ?? []) : Object.values(byHost).flat()),
    [byHost, hostId],
  )
  const hosts = useHostsStore((s) => s.hosts)
  const nameOf = useHostName()
  const hostName = (id: string) => {
    const host = hosts.find((h) => h.id === id)
    return host ? nameOf(host) : id
  }
  const selectHost = useHostsStore((s) => s.select)
  const showVm = useUiStore((s) => s.openVm)
  /** From the all-hosts list, the VM's host becomes the selected one (Back leads there). */
  const openVm = (vm: VmSummary) => {
    if (hostId === undefined) selectHost(vm.hostId)
    showVm(vm.hostId, vm.uuid)
  }
  const [filter, setFilter] = useState<VmFilter>({ text: '', states: [] })
  const [sort, setSort] = useState<VmSort>({ key: 'name', descending: false })
  const rows = useMemo(() => visibleVms(all, filter, sort), [all, filter, sort])
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [anchor, setAnchor] = useState(0)
  const selected = useMemo(
    () => (chosen.size === 0 ? [] : all.filter((vm) => chosen.has(vmKey(vm)))),
    [all, chosen],
  )
  const labels = useMemo(() => rowLabels(t), [t])
  /** Click: select one; Ctrl/Cmd: toggle; Shift: the range from the last click. */
  const choose = (e: MouseEvent | KeyboardEvent, index: number) => {
    const uuid = vmKey(rows[index]!)
    if (e.shiftKey) {
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor]
      setChosen(new Set(rows.slice(from, to + 1).map(vmKey)))
      return
    }
    setAnchor(index)
    if (e.ctrlKey || e.metaKey) {
      const next = new Set(chosen)
      if (!next.delete(uuid)) next.add(uuid)
      setChosen(next)
    } else {
      setChosen(new Set([uuid]))
    }
  }
  const scroller = useRef<HTMLDivElement>(null)
  const rowWindow = useRowWindow(scroller, rows.length, ROW_HEIGHT, 12)

  const sortBy = (key: VmSort['key']) =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))
  const arrow = (key: VmSort['key']) => (sort.key === key ? (sort.descending ? ' ↓' : ' ↑') : '')
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    if (e.target !== e.currentTarget) return // a control inside the row handles its own keys
    if (e.key === 'Enter') {
      e.preventDefault()
      openVm(rows[index]!)
      return
    }
    if (e.key === ' ') {
      e.preventDefault()
      choose(e, index)
      return
    }
    const next = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : -1
    if (next < 0 || next >= rows.length) return
    e.preventDefault()
    rowWindow.scrollToIndex(next)
    requestAnimationFrame(() =>
      scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus(),
    )
  }

  return (
    <section className="vm-list" aria-label={t('vm.listTitle')}>
      <div className="vm-toolbar">
        <input
          type="search"
          placeholder={t('vm.filterPlaceholder')}
          aria-label={t('vm.filterPlaceholder')}
          value={filter.text}
          onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
        />
        <select
          aria-label={t('vm.stateFilter')}
          value={filter.states[0] ?? ''}
          onChange={(e) =>
            setFilter((f) => ({ ...f, states: e.target.value ? [e.target.value as VmState] : [] }))
          }
        >
          <option value="">{t('vm.allStates')}</option>
          {VM_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`vm.state.${s}`)}
            </option>
          ))}
        </select>
        <span className="muted" data-testid="vm-count">
          {t('vm.count', { shown: rows.length, total: all.length })}
        </span>
      </div>
      <VmActions selected={selected} {...(hostId !== undefined && { restoreTo: hostId })} />
      <div className="vm-table" role="table" aria-rowcount={rows.length}>
        <div className="vm-row vm-head" role="row">
          <button type="button" role="columnheader" onClick={() => sortBy('name')}>
            {t('vm.name')}
            {arrow('name')}
          </button>
          <button type="button" role="columnheader" onClick={() => sortBy('state')}>
            {t('vm.stateColumn')}
            {arrow('state')}
          </button>
          <span role="columnheader">{t('vm.cpu')}</span>
          <span role="columnheader">{t('vm.memory')}</span>
          <VmConfigHeads />
        </div>
        <div className="vm-body" ref={scroller}>
          {rows.length === 0 && <p className="muted vm-empty">{t('vm.none')}</p>}
          <div style={{ height: rowWindow.totalHeight, position: 'relative' }}>
            {rows.slice(rowWindow.start, rowWindow.end).map((vm, i) => {
              const index = rowWindow.start + i
              return (
                <div
                  key={vmKey(vm)}
                  role="row"
                  tabIndex={0}
                  data-index={index}
                  aria-selected={chosen.has(vmKey(vm))}
                  className={`vm-row ${chosen.has(vmKey(vm)) ? 'selected' : ''}`}
                  onClick={(e) => choose(e, index)}
                  onDoubleClick={() => openVm(vm)}
                  style={{
                    position: 'absolute',
                    top: 0,
                    transform: `translateY(${index * ROW_HEIGHT}px)`,
                  }}
                  onKeyDown={(e) => onKeyDown(e, index)}
                >
                  <span role="cell" className="vm-name">
                    <span className="vm-name-stack">
                      <span className="vm-name-text">{vm.name}</span>
                      {hostId === undefined && (
                        <span className="vm-host muted" data-testid="vm-host">
                          {hostName(vm.hostId)}
                        </span>
                      )}
                    </span>
                    <button
                      type="button"
                      className="button small open-vm"
                      aria-label={t('details.openNamed', { name: vm.name })}
                      onClick={(e) => {
                        e.stopPropagation()
                        openVm(vm)
                      }}
                    >
                      {labels.open}
                    </button>
                  </span>
                  <span role="cell">
                    <VmStateCell vm={vm} label={labels.states[vm.state]} />
                  </span>
                  <ShutdownNotice hostId={vm.hostId} vm={vm}>
                    <VmStatsCells uuid={vm.uuid} running={vm.state === 'running'} labels={labels} />
                  </ShutdownNotice>
                  <VmConfigCells vm={vm} labels={labels} />
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </section>
  )
}
