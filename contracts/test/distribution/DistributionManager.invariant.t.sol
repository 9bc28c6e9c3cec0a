// SPDX-License-Identifier: GPL-3.0-or-later
// Test code: require strings, invariant_ names and a handler next to its test are Solidity test conventions.
// solhint-disable gas-custom-errors, reason-string, gas-small-strings, func-name-mixedcase, one-contract-per-file
pragma solidity 0.8.37;

import {DistributionManager} from "../../distribution/DistributionManager.sol";
import {IDistributionManager} from "../../interfaces/IDistributionManager.sol";
import {MockERC3643Token} from "../../mocks/MockERC3643Token.sol";
import {MockStablecoin} from "../../mocks/MockStablecoin.sol";
import {vm} from "../Vm.sol";

/// @notice Drives a published 4-holder distribution with random claims, pushes, freezes, time jumps and
/// sweeps; the invariant test checks the escrow after every call sequence.
contract DistributionHandler {
    bytes32 public constant DIST = keccak256("invariant-distribution");
    uint256 internal constant ORACLE_KEY = 0xB0B;

    DistributionManager public immutable manager;
    MockStablecoin public immutable coin;
    MockERC3643Token public immutable token;
    address[4] internal holders;
    uint256[4] internal amounts;
    bytes32[4] internal leaves;
    uint256 public paidOut;

    constructor() {
        coin = new MockStablecoin(address(this));
        token = new MockERC3643Token();
        address[] memory oracles = new address[](1);
        oracles[0] = vm.addr(ORACLE_KEY);
        manager = new DistributionManager(address(this), address(this), oracles, 1);
        manager.grantRole(manager.OPERATOR_ROLE(), address(this));
        coin.mint(address(this), 10_000e6);
        coin.approve(address(manager), type(uint256).max);
        uint256 total;
        for (uint256 i = 0; i < 4; ++i) {
            holders[i] = address(uint160(0xA000 + i));
            amounts[i] = (i + 1) * 100e6;
            total += amounts[i];
            leaves[i] = keccak256(bytes.concat(keccak256(abi.encode(i, holders[i], amounts[i]))));
            token.setVerified(holders[i], true);
        }
        manager.fund(DIST, address(coin), total + 7);
        vm.roll(block.number + 1);
        IDistributionManager.Publication memory p = IDistributionManager.Publication({
            distributionId: DIST,
            token: address(token),
            stablecoin: address(coin),
            merkleRoot: _pair(_pair(leaves[0], leaves[1]), _pair(leaves[2], leaves[3])),
            total: total,
            recordBlock: uint64(block.number - 1),
            claimDeadline: uint64(block.timestamp + 30 days)
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ORACLE_KEY, manager.publicationDigest(p));
        bytes[] memory signatures = new bytes[](1);
        signatures[0] = abi.encodePacked(r, s, v);
        manager.publish(p, signatures);
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _proof(uint256 i) internal view returns (bytes32[] memory proof) {
        proof = new bytes32[](2);
        proof[0] = leaves[i ^ 1];
        proof[1] = i < 2 ? _pair(leaves[2], leaves[3]) : _pair(leaves[0], leaves[1]);
    }

    /// A holder claims (reverts are fine: already claimed, frozen, expired).
    function claim(uint8 who) external {
        uint256 i = who % 4;
        vm.prank(holders[i]);
        try manager.claim(DIST, i, amounts[i], _proof(i)) {
            paidOut += amounts[i];
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// The operator pushes everyone; already paid and ineligible holders are skipped.
    function push() external {
        IDistributionManager.ClaimRequest[] memory batch = new IDistributionManager.ClaimRequest[](4);
        for (uint256 i = 0; i < 4; ++i) batch[i] = IDistributionManager.ClaimRequest(i, holders[i], amounts[i], _proof(i));
        uint256 before = coin.balanceOf(address(manager));
        try manager.batchClaimFor(DIST, batch) {
            paidOut += before - coin.balanceOf(address(manager));
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function freeze(uint8 who, bool frozen) external {
        token.setFrozen(holders[who % 4], frozen);
    }

    function elapse(uint32 secondsForward) external {
        vm.warp(block.timestamp + (secondsForward % 20 days));
    }

    function sweep() external {
        try manager.sweep(DIST) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function holderBalances() external view returns (uint256 sum) {
        for (uint256 i = 0; i < 4; ++i) sum += coin.balanceOf(holders[i]);
    }

    /// Whether every holder received at most its own payout (so nobody was paid twice).
    function eachPaidAtMostOnce() external view returns (bool) {
        for (uint256 i = 0; i < 4; ++i) {
            if (coin.balanceOf(holders[i]) > amounts[i]) return false;
        }
        return true;
    }
}

/// @notice Stateful invariant tests of the payout escrow.
contract DistributionManagerInvariantTest {
    DistributionHandler internal handler;

    function setUp() public {
        handler = new DistributionHandler();
    }

    /// @dev Only the handler is called by the invariant fuzzer.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// claimed <= total <= funded, and the escrow holds exactly funded - claimed until swept.
    function invariant_EscrowAccounting() public view {
        DistributionManager manager = handler.manager();
        IDistributionManager.Distribution memory d = manager.distribution(handler.DIST());
        require(d.claimed <= d.total && d.total <= d.funded, "claimed <= total <= funded");
        uint256 escrow = handler.coin().balanceOf(address(manager));
        require(escrow == (d.swept ? 0 : d.funded - d.claimed), "escrow == funded - claimed");
    }

    /// Holders never receive more than the tree pays them in total (no double claim), and what they
    /// received is exactly what the manager recorded as claimed.
    function invariant_NoDoublePayment() public view {
        uint256 received = handler.holderBalances();
        require(handler.eachPaidAtMostOnce(), "paid at most once each");
        require(received == handler.manager().distribution(handler.DIST()).claimed, "claimed == received");
        require(received == handler.paidOut(), "handler ledger");
    }
}
