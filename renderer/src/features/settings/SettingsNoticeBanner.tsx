import { useTranslation } from 'react-i18next'
import { settingsSelectors } from '../../stores/settings/selectors'
import { useSettingsStore } from '../../stores/settings/store'

/** Says once that the settings file was unusable, where it was kept, and that defaults apply. */
export function SettingsNoticeBanner() {
  const { t } = useTranslation()
  const notice = useSettingsStore(settingsSelectors.notice)
  const dismiss = useSettingsStore((s) => s.dismissNotice)
  if (!notice) return null
  return (
    <div className="notice-banner" role="status" data-testid="settings-notice">
      <div>
        <p>
          <strong>{t('settings.notice.title')}</strong>
        </p>
        <p>{t('settings.notice.body', { file: notice.keptAs })}</p>
        <p className="muted mono">{notice.reason}</p>
      </div>
      <button type="button" className="button small" onClick={() => void dismiss()}>
        {t('settings.notice.dismiss')}
      </button>
    </div>
  )
}
