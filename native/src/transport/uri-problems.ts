/**
 * What can be wrong with a libvirt URI, each with its English explanation and what to write
 * instead. `{{name}}` marks a value filled in from the URI. A UI may word the same reasons in
 * its own language (the reason and values travel with the error); these are the defaults.
 */
export const URI_PROBLEMS = {
  empty: 'The URI is empty. Example: qemu:///system',
  spaces: 'A URI cannot contain spaces.',
  notAUri:
    '"{{uri}}" is not a libvirt URI: it needs driver[+transport]://host/path, for example qemu:///system or qemu+ssh://user@host/system.',
  unknownDriver: 'Unknown driver "{{driver}}". Known drivers: {{known}} (qemu is the usual one).',
  unknownTransport: 'Unknown transport "{{transport}}". Use one of: {{known}}.',
  emptyUser: 'The user name before "@" is empty.',
  unclosedIpv6: 'An IPv6 address needs a closing "]".',
  afterIpv6: 'Unexpected "{{text}}" after the IPv6 address.',
  missingHost: 'A user or port is given but the host name is missing.',
  badHost: '"{{host}}" is not a valid host name or address.',
  badPort: 'Port "{{port}}" must be a number from 1 to 65535.',
  unknownParam: 'Unknown URI parameter "{{name}}". Known: {{known}}.',
  needsHost: 'The {{transport}} transport needs a host, e.g. qemu+{{transport}}://host/system.',
  unixWithHost:
    'The unix transport reaches only this machine; remove "{{host}}" or use qemu+ssh://{{host}}/system.',
  extNeedsCommand: 'The ext transport needs a command= parameter.',
  badFlag: 'Parameter {{name}} takes 0 or 1 (got "{{value}}").',
  badChoice: 'Parameter {{name}} takes {{known}} (got "{{value}}").',
  qemuPath: 'qemu URIs end in /system or /session (got "{{path}}").',
  extUnsupported:
    'The ext transport (command=) is not supported here: use qemu+ssh:// to reach a remote host.',
  sessionNeedsSocket:
    '{{what}} needs the remote socket path for a session URI: add socket=/run/user/UID/libvirt/libvirt-sock, or use proxy=native (virt-ssh-helper).',
  badSshAuth: 'Parameter sshauth takes a comma list of {{known}} (got "{{value}}").',
} as const

/** Why a URI was refused. */
export type UriProblem = keyof typeof URI_PROBLEMS

/** The values a problem's explanation names, as text. */
export type UriProblemValues = Readonly<Record<string, string>>

/** Fills a `{{name}}` template; a UI can use it on its own words for a problem. */
export function fillTemplate(template: string, values: UriProblemValues): string {
  return template.replace(/{{(\w+)}}/g, (_, name: string) => values[name] ?? '')
}
