/** An error message in a form or panel, announced to screen readers. */
export function ErrorText({ message }: { message: string | undefined }) {
  if (!message) return null
  return (
    <p className="error-text" role="alert">
      {message}
    </p>
  )
}
