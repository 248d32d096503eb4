import { Settings, type SettingsNotice, type SettingsPatch } from '@common/contract/settings'
import { Emitter, type Disposable } from '@common/lifecycle'
import { loadSettingsFile, saveSettingsFile } from './settings-file'

/**
 * The app's settings in memory, saved to settings.json on every change (one write at a
 * time) and announced to listeners (the stats poller, every window).
 */
export class SettingsStore implements Disposable {
  private writing: Promise<void> = Promise.resolve()
  private readonly changed = new Emitter<Settings>()

  /** Fires with the whole settings after each saved change. */
  readonly onChanged = this.changed.event

  private constructor(
    private readonly file: string,
    private settings: Settings,
    private pendingNotice: SettingsNotice | undefined,
  ) {}

  /** Loads settings.json (see loadSettingsFile for a missing or unusable file). */
  static async open(file: string, log?: (message: string) => void): Promise<SettingsStore> {
    const loaded = await loadSettingsFile(file, log)
    return new SettingsStore(file, loaded.settings, loaded.notice)
  }

  /** The settings now. */
  get current(): Settings {
    return this.settings
  }

  /** Set when the file was unusable at start-up, until dismissed. */
  get notice(): SettingsNotice | undefined {
    return this.pendingNotice
  }

  /** Forgets the start-up notice. */
  dismissNotice(): void {
    this.pendingNotice = undefined
  }

  /**
   * Applies a change, saves it, then announces it.
   * @throws ZodError for a value out of range (nothing changes); the write's error
   */
  async update(patch: SettingsPatch): Promise<Settings> {
    const write = this.writing.then(async () => {
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
      const next = Settings.parse({ ...this.settings, ...defined })
      await saveSettingsFile(this.file, next)
      this.settings = next
      return next
    })
    this.writing = write.then(
      () => undefined,
      () => undefined,
    )
    const next = await write
    this.changed.fire(next)
    return next
  }

  dispose(): void {
    this.changed.dispose()
  }
}
