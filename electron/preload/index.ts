import { contextBridge, ipcRenderer } from 'electron'

/**
 * The whole preload: two functions that ask main for a MessagePort (the IPC port, and a byte
 * channel's port by ticket) and hand it to the page by window.postMessage (a MessagePort
 * cannot cross the context bridge). Nothing else of Electron is exposed.
 */
contextBridge.exposeInMainWorld('virtdeck', {
  connect(): void {
    ipcRenderer.once('virtdeck:port', (event) => {
      // Same window, and file:// pages have the opaque origin 'null': target '*'.
      window.postMessage('virtdeck:port', '*', event.ports)
    })
    ipcRenderer.send('virtdeck:connect')
  },
  openChannel(ticket: string): void {
    const onReply = (event: Electron.IpcRendererEvent, reply: { ticket: string; ok: boolean }) => {
      if (reply.ticket !== ticket) return
      ipcRenderer.off('virtdeck:channel-port', onReply)
      window.postMessage({ type: 'virtdeck:channel', ticket, ok: reply.ok }, '*', event.ports)
    }
    ipcRenderer.on('virtdeck:channel-port', onReply)
    ipcRenderer.send('virtdeck:channel', ticket)
  },
})
