import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MONITOR_COMMAND_MAX } from '@common/contract/consoles'
import type { VmState } from '@common/contract/vms'
import { consolesSelectors } from '../../stores/consoles/selectors'
import { useConsolesStore } from '../../stores/consoles/store'
import { useVmsStore } from '../../stores/vms/store'
import { browseHistory, FRESH_CURSOR, type HistoryCursor } from './command-history'
import { openConsoleWindow } from './console-route'

/** States in which QEMU runs, so its monitor answers. */
const RUNNING: ReadonlySet<VmState> = new Set([
  'running',
  'paused',
  'blocked',
  'pmsuspended',
  'shutdown',
])

/** Props of {@link MonitorPanel}. */
export interface MonitorPanelProps {
  hostId: string
  uuid: string
  /** In a window of its own: no "open in new window", and the log fills the window. */
  detached?: boolean
}

/**
 * The QEMU monitor for experts: HMP commands through libvirt's qemu-monitor-command, behind a
 * warning that they bypass libvirt. A log of commands and answers (errors in libvirt's words)
 * and an input that recalls earlier commands with Up and Down. Each window keeps its own log;
 * commands are independent calls, so the details and a monitor window can both be used.
 */
export function MonitorPanel({ hostId, uuid, detached = false }: MonitorPanelProps) {
  const { t } = useTranslation()
  const vm = useVmsStore((s) => s.byHost[hostId]?.find((v) => v.uuid === uuid))
  const running = vm !== undefined && RUNNING.has(vm.state)
  const log = useConsolesStore(consolesSelectors.monitor(hostId, uuid))
  const runMonitor = useConsolesStore((s) => s.runMonitor)
  const clearMonitor = useConsolesStore((s) => s.clearMonitor)
  const [command, setCommand] = useState('')
  const [cursor, setCursor] = useState<HistoryCursor>(FRESH_CURSOR)
  const output = useRef<HTMLDivElement>(null)
  const pending = log.entries.some((e) => e.output === undefined && e.error === undefined)

  useEffect(() => {
    const el = output.current
    if (el) el.scrollTop = el.scrollHeight
  }, [log.entries])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const line = command.trim()
    if (line === '') return
    setCommand('')
    setCursor(FRESH_CURSOR)
    void runMonitor(hostId, uuid, line)
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return
    const step = browseHistory(log.history, cursor, command, e.key === 'ArrowUp' ? 'up' : 'down')
    e.preventDefault()
    if (!step) return
    setCursor(step.cursor)
    setCommand(step.value)
  }

  return (
    <section
      className={`monitor-panel ${detached ? 'detached' : ''}`}
      aria-label={t('consoles.monitor.label')}
    >
      <div className="monitor-warning" role="note">
        <strong>{t('consoles.monitor.warningTitle')}</strong> {t('consoles.monitor.warning')}
      </div>
      {!running && <p className="muted">{t('consoles.monitor.vmOff')}</p>}
      <div
        className="monitor-output"
        ref={output}
        role="log"
        aria-label={t('consoles.monitor.output')}
        data-testid="monitor-output"
      >
        {log.entries.length === 0 && <p className="muted">{t('consoles.monitor.empty')}</p>}
        {log.entries.map((entry) => (
          <div key={entry.id} className="monitor-entry">
            <div className="monitor-command">
              <span aria-hidden="true">(qemu) </span>
              {entry.command}
            </div>
            {entry.error !== undefined ? (
              <pre className="monitor-error" role="alert">
                {entry.error}
              </pre>
            ) : entry.output === undefined ? (
              <p className="muted">{t('consoles.monitor.running')}</p>
            ) : (
              <pre className="monitor-answer">
                {entry.output.trimEnd() || t('consoles.monitor.noOutput')}
              </pre>
            )}
          </div>
        ))}
      </div>
      <form className="monitor-input" onSubmit={submit}>
        <label className="field grow">
          <span>{t('consoles.monitor.inputLabel')}</span>
          <input
            className="mono"
            value={command}
            maxLength={MONITOR_COMMAND_MAX}
            placeholder={t('consoles.monitor.placeholder')}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setCommand(e.target.value)
              setCursor((c) => (c.index === undefined ? c : FRESH_CURSOR))
            }}
            onKeyDown={onKey}
          />
        </label>
        <button type="submit" className="button primary" disabled={command.trim() === ''}>
          {pending ? t('consoles.monitor.running') : t('consoles.monitor.run')}
        </button>
        <button
          type="button"
          className="button"
          disabled={log.entries.length === 0}
          onClick={() => clearMonitor(hostId, uuid)}
        >
          {t('consoles.monitor.clear')}
        </button>
        {!detached && (
          <button
            type="button"
            className="button monitor-detach"
            onClick={() => openConsoleWindow({ kind: 'monitor', hostId, uuid })}
          >
            {t('consoles.detach')} ↗
          </button>
        )}
      </form>
    </section>
  )
}
