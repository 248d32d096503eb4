import { loadTranslations, startLanguage } from './i18n/language'
import { connectApi } from './ipc/client'
import { firstContact, type Link } from './ipc/first-contact'
import './styles.css'

// The page's entry. It opens the link to main and asks for the first data at once, so the
// socket's handshake and main's replies overlap the loading and evaluation of the UI's code
// (React and the rest, behind ./start), which is most of the start-up; the replies wait on
// the held link until the stores listen. start() reports a link that could not be opened.
const linking: Promise<Link> = connectApi().then((link) => ({
  ...link,
  first: firstContact(link.api),
}))
linking.catch(() => undefined)
// A page that starts in another language than English fetches its strings alongside.
const language = startLanguage()
if (language !== 'en') loadTranslations(language).catch(() => undefined)
import('./start')
  .then(({ start }) => start(linking))
  .catch((err: unknown) => console.error('virtdeck: the UI could not start', err))
