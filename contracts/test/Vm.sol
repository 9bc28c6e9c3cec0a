// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title Vm
/// @notice The few cheatcodes our Solidity tests use (Hardhat 3 implements them at the hevm address);
/// declared here because forge-std is not published on npm in a usable form.
// solhint-disable-next-line interface-starts-with-i
interface Vm {
    function prank(address sender) external;
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function assume(bool condition) external pure;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function expectRevert(bytes calldata revertData) external;
}

/// @dev The cheatcode address: uint160(uint256(keccak256("hevm cheat code"))).
Vm constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
