import { create } from 'zustand'
import type { GraphicsDescription, GraphicsScreenshot, VncChannel } from '@common/contract/graphics'
import { getApi } from '../../ipc/api'
import { graphicsKey, initialGraphicsState, type GraphicsState } from './initial-state'

/** Actions of the graphics store. Failures reject with main's error (its code says why). */
export interface GraphicsActions {
  /** Fetches a VM's displays and whether its VNC console can open. */
  describe(hostId: string, uuid: string): Promise<GraphicsDescription>
  /** Connects main to the VM's VNC server; the page opens the returned channel. */
  openVnc(hostId: string, uuid: string): Promise<VncChannel>
  /** A PNG screenshot through libvirt, returned to the page. */
  screenshot(hostId: string, uuid: string): Promise<GraphicsScreenshot>
}

/** The graphics store: displays of the VMs whose console was opened, and the calls behind it. */
export const useGraphicsStore = create<GraphicsState & GraphicsActions>()((set, get) => ({
  ...initialGraphicsState,
  async describe(hostId, uuid) {
    const description = await getApi().graphics.describe({ hostId, uuid })
    set({ descriptions: { ...get().descriptions, [graphicsKey(hostId, uuid)]: description } })
    return description
  },
  openVnc(hostId, uuid) {
    return getApi().graphics.openVnc({ hostId, uuid })
  },
  screenshot(hostId, uuid) {
    return getApi().graphics.screenshot({ hostId, uuid }, { timeoutMs: 60_000 })
  },
}))
