// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Roles} from "../access/Roles.sol";
import {IAuditAnchor} from "../interfaces/IAuditAnchor.sol";

/// @title AuditAnchor
/// @notice Append-only on-chain anchors of audit-chain ranges (see `IAuditAnchor`).
/// @dev `pause` is the kill switch of anchoring (CAPABILITY audit-anchor).
contract AuditAnchor is IAuditAnchor, AccessControl, Pausable {
    /// @notice Role of the audit writer that anchors chain heads.
    bytes32 public constant OPERATOR_ROLE = Roles.OPERATOR;
    /// @notice Role that can flip the kill switch (`pause`).
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER;

    Anchor[] private _anchors;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IAuditAnchor
    function anchor(bytes32 merkleRoot, uint64 firstSeq, uint64 lastSeq) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        if (merkleRoot == bytes32(0)) revert ZeroMerkleRoot();
        if (lastSeq < firstSeq) revert InvalidRange(firstSeq, lastSeq);
        uint256 count = _anchors.length;
        if (count > 0) {
            uint64 expected = _anchors[count - 1].lastSeq + 1;
            if (firstSeq != expected) revert NonContiguousRange(expected, firstSeq);
        }
        _anchors.push(
            Anchor({merkleRoot: merkleRoot, firstSeq: firstSeq, lastSeq: lastSeq, anchoredAt: uint64(block.timestamp)})
        );
        emit RangeAnchored(count, merkleRoot, firstSeq, lastSeq);
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
    function anchorCount() external view returns (uint256) {
        return _anchors.length;
    }

    /// @inheritdoc IAuditAnchor
    function anchorAt(uint256 index) external view returns (Anchor memory) {
        if (index >= _anchors.length) revert AnchorNotFound(index);
        return _anchors[index];
    }

    /// @inheritdoc IAuditAnchor
    function anchorOf(uint64 seq) external view returns (uint256 index, Anchor memory) {
        uint256 count = _anchors.length;
        if (count == 0 || seq < _anchors[0].firstSeq || seq > _anchors[count - 1].lastSeq) {
            revert SequenceNotAnchored(seq);
        }
        // Ranges are contiguous and ascending: find the first anchor whose lastSeq >= seq.
        uint256 low = 0;
        uint256 high = count - 1;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (_anchors[mid].lastSeq < seq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return (low, _anchors[low]);
    }

    /// @inheritdoc IAuditAnchor
    function lastAnchoredSeq() external view returns (uint64) {
        uint256 count = _anchors.length;
        if (count == 0) revert SequenceNotAnchored(0);
        return _anchors[count - 1].lastSeq;
    }
}
