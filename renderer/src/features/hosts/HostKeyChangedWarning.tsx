import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import type { HostKeyFacts } from '@common/contract/hosts'
import { CommandLine } from '../../components/CommandLine'

/**
 * The red warning for an SSH host key that differs from the recorded one, as ssh words
 * it: the new and the old fingerprints and the known_hosts line to fix. There is no way
 * to accept the new key from here, on purpose: the line must be fixed by hand.
 */
export function HostKeyChangedWarning({ hostKey }: { hostKey: HostKeyFacts }) {
  const { t } = useTranslation()
  const known = hostKey.known ?? []
  const files = [...new Set(known.map((k) => k.file))]
  return (
    <div className="host-key-warning" role="alert" data-testid="host-key-changed">
      <p className="host-key-warning-title">{t('hostKeyChanged.title')}</p>
      <p>{hostKey.revoked ? t('hostKeyChanged.revoked') : t('hostKeyChanged.nasty')}</p>
      <dl className="facts prompt-facts">
        <dt>{t('hostKeyChanged.serverKey', { keyType: hostKey.keyType })}</dt>
        <dd className="mono fingerprint" data-testid="host-key-new">
          {hostKey.fingerprint}
        </dd>
        {known.map((k) => (
          <Fragment key={`${k.file}:${k.line}`}>
            <dt>{t('hostKeyChanged.recorded', { file: k.file, line: k.line })}</dt>
            <dd className="mono fingerprint" data-testid="host-key-old">
              {k.keyType} {k.fingerprint}
            </dd>
          </Fragment>
        ))}
      </dl>
      {!hostKey.revoked && (
        <>
          <p>{t('hostKeyChanged.fix')}</p>
          {files.map((file) => (
            <CommandLine key={file} command={`ssh-keygen -f "${file}" -R "${hostKey.host}"`} />
          ))}
        </>
      )}
      <p>{t('hostKeyChanged.refused')}</p>
    </div>
  )
}
