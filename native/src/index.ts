/** The public surface of Virtdeck's libvirt client; electron/main imports only this. */
export * from './transport/uri'
