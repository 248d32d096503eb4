import { useRef, useState } from 'react'
import type { PromptAnswer } from '@common/contract/hosts'
import { useHostsStore } from '../../stores/hosts/store'

/**
 * Sends one answer to a prompt: remembers that it was answered (so closing the dialog
 * afterwards sends no cancel) and keeps main's error if the answer was refused.
 */
export function usePromptAnswer(promptId: string) {
  const answerPrompt = useHostsStore((s) => s.answerPrompt)
  const answered = useRef(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const send = async (answer: PromptAnswer) => {
    if (answered.current) return
    answered.current = true
    setBusy(true)
    setError(undefined)
    try {
      await answerPrompt(promptId, answer)
    } catch (err) {
      answered.current = false
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  /** Cancels unless an answer went out already (the dialog closing after an answer). */
  const cancel = () => void send({ kind: 'cancel' })
  return { send, cancel, busy, error }
}
