/// <reference types="novnc__novnc" />
/** noVNC 1.7 exports RFB from its package root; @types/novnc__novnc declares it as lib/rfb. */
declare module '@novnc/novnc' {
  export { default } from '@novnc/novnc/lib/rfb'
}
