import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useTranslation } from 'react-i18next'
import { VmState } from '@common/contract/vms'
import { useVmsStore } from '../../stores/vms/store'
import { vmSelectors, visibleVms, type VmFilter, type VmSort } from '../../stores/vms/selectors'
import { VmActions } from './VmActions'
import { VmStateBadge } from './VmStateBadge'
import { VmStatsCells } from './VmStatsCells'

const ROW_HEIGHT = 36

/**
 * A host's VMs: filter by name and state, sort by name or state, and a virtualized body so a
 * host with thousands of VMs scrolls smoothly. Arrow keys move between rows.
 */
export function VmList({ hostId }: { hostId: string }) {
  const { t } = useTranslation()
  const all = useVmsStore(vmSelectors.byHost(hostId))
  const [filter, setFilter] = useState<VmFilter>({ text: '', states: [] })
  const [sort, setSort] = useState<VmSort>({ key: 'name', descending: false })
  const rows = useMemo(() => visibleVms(all, filter, sort), [all, filter, sort])
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [anchor, setAnchor] = useState(0)
  const selected = useMemo(() => all.filter((vm) => chosen.has(vm.uuid)), [all, chosen])
  /** Click: select one; Ctrl/Cmd: toggle; Shift: the range from the last click. */
  const choose = (e: MouseEvent | KeyboardEvent, index: number) => {
    const uuid = rows[index]!.uuid
    if (e.shiftKey) {
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor]
      setChosen(new Set(rows.slice(from, to + 1).map((vm) => vm.uuid)))
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
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })

  const sortBy = (key: VmSort['key']) =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))
  const arrow = (key: VmSort['key']) => (sort.key === key ? (sort.descending ? ' ↓' : ' ↑') : '')
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault()
      choose(e, index)
      return
    }
    const next = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : -1
    if (next < 0 || next >= rows.length) return
    e.preventDefault()
    virtual.scrollToIndex(next)
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
          {VmState.options.map((s) => (
            <option key={s} value={s}>
              {t(`vm.state.${s}`)}
            </option>
          ))}
        </select>
        <span className="muted" data-testid="vm-count">
          {t('vm.count', { shown: rows.length, total: all.length })}
        </span>
      </div>
      <VmActions hostId={hostId} selected={selected} />
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
        </div>
        <div className="vm-body" ref={scroller}>
          {rows.length === 0 && <p className="muted vm-empty">{t('vm.none')}</p>}
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((item) => {
              const vm = rows[item.index]!
              return (
                <div
                  key={vm.uuid}
                  role="row"
                  tabIndex={0}
                  data-index={item.index}
                  aria-selected={chosen.has(vm.uuid)}
                  className={`vm-row ${chosen.has(vm.uuid) ? 'selected' : ''}`}
                  onClick={(e) => choose(e, item.index)}
                  style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)` }}
                  onKeyDown={(e) => onKeyDown(e, item.index)}
                >
                  <span role="cell" className="vm-name">
                    {vm.name}
                  </span>
                  <span role="cell">
                    <VmStateBadge state={vm.state} />
                  </span>
                  <VmStatsCells uuid={vm.uuid} running={vm.state === 'running'} />
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </section>
  )
}
