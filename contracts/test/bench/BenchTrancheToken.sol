// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.17;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Benchmark stand-in for a tranche token (bench:payout): an ERC-20 whose holders are all
/// verified and none frozen, so 10,000 holders can be minted in a few transactions instead of
/// registering 10,000 ONCHAINIDs. It answers the ERC-3643 views the payout rail reads
/// (`identityRegistry().isVerified`, `isFrozen`). Not deployed outside benchmarks.
contract BenchTrancheToken is ERC20 {
    error NotOwner(address caller);

    address private immutable _owner;

    constructor() ERC20("Bench Tranche", "BENCH") {
        _owner = msg.sender;
    }

    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function mintBatch(address[] calldata to, uint256 amount) external {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        for (uint256 i = 0; i < to.length; ++i) _mint(to[i], amount);
    }

    function identityRegistry() external view returns (address) {
        return address(this);
    }

    function isVerified(address) external pure returns (bool) {
        return true;
    }

    function isFrozen(address) external pure returns (bool) {
        return false;
    }
}
