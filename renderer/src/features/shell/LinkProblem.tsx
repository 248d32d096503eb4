import { useTranslation } from 'react-i18next'
import type { LinkState } from '../../stores/app/initial-state'

/** Full-page explanation when the UI cannot reach the app process. */
export function LinkProblem({
  link,
}: {
  link: Exclude<LinkState, { status: 'ready' | 'connecting' }>
}) {
  const { t } = useTranslation()
  const key = link.status === 'no-token' ? 'noToken' : link.status
  return (
    <main className="link-problem" role="alert">
      <h1>{t(`app.${key}.title`)}</h1>
      <p>{t(`app.${key}.body`, { reason: link.status === 'lost' ? link.reason : '' })}</p>
      {link.status === 'lost' && (
        <button type="button" className="button primary" onClick={() => window.location.reload()}>
          {t('app.lost.reload')}
        </button>
      )}
    </main>
  )
}
