// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

// Test code: require strings and testFuzz_ names are the conventions of Solidity tests.
// solhint-disable gas-custom-errors, reason-string, gas-small-strings, func-name-mixedcase

import {DistributionManager} from "../../distribution/DistributionManager.sol";
import {IDistributionManager} from "../../interfaces/IDistributionManager.sol";
import {MockERC3643Token} from "../../mocks/MockERC3643Token.sol";
import {MockStablecoin} from "../../mocks/MockStablecoin.sol";
import {vm} from "../Vm.sol";

/// @notice Fuzz tests of the payout invariants: no double claim, claimed <= funded, a proof only pays
/// its own (account, amount), sweep only after the claim deadline.
contract DistributionManagerFuzzTest {
    bytes32 internal constant DIST = keccak256("fuzz-distribution");
    uint256 internal constant ORACLE_KEY = 0xA11CE;
    uint64 internal constant DEADLINE_OFFSET = 30 days;

    DistributionManager internal manager;
    MockStablecoin internal coin;
    MockERC3643Token internal token;

    function setUp() public {
        coin = new MockStablecoin(address(this));
        token = new MockERC3643Token();
        address[] memory oracles = new address[](1);
        oracles[0] = vm.addr(ORACLE_KEY);
        manager = new DistributionManager(address(this), address(this), oracles, 1);
        manager.grantRole(manager.OPERATOR_ROLE(), address(this));
        coin.mint(address(this), type(uint128).max);
        coin.approve(address(manager), type(uint256).max);
        vm.roll(10);
        vm.warp(1_800_000_000);
    }

    // ------------------------------------------------------------------ helpers

    function _leaf(uint256 index, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _holders(address a, address b) internal pure returns (address, address) {
        vm.assume(a != address(0) && b != address(0) && a != b);
        vm.assume(uint160(a) > 0x10000 && uint160(b) > 0x10000); // clear of precompiles and cheatcodes
        return (a, b);
    }

    /// @dev Publishes a two-leaf tree [(0, a, amountA), (1, b, amountB)] funded with `extra` on top.
    function _publish(address a, uint256 amountA, address b, uint256 amountB, uint256 extra) internal {
        token.setVerified(a, true);
        token.setVerified(b, true);
        uint256 total = amountA + amountB;
        manager.fund(DIST, address(coin), total + extra);
        IDistributionManager.Publication memory p = IDistributionManager.Publication({
            distributionId: DIST,
            token: address(token),
            stablecoin: address(coin),
            merkleRoot: _pair(_leaf(0, a, amountA), _leaf(1, b, amountB)),
            total: total,
            recordBlock: uint64(block.number - 1),
            claimDeadline: uint64(block.timestamp) + DEADLINE_OFFSET
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ORACLE_KEY, manager.publicationDigest(p));
        bytes[] memory signatures = new bytes[](1);
        signatures[0] = abi.encodePacked(r, s, v);
        manager.publish(p, signatures);
    }

    function _proof(bytes32 sibling) internal pure returns (bytes32[] memory proof) {
        proof = new bytes32[](1);
        proof[0] = sibling;
    }

    function _assertAccounting() internal view {
        IDistributionManager.Distribution memory d = manager.distribution(DIST);
        require(d.claimed <= d.total && d.total <= d.funded, "claimed <= total <= funded");
        require(coin.balanceOf(address(manager)) == d.funded - d.claimed, "escrow balance == funded - claimed");
    }

    // ------------------------------------------------------------------ properties

    /// Claiming the same payout twice never pays twice, by claim or by push.
    function testFuzz_NoDoubleClaim(address a, address b, uint96 amountA, uint96 amountB) public {
        (a, b) = _holders(a, b);
        vm.assume(amountA > 0 && amountB > 0);
        _publish(a, amountA, b, amountB, 0);
        bytes32[] memory proofA = _proof(_leaf(1, b, amountB));

        vm.prank(a);
        manager.claim(DIST, 0, amountA, proofA);
        require(coin.balanceOf(a) == amountA, "paid once");

        vm.expectRevert(abi.encodeWithSelector(IDistributionManager.PayoutAlreadyClaimed.selector, DIST, 0));
        vm.prank(a);
        manager.claim(DIST, 0, amountA, proofA);

        vm.expectRevert(abi.encodeWithSelector(IDistributionManager.PayoutAlreadyClaimed.selector, DIST, 0));
        manager.claimFor(DIST, 0, a, amountA, proofA);

        IDistributionManager.ClaimRequest[] memory batch = new IDistributionManager.ClaimRequest[](2);
        batch[0] = IDistributionManager.ClaimRequest(0, a, amountA, proofA);
        batch[1] = IDistributionManager.ClaimRequest(1, b, amountB, _proof(_leaf(0, a, amountA)));
        require(manager.batchClaimFor(DIST, batch) == 1, "only b paid");
        require(manager.batchClaimFor(DIST, batch) == 0, "a retried batch pays nobody");
        require(coin.balanceOf(a) == amountA && coin.balanceOf(b) == amountB, "each paid exactly once");
        _assertAccounting();
    }

    /// Whatever is funded and claimed, claimed <= total <= funded and the escrow holds funded - claimed.
    function testFuzz_ClaimedNeverExceedsFunded(
        address a,
        address b,
        uint96 amountA,
        uint96 amountB,
        uint96 extra,
        bool claimA,
        bool claimB
    ) public {
        (a, b) = _holders(a, b);
        vm.assume(uint256(amountA) + amountB > 0);
        _publish(a, amountA, b, amountB, extra);
        if (claimA) manager.claimFor(DIST, 0, a, amountA, _proof(_leaf(1, b, amountB)));
        _assertAccounting();
        if (claimB) manager.claimFor(DIST, 1, b, amountB, _proof(_leaf(0, a, amountA)));
        _assertAccounting();
    }

    /// A proof pays only its own (index, account, amount): another account or amount is rejected.
    function testFuzz_ProofForAnotherAccountOrAmountFails(
        address a,
        address b,
        address thief,
        uint96 amountA,
        uint96 amountB,
        uint96 forged
    ) public {
        (a, b) = _holders(a, b);
        vm.assume(thief != a && thief != address(0) && uint160(thief) > 0x10000);
        vm.assume(forged != amountA);
        _publish(a, amountA, b, amountB, 0);
        token.setVerified(thief, true);
        bytes32[] memory proofA = _proof(_leaf(1, b, amountB));

        vm.expectRevert(
            abi.encodeWithSelector(IDistributionManager.InvalidMerkleProof.selector, DIST, 0, thief, uint256(amountA))
        );
        vm.prank(thief);
        manager.claim(DIST, 0, amountA, proofA);

        vm.expectRevert(
            abi.encodeWithSelector(IDistributionManager.InvalidMerkleProof.selector, DIST, 0, a, uint256(forged))
        );
        vm.prank(a);
        manager.claim(DIST, 0, forged, proofA);
        require(!manager.isClaimed(DIST, 0), "nothing paid");
        _assertAccounting();
    }

    /// The remainder can be swept only after the claim deadline, and only once.
    function testFuzz_SweepOnlyAfterExpiry(address a, address b, uint96 amountA, uint96 amountB, uint32 elapsed) public {
        (a, b) = _holders(a, b);
        vm.assume(uint256(amountA) + amountB > 0);
        _publish(a, amountA, b, amountB, 0);
        if (amountA > 0) manager.claimFor(DIST, 0, a, amountA, _proof(_leaf(1, b, amountB)));
        uint64 deadline = manager.distribution(DIST).claimDeadline;
        vm.warp(block.timestamp + elapsed);
        if (block.timestamp <= deadline) {
            vm.expectRevert(
                abi.encodeWithSelector(IDistributionManager.ClaimPeriodNotEnded.selector, DIST, deadline)
            );
            manager.sweep(DIST);
        } else {
            uint256 before = coin.balanceOf(address(this));
            require(manager.sweep(DIST) == amountB, "sweeps exactly the unclaimed");
            require(coin.balanceOf(address(this)) == before + amountB, "to the treasury");
            vm.expectRevert(abi.encodeWithSelector(IDistributionManager.ClaimPeriodEnded.selector, DIST, deadline));
            manager.claimFor(DIST, 1, b, amountB, _proof(_leaf(0, a, amountA)));
            vm.expectRevert(abi.encodeWithSelector(IDistributionManager.DistributionClosed.selector, DIST));
            manager.sweep(DIST);
        }
    }
}
