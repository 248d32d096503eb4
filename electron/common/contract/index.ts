/** Every service of the IPC contract; main registers each, the renderer gets a client of each. */
export { app } from './app'
export { hosts } from './hosts'
export { vms } from './vms'
export type { CallOptions, ServiceClient } from './define'
