import { expect } from 'chai';

import { ethers } from './fixtures.js';

describe('EligibilityReader', function () {
  it('answers, in one eth_call of its creation code, which holders are verified and not frozen', async function () {
    const [, alice, bob, carol] = await ethers.getSigners();
    const token = await ethers.deployContract('MockERC3643Token');
    await token.setVerified(alice.address, true);
    await token.setVerified(bob.address, true);
    await token.setFrozen(bob.address, true);
    // carol: never verified
    const factory = await ethers.getContractFactory('EligibilityReader');
    const deploy = await factory.getDeployTransaction(await token.getAddress(), [
      alice.address,
      bob.address,
      carol.address,
    ]);
    const answer = await ethers.provider.call({ data: deploy.data });
    const [eligible] = ethers.AbiCoder.defaultAbiCoder().decode(['bool[]'], answer);
    expect([...eligible]).to.deep.equal([true, false, false]);
    // nothing was deployed: the answer came from the constructor of a contract that never existed
    const empty = await factory.getDeployTransaction(await token.getAddress(), []);
    const none = ethers.AbiCoder.defaultAbiCoder().decode(
      ['bool[]'],
      await ethers.provider.call({ data: empty.data }),
    );
    expect([...none[0]]).to.deep.equal([]);
  });
});
