/** A second local Hardhat chain (`--chain-id`), for running deals on more than one chain locally. */
export const LOCAL_SECOND_CHAIN_ID = 31338;

/**
 * Chain ids treated as local development chains (Hardhat, Ganache-style dev nodes): only there
 * are the mock stablecoin and the dev-ceremony Groth16 verifiers deployed, and only there may a
 * node-held key sign for the TxSender.
 */
export const LOCAL_CHAIN_IDS: readonly number[] = [31337, 1337, LOCAL_SECOND_CHAIN_ID];
