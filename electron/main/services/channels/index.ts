/** Byte channels between main and the page: tickets, the page's end, and stream bridges. */
export { ChannelBroker, type ChannelHandler } from './channel-broker'
export { BasePeer, type ChannelPeer } from './channel-peer'
export { bridgeStream, type Bridge, type BridgeOptions } from './stream-bridge'
