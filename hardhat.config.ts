// Hardhat 3 configuration for the Tranche contracts (contracts/**).
//
// Everything compiles offline: the compiler is the solcjs build shipped in the `solc` npm package,
// passed by `path`, so Hardhat never tries to download a compiler. T-REX (ERC-3643) is not compiled
// here: its pinned 0.8.17 build ships as artifacts in `@tokenysolutions/t-rex`, deployed from there.
import { createRequire } from 'node:module';

import hardhatEthers from '@nomicfoundation/hardhat-ethers';
import hardhatEthersChaiMatchers from '@nomicfoundation/hardhat-ethers-chai-matchers';
import hardhatMocha from '@nomicfoundation/hardhat-mocha';
import hardhatNetworkHelpers from '@nomicfoundation/hardhat-network-helpers';
import hardhatTypechain from '@nomicfoundation/hardhat-typechain';
import { defineConfig } from 'hardhat/config';

const require = createRequire(import.meta.url);
const solcVersion: string = (require('solc/package.json') as { version: string }).version;
const solcPath = require.resolve('solc/soljson.js');

const compiler = {
  version: solcVersion,
  path: solcPath,
  settings: {
    evmVersion: 'osaka',
    optimizer: { enabled: true, runs: 200 },
  },
};

export default defineConfig({
  plugins: [hardhatEthers, hardhatEthersChaiMatchers, hardhatMocha, hardhatNetworkHelpers, hardhatTypechain],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
  },
  paths: {
    sources: './contracts',
    tests: {
      mocha: './contracts/test',
      solidity: './contracts/test',
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256, seed: '0x7472616e636865' },
      // Stateful invariant runs of the payout escrow: 64 sequences of 64 calls keep the suite fast.
      invariant: { runs: 64, depth: 64 },
    },
  },
});
