/** A platform deal's id on-chain: its UUID's 16 bytes, left-padded to bytes32 (as DealRegistry). */
export const onChainDealIdOf = (uuid: string): string => {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a deal id: ${uuid}`);
  return `0x${hex.padStart(64, '0')}`;
};
