import { contextBridge, ipcRenderer } from 'electron'

/**
 * The whole preload: one function that asks main for the IPC port and hands it to the page
 * by window.postMessage (a MessagePort cannot cross the context bridge). Nothing else of
 * Electron is exposed.
 */
contextBridge.exposeInMainWorld('virtdeck', {
  connect(): void {
    ipcRenderer.once('virtdeck:port', (event) => {
      // Same window, and file:// pages have the opaque origin 'null': target '*'.
      window.postMessage('virtdeck:port', '*', event.ports)
    })
    ipcRenderer.send('virtdeck:connect')
  },
})
