import { useTranslation } from 'react-i18next'
import type { KeyCombo } from './keysyms'
import { SendKeysMenu } from './SendKeysMenu'
import type { ScaleMode } from './vnc-session'

/** Props of {@link VncToolbar}. */
export interface VncToolbarProps {
  connected: boolean
  scale: ScaleMode
  onScale(mode: ScaleMode): void
  fullscreen: boolean
  onFullscreen(): void
  onSendCombo(combo: KeyCombo): void
  clipboardOpen: boolean
  onClipboard(): void
  screenshotBusy: boolean
  onScreenshot(): void
  /** Absent in a detached window (it is already one). */
  onDetach: (() => void) | undefined
  /** The screen has the keyboard. */
  grabbed: boolean
}

const SCALES: ScaleMode[] = ['fit', 'native', 'remote']

/** The console's controls: screen size, full screen, keys, clipboard, screenshot, window. */
export function VncToolbar(p: VncToolbarProps) {
  const { t } = useTranslation()
  return (
    <div className="vnc-toolbar" role="toolbar" aria-label={t('vnc.toolbar.label')}>
      <div className="segmented" role="group" aria-label={t('vnc.toolbar.scale')}>
        {SCALES.map((mode) => (
          <button
            key={mode}
            type="button"
            className={p.scale === mode ? 'active' : ''}
            aria-pressed={p.scale === mode}
            onClick={() => p.onScale(mode)}
          >
            {t(`vnc.toolbar.${mode}`)}
          </button>
        ))}
      </div>
      <button type="button" className="button small" onClick={p.onFullscreen}>
        {t(p.fullscreen ? 'vnc.toolbar.exitFullscreen' : 'vnc.toolbar.fullscreen')}
      </button>
      <SendKeysMenu disabled={!p.connected} onSend={p.onSendCombo} />
      <button
        type="button"
        className="button small toggle"
        aria-pressed={p.clipboardOpen}
        onClick={p.onClipboard}
      >
        {t('vnc.toolbar.clipboard')}
      </button>
      <button
        type="button"
        className="button small"
        disabled={!p.connected || p.screenshotBusy}
        onClick={p.onScreenshot}
      >
        {t('vnc.toolbar.screenshot')}
      </button>
      {p.onDetach && (
        <button type="button" className="button small" onClick={p.onDetach}>
          {t('vnc.toolbar.detach')} ↗
        </button>
      )}
      <span
        className={`vnc-grab ${p.grabbed ? 'grabbed' : ''}`}
        data-testid="vnc-grab"
        data-grabbed={p.grabbed}
        role="status"
      >
        {p.grabbed ? '⌨ ' : ''}
        {t(p.grabbed ? 'vnc.grab.captured' : 'vnc.grab.free')}
      </span>
    </div>
  )
}
