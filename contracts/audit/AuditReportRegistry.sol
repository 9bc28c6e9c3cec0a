// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Roles} from "../access/Roles.sol";

/// @title AuditReportRegistry
/// @notice Auditors' signed verification results ("report attestations"): an auditor verifies an
/// audit bundle in their own browser and signs the result with their wallet (EIP-712); the
/// signature is recorded here, per deal, for anyone to read. The signature is the authority: the
/// auditor records it themselves, or the platform relays it (OPERATOR_ROLE), and either way the
/// recorded auditor is the signer, never the sender. Each signed report is recorded once.
/// @dev `pause` is the kill switch of recording (CAPABILITY audit.report); reads keep working.
contract AuditReportRegistry is AccessControl, Pausable, EIP712 {
    /// @notice Role of the platform's relayer, which records reports auditors signed.
    bytes32 public constant OPERATOR_ROLE = Roles.OPERATOR;
    /// @notice Role that can flip the kill switch (`pause`).
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER;

    /// @notice EIP-712 type of a signed report (a type string is longer than 32 bytes by nature).
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "AuditReport(bytes32 dealId,bytes32 bundleSha256,bytes32 resultDigest,bool verified,uint64 verifiedAt)"
    );

    /// @notice What the auditor signs.
    /// @param dealId the deal (bytes32 of its left-padded UUID)
    /// @param bundleSha256 SHA-256 of the audit bundle archive that was verified
    /// @param resultDigest SHA-256 of the canonical JSON of the verifier's checks
    /// @param verified whether every check passed
    /// @param verifiedAt when the auditor verified it (unix seconds)
    struct AuditReport {
        bytes32 dealId;
        bytes32 bundleSha256;
        bytes32 resultDigest;
        bool verified;
        uint64 verifiedAt;
    }

    /// @notice A recorded report: what was signed, by whom, and when it was recorded.
    struct RecordedReport {
        address auditor;
        bytes32 bundleSha256;
        bytes32 resultDigest;
        bool verified;
        uint64 verifiedAt;
        uint64 recordedAt;
    }

    /// @notice A report was recorded for `dealId`, signed by `auditor`.
    event AuditReportRecorded(
        bytes32 indexed dealId,
        address indexed auditor,
        bytes32 indexed digest,
        uint256 index,
        bytes32 bundleSha256,
        bytes32 resultDigest,
        bool verified
    );

    /// @notice This signed report (its EIP-712 digest) is already recorded.
    error ReportAlreadyRecorded(bytes32 digest);
    /// @notice Neither the signer nor an OPERATOR_ROLE relayer sent it, or the signature is malformed.
    error UnauthorizedRecorder(address sender, address signer);
    /// @notice The report names no deal or no bundle.
    error EmptyReport();
    /// @notice No report at `index` for `dealId`.
    error ReportNotFound(bytes32 dealId, uint256 index);

    mapping(bytes32 dealId => RecordedReport[]) private _reports;
    mapping(bytes32 digest => bool) private _recorded;

    constructor(address admin) EIP712("Tranche Audit Reports", "1") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Records `report` signed by its auditor. The sender must be the signer itself or hold
    /// OPERATOR_ROLE (the platform relaying it).
    /// @return auditor the signer, recorded as the report's auditor
    function record(
        AuditReport calldata report,
        bytes calldata signature
    ) external whenNotPaused returns (address auditor) {
        if (report.dealId == bytes32(0) || report.bundleSha256 == bytes32(0)) revert EmptyReport();
        bytes32 digest = digestOf(report);
        (address signer, ECDSA.RecoverError failure, ) = ECDSA.tryRecover(digest, signature);
        if (failure != ECDSA.RecoverError.NoError) revert UnauthorizedRecorder(msg.sender, address(0));
        if (msg.sender != signer && !hasRole(OPERATOR_ROLE, msg.sender)) revert UnauthorizedRecorder(msg.sender, signer);
        if (_recorded[digest]) revert ReportAlreadyRecorded(digest);
        _recorded[digest] = true;
        RecordedReport[] storage reports = _reports[report.dealId];
        reports.push(
            RecordedReport({
                auditor: signer,
                bundleSha256: report.bundleSha256,
                resultDigest: report.resultDigest,
                verified: report.verified,
                verifiedAt: report.verifiedAt,
                recordedAt: uint64(block.timestamp)
            })
        );
        emit AuditReportRecorded(
            report.dealId,
            signer,
            digest,
            reports.length - 1,
            report.bundleSha256,
            report.resultDigest,
            report.verified
        );
        return signer;
    }

    /// @notice Kill switch: stops recording. PAUSER_ROLE.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts the kill switch. Only the admin.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice The EIP-712 digest an auditor signs for `report`.
    function digestOf(AuditReport calldata report) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REPORT_TYPEHASH,
                    report.dealId,
                    report.bundleSha256,
                    report.resultDigest,
                    report.verified,
                    report.verifiedAt
                )
            )
        );
    }

    /// @notice Whether the signed report with EIP-712 digest `digest` is recorded.
    function isRecorded(bytes32 digest) external view returns (bool) {
        return _recorded[digest];
    }

    /// @notice How many reports are recorded for `dealId`.
    function reportCount(bytes32 dealId) external view returns (uint256) {
        return _reports[dealId].length;
    }

    /// @notice The report at `index` for `dealId`.
    function reportAt(bytes32 dealId, uint256 index) external view returns (RecordedReport memory) {
        RecordedReport[] storage reports = _reports[dealId];
        if (index >= reports.length) revert ReportNotFound(dealId, index);
        return reports[index];
    }
}
