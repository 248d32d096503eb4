/// <reference types="novnc__novnc" />
/** noVNC 1.7 exports RFB from its package root (as in renderer/src/features/consoles). */
declare module '@novnc/novnc' {
  export { default } from '@novnc/novnc/lib/rfb'
}
