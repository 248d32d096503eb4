import type { GraphicsDescription } from '@common/contract/graphics'

/** VMs' displays as last described, by {@link graphicsKey}. */
export interface GraphicsState {
  descriptions: Record<string, GraphicsDescription>
}

/** The key of a VM in this store. */
export const graphicsKey = (hostId: string, uuid: string): string => `${hostId}/${uuid}`

/** Nothing described yet. */
export const initialGraphicsState: GraphicsState = { descriptions: {} }
