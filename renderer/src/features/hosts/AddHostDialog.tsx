import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { UriTarget } from '@common/contract/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { problemText } from '../../components/problem-text'
import { useHostsStore } from '../../stores/hosts/store'
import { describeTarget } from './host-labels'
import { buildUri, emptyHostForm, type ConnectionKind, type HostForm } from './uri-builder'

const KINDS: ConnectionKind[] = ['ssh', 'tls', 'tcp', 'uri']

/** The dialog that adds a remote (or any) host by connection details or by URI. */
export function AddHostDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation()
  const checkUri = useHostsStore((s) => s.checkUri)
  const add = useHostsStore((s) => s.add)
  const [form, setForm] = useState<HostForm>(emptyHostForm)
  const [name, setName] = useState('')
  const [check, setCheck] = useState<{ target?: UriTarget; error?: string }>({})
  const [busy, setBusy] = useState(false)
  const [submitError, setSubmitError] = useState<string>()
  const uri = buildUri(form)
  const incomplete = form.kind === 'uri' ? form.uri.trim() === '' : form.host.trim() === ''

  useEffect(() => {
    if (incomplete) return setCheck({})
    let live = true
    const timer = setTimeout(() => {
      checkUri(uri).then(
        (target) => live && setCheck({ target }),
        (err: Error) => live && setCheck({ error: problemText(err, t) }),
      )
    }, 150)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [uri, incomplete, checkUri])

  const update = (patch: Partial<HostForm>) => {
    setSubmitError(undefined)
    setForm((f) => ({ ...f, ...patch }))
  }
  const close = () => {
    setForm(emptyHostForm)
    setName('')
    setSubmitError(undefined)
    onClose()
  }
  const submit = async () => {
    setBusy(true)
    try {
      await add(uri, name.trim() || undefined)
      close()
    } catch (err) {
      setSubmitError(problemText(err, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      title={t('addHost.title')}
      open={open}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="add-host-form"
            className="button primary"
            disabled={busy || incomplete || check.error !== undefined}
          >
            {busy ? t('addHost.adding') : t('addHost.add')}
          </button>
        </>
      }
    >
      <form
        id="add-host-form"
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <div className="segmented" role="radiogroup" aria-label={t('addHost.title')}>
          {KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              role="radio"
              aria-checked={form.kind === kind}
              className={form.kind === kind ? 'active' : ''}
              onClick={() => update({ kind })}
            >
              {t(`addHost.kind.${kind}`)}
            </button>
          ))}
        </div>
        {form.kind === 'uri' ? (
          <label className="field">
            <span>{t('addHost.uri')}</span>
            <input
              autoFocus
              spellCheck={false}
              value={form.uri}
              placeholder="qemu+ssh://user@host/system"
              onChange={(e) => update({ uri: e.target.value })}
            />
            <small>{t('addHost.uriHint')}</small>
          </label>
        ) : (
          <div className="field-row">
            {form.kind === 'ssh' && (
              <label className="field narrow">
                <span>{t('addHost.user')}</span>
                <input
                  spellCheck={false}
                  value={form.user}
                  onChange={(e) => update({ user: e.target.value })}
                />
              </label>
            )}
            <label className="field grow">
              <span>{t('addHost.host')}</span>
              <input
                autoFocus
                spellCheck={false}
                value={form.host}
                placeholder="server.example"
                onChange={(e) => update({ host: e.target.value })}
              />
            </label>
            <label className="field narrow">
              <span>{t('addHost.port')}</span>
              <input
                inputMode="numeric"
                value={form.port}
                placeholder={{ ssh: '22', tls: '16514', tcp: '16509' }[form.kind]}
                onChange={(e) => update({ port: e.target.value })}
              />
            </label>
            <label className="field narrow">
              <span>{t('addHost.scope')}</span>
              <select
                value={form.scope}
                onChange={(e) => update({ scope: e.target.value as HostForm['scope'] })}
              >
                <option value="system">{t('welcome.scope.system')}</option>
                <option value="session">{t('welcome.scope.session')}</option>
              </select>
            </label>
          </div>
        )}
        {form.kind === 'tcp' && <p className="warning">{t('addHost.tcpWarning')}</p>}
        <label className="field">
          <span>{t('addHost.name')}</span>
          <input
            value={name}
            placeholder={t('addHost.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {check.target && !incomplete && (
          <p className="hint" data-testid="uri-summary">
            {t('addHost.willConnect', { summary: describeTarget(check.target, t) })}{' '}
            <code>{uri}</code>
          </p>
        )}
        <ErrorText message={incomplete ? undefined : (check.error ?? submitError)} />
      </form>
    </Dialog>
  )
}
