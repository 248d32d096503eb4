import { useHostsStore } from '../../stores/hosts/store'
import { hostsSelectors } from '../../stores/hosts/selectors'
import { HostKeyQuestion } from './HostKeyQuestion'
import { SecretQuestion } from './SecretQuestion'

/**
 * Shows the question the first waiting host needs answered (host key, password ...), one
 * at a time; the others wait their turn in main while their hosts stay "connecting".
 */
export function HostPromptDialog() {
  const hostId = useHostsStore(hostsSelectors.promptHostId)
  const host = useHostsStore((s) => s.hosts.find((h) => h.id === hostId))
  const prompt = useHostsStore((s) => (hostId ? s.connections[hostId]?.prompt : undefined))
  const count = useHostsStore(hostsSelectors.promptCount)
  if (!host || !prompt) return null
  const waiting = count - 1
  return prompt.kind === 'host-key' ? (
    <HostKeyQuestion key={prompt.id} host={host} prompt={prompt} waiting={waiting} />
  ) : (
    <SecretQuestion key={prompt.id} host={host} prompt={prompt} waiting={waiting} />
  )
}
