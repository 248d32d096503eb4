import { describe, expect, it } from 'vitest'
import { enumMemberNames, methodName, typeName } from './model'

describe('codegen naming', () => {
  it('methods drop REMOTE_PROC_ and keep other programs as a prefix', () => {
    expect(methodName('remote', 'connect_get_hostname')).toBe('connectGetHostname')
    expect(methodName('qemu', 'domain_monitor_command')).toBe('qemuDomainMonitorCommand')
    expect(methodName('remote', 'domain_migrate_prepare3_params')).toBe(
      'domainMigratePrepare3Params',
    )
  })

  it('types drop remote_ unless that would shadow a global', () => {
    expect(typeName('remote', 'remote_nonnull_domain')).toBe('NonnullDomain')
    expect(typeName('remote', 'remote_error')).toBe('RemoteError')
    expect(typeName('remote', 'remote_string')).toBe('RemoteString')
    expect(typeName('qemu', 'qemu_domain_monitor_command_args')).toBe(
      'QemuDomainMonitorCommandArgs',
    )
    expect(typeName('virnet', 'virNetMessageHeader')).toBe('NetMessageHeader')
    expect(typeName('remote', 'remote_procedure', true)).toBe('RemoteProcedure')
  })

  it('enum members drop their shared prefix', () => {
    const e = {
      name: 'remote_auth_type',
      members: [
        { name: 'REMOTE_AUTH_NONE', value: 0 },
        { name: 'REMOTE_AUTH_SASL', value: 1 },
      ],
    }
    expect(enumMemberNames(e, 'remote')).toEqual(['NONE', 'SASL'])
    const p = {
      name: 'lxc_procedure',
      is_procedure_enum: true,
      members: [{ name: 'LXC_PROC_DOMAIN_OPEN_NAMESPACE', value: 1 }],
    }
    expect(enumMemberNames(p, 'lxc')).toEqual(['DOMAIN_OPEN_NAMESPACE'])
  })
})
