// Philips Hue: the HueBridge contract, its node-hue-api adapter, discovery and pairing. Cheap to
// import: node-hue-api and the mDNS library load only when a bridge is first used or browsed for.
export {
  HueError,
  HueLinkButtonError,
  HuePairingTimeoutError,
  HueTimeoutError,
  HueUnauthorizedError,
  HueUnreachableError,
  isHueError,
  type BridgeInfo,
  type FlashOptions,
  type FlashResult,
  type HueBridge,
  type HueErrorKind,
  type HueLight,
  type PairResult,
} from './bridge.js';
export { bridgeFromService, discoverBridges, parseBridgeAddress, type BridgeAddress, type DiscoveredBridge } from './discovery.js';
export {
  createNodeHueBridge,
  DEFAULT_FLASH_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  type NodeHueBridgeOptions,
} from './node-hue-api.js';
export { DEFAULT_PAIRING_TIMEOUT_MS, pairWithBridge, systemClock, waitForLinkButton, type Clock, type WaitOptions } from './pairing.js';
