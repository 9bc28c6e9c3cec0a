// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Roles} from "../access/Roles.sol";
import {IAuditAnchor} from "../interfaces/IAuditAnchor.sol";

/// @title AuditAnchor
/// @notice Append-only on-chain anchors of audit-ledger ranges, one sequence of anchors per ledger
/// (see `IAuditAnchor`).
/// @dev `pause` is the kill switch of anchoring (CAPABILITY audit-anchor); reads and `verifyEvent`
/// keep working while paused.
contract AuditAnchor is IAuditAnchor, AccessControl, Pausable {
    /// @notice Role of the audit writer that anchors ledger ranges.
    bytes32 public constant OPERATOR_ROLE = Roles.OPERATOR;
    /// @notice Role that can flip the kill switch (`pause`).
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER;

    mapping(bytes32 ledgerId => Anchor[]) private _anchors;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IAuditAnchor
    function anchor(
        bytes32 ledgerId,
        bytes32 merkleRoot,
        uint64 firstSeq,
        uint64 lastSeq
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        if (ledgerId == bytes32(0)) revert ZeroLedgerId();
        if (merkleRoot == bytes32(0)) revert ZeroMerkleRoot(ledgerId);
        if (lastSeq < firstSeq) revert InvalidRange(ledgerId, firstSeq, lastSeq);
        Anchor[] storage anchors = _anchors[ledgerId];
        uint256 count = anchors.length;
        uint64 expected = count == 0 ? 1 : anchors[count - 1].lastSeq + 1;
        if (firstSeq != expected) revert NonContiguousRange(ledgerId, expected, firstSeq);

        anchors.push(
            Anchor({merkleRoot: merkleRoot, firstSeq: firstSeq, lastSeq: lastSeq, anchoredAt: uint64(block.timestamp)})
        );

        emit RangeAnchored(ledgerId, count, merkleRoot, firstSeq, lastSeq);
    }

    /// @notice Kill switch: stops anchoring. PAUSER_ROLE.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts the kill switch. Only the admin.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @inheritdoc IAuditAnchor
    function anchorCount(bytes32 ledgerId) external view returns (uint256 count) {
        return _anchors[ledgerId].length;
    }

    /// @inheritdoc IAuditAnchor
    function anchorAt(bytes32 ledgerId, uint256 index) external view returns (Anchor memory) {
        Anchor[] storage anchors = _anchors[ledgerId];
        if (index >= anchors.length) revert AnchorNotFound(ledgerId, index);
        return anchors[index];
    }

    /// @inheritdoc IAuditAnchor
    function anchorOf(bytes32 ledgerId, uint64 seq) external view returns (uint256 index, Anchor memory) {
        (bool found, uint256 position) = _find(ledgerId, seq);
        if (!found) revert SequenceNotAnchored(ledgerId, seq);
        return (position, _anchors[ledgerId][position]);
    }

    /// @inheritdoc IAuditAnchor
    function lastAnchoredSeq(bytes32 ledgerId) external view returns (uint64 seq) {
        Anchor[] storage anchors = _anchors[ledgerId];
        uint256 count = anchors.length;
        return count == 0 ? 0 : anchors[count - 1].lastSeq;
    }

    /// @inheritdoc IAuditAnchor
    function verifyEvent(
        bytes32 ledgerId,
        uint64 seq,
        bytes32 eventHash,
        bytes32[] calldata proof
    ) external view returns (bool verified) {
        (bool found, uint256 position) = _find(ledgerId, seq);
        if (!found) return false;
        return MerkleProof.verifyCalldata(proof, _anchors[ledgerId][position].merkleRoot, _leaf(seq, eventHash));
    }

    /// @inheritdoc IAuditAnchor
    function ledgerLeaf(uint64 seq, bytes32 eventHash) external pure returns (bytes32 leaf) {
        return _leaf(seq, eventHash);
    }

    /// @dev The StandardMerkleTree leaf of `(uint64 seq, bytes32 eventHash)`.
    function _leaf(uint64 seq, bytes32 eventHash) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(seq, eventHash))));
    }

    /// @dev The index of the ledger's anchor covering `seq`, if any. A ledger's ranges are
    /// contiguous and ascending: binary search for the first anchor whose lastSeq >= seq.
    function _find(bytes32 ledgerId, uint64 seq) private view returns (bool found, uint256 index) {
        Anchor[] storage anchors = _anchors[ledgerId];
        uint256 count = anchors.length;
        if (count == 0 || seq < anchors[0].firstSeq || seq > anchors[count - 1].lastSeq) return (false, 0);
        uint256 low = 0;
        uint256 high = count - 1;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (anchors[mid].lastSeq < seq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return (true, low);
    }
}
