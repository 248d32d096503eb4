/** Every service of the IPC contract; main registers each, the renderer gets a client of each. */
export { app } from './app'
export { consoles } from './consoles'
export { hosts } from './hosts'
export { vms } from './vms'
export { settings } from './settings'
export { vmDetails } from './vm-details'
export { graphics } from './graphics'
export type { CallOptions, ServiceClient } from './define'
