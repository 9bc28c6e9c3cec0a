import type { MikroORM } from '@mikro-orm/postgresql';
import {
  chainDirectoryOf,
  Deployment,
  ensureCovenantThresholds,
  platform,
  recordedPoolAttestation,
  submitPoolAttestation,
  type IdempotencyStore,
} from '@tranche/chain';
import {
  dealIdFromUuid,
  evaluatePool,
  InstanceNotBuiltError,
  poolLeaves,
  poolRoot,
  provePoolAttestation,
  provingInstanceFor,
  toVerifierCalldata,
  type Groth16Proof,
  type PoolLoan,
  type ProveProgress,
} from '@tranche/circuits';
import {
  chainTransactionStore,
  recordAudit,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type Logger,
} from '@tranche/platform';
import { ATTESTATION_VERIFIED, type AttestationEvidence } from '@tranche/verify';
import { covenantsOf, type Covenants } from '../deal/covenants.js';
import { LoanTape } from '../tape/loan-tape.entity.js';
import { covenantResults, PROVE_ATTESTATION_TASK } from './attestation.service.js';
import { PoolAttestation, PoolAttestationStatus } from './pool-attestation.entity.js';

/** The system actor that proves and submits attestations, in audit records. */
const ATTESTING = { subject: 'pool-attestation', clientId: 'pool-attestation', roles: new Set<never>() };

const DONE = [PoolAttestationStatus.VERIFIED, PoolAttestationStatus.NOT_MET, PoolAttestationStatus.FAILED];

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A failure a retry cannot fix (the job records it and stops at once). */
class AttestationFailure extends Error {}

/** Progress (percent) at each step; snarkjs' proving messages move it from PROVING_FROM to PROVED. */
const PROGRESS = {
  reading: 5,
  commitment: 10,
  witness: 20,
  provingFrom: 25,
  proved: 85,
  covenants: 90,
  attest: 95,
};

/** Writes progress at most this often while proving (snarkjs logs many steps). */
const PROGRESS_WRITE_MS = 300;

/** The circuit's threshold type from the deal's covenants (the same four fields). */
const thresholdsOf = (c: Covenants) => ({
  maxDelinquencyBps: c.maxDelinquencyBps,
  delinquencyDays: c.delinquencyDays,
  maxWaLtvBps: c.maxWaLtvBps,
  minBalance: c.minBalance,
});

/**
 * The attestation domain's queue task, `deals:prove-attestation`:
 *
 * 1. PROVING: reads the tape's loans and hiding salts in file order (the order they were committed
 *    in), checks they hash to the tape's anchored root, and evaluates the covenants; a breached one
 *    makes the attestation NOT_MET with each covenant's value, and nothing is proven or sent. Else the
 *    Groth16 proof is computed in a prover process (`provePoolAttestation`), off this event loop,
 *    its steps reported as progress, and stored with its public signals.
 * 2. SUBMITTING: on the chain the tape is anchored on, records the covenants in DealRegistry when it
 *    holds others (step `registry:covenants`), then submits the proof to PoolAttestationVerifier (step
 *    `attest`), both keyed under `attestation:<id>` in `chain_transaction`, so a rerun sends neither
 *    twice; a proof stored by an earlier run is not computed again. A period already attested on-chain
 *    with the same root and thresholds (an earlier run's transaction) is taken as VERIFIED.
 * 3. VERIFIED with the transaction, and `attestation.verified` audited.
 *
 * The gate is asked first (a kill switch holds the job; it retries). A failure no retry can fix
 * (the instance not built, the loans not hashing to the root, the contract refusing the proof) makes
 * it FAILED at once with the reason; any other is retried, and FAILED after the last attempt.
 */
export function attestationJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const directory = chainDirectoryOf(config, chainTransactionStore(orm) as IdempotencyStore);
  const schema = () => orm.config.get('schema')!;

  const update = (id: string, changes: Partial<PoolAttestation>) =>
    orm.em.fork().nativeUpdate(PoolAttestation, { id }, changes);

  /** Ends the attestation in `status` with its audit event, in one transaction. */
  const finish = async (
    row: PoolAttestation,
    status: PoolAttestationStatus,
    changes: Partial<PoolAttestation>,
    action: string,
    payload: Record<string, unknown>,
  ) => {
    await orm.em.fork().transactional(async (tx) => {
      await tx.nativeUpdate(PoolAttestation, { id: row.id }, { ...changes, status, finishedAt: new Date() });
      await recordAudit(
        tx,
        schema(),
        { ...ATTESTING, tenantId: row.tenantId },
        {
          action,
          aggregateType: 'Deal',
          aggregateId: row.dealId,
          payload: { attestationId: row.id, tapeVersion: row.tapeVersion, period: row.period, ...payload },
        },
      );
    });
  };

  /** Step 1: NOT_MET (returns null) or the proof, stored. */
  const prove = async (
    row: PoolAttestation,
  ): Promise<{ proof: Groth16Proof; publicSignals: string[] } | null> => {
    await update(row.id, {
      status: PoolAttestationStatus.PROVING,
      progress: PROGRESS.reading,
      stage: 'reading the pool',
      error: null,
    });
    const em = orm.em.fork();
    const tape = await em.findOneOrFail(LoanTape, { id: row.tapeId });
    const rows = await em.execute<
      { current_balance: string; ltv_bps: number; days_delinquent: number; salt: string }[]
    >(
      `select current_balance, ltv_bps, days_delinquent, salt from "${schema()}".loan where tape_id = ? order by row`,
      [row.tapeId],
    );
    const loans: PoolLoan[] = rows.map((r) => ({
      balance: BigInt(r.current_balance),
      ltvBps: r.ltv_bps,
      daysDelinquent: r.days_delinquent,
    }));
    const salts = rows.map((r) => BigInt(r.salt));
    let instance;
    try {
      instance = provingInstanceFor(loans.length, row.capacity);
    } catch (err) {
      if (err instanceof InstanceNotBuiltError) throw new AttestationFailure(err.message);
      throw err;
    }
    const root = await poolRoot(await poolLeaves(loans, salts), instance.capacity);
    if (root.toString() !== tape.poseidonRoot)
      throw new AttestationFailure(
        `the tape's ${loans.length} stored loans hash to root ${root}, not to its anchored root ${tape.poseidonRoot ?? '(none)'}: the loans changed after ingest`,
      );

    const covenants = covenantsOf(row.thresholds);
    const results = covenantResults(evaluatePool(loans, thresholdsOf(covenants)), covenants);
    if (results.some((r) => !r.met)) {
      await finish(
        row,
        PoolAttestationStatus.NOT_MET,
        {
          results,
          poolRoot: root.toString(),
          progress: 100,
          stage: 'a covenant is not met: nothing to prove',
        },
        'attestation.not_met',
        { breached: results.filter((r) => !r.met).map((r) => r.covenant), results },
      );
      logger.info({ attestationId: row.id, results }, 'pool attestation: covenant not met');
      return null;
    }

    let progress: number = PROGRESS.commitment;
    let lastWrite = 0;
    // progress writes run one after the other, and all before the proof is stored
    let writes = Promise.resolve();
    const onProgress = (p: ProveProgress) => {
      const next =
        p.stage === 'commitment'
          ? PROGRESS.commitment
          : p.stage === 'witness'
            ? PROGRESS.witness
            : p.stage === 'proving'
              ? Math.min(PROGRESS.proved - 1, Math.max(progress + 1, PROGRESS.provingFrom))
              : PROGRESS.proved;
      progress = next;
      if (Date.now() - lastWrite < PROGRESS_WRITE_MS && p.stage === 'proving') return;
      lastWrite = Date.now();
      const stage = `${p.stage}: ${p.message}`.slice(0, 200);
      writes = writes
        .then(() => update(row.id, { progress: next, stage }))
        .then(
          () => undefined,
          () => undefined,
        );
    };
    const proven = await provePoolAttestation(
      loans,
      salts,
      thresholdsOf(covenants),
      { dealId: dealIdFromUuid(row.dealId), period: row.period },
      { instance, onProgress },
    ).finally(() => writes);
    const stored = {
      proof: proven.proof as unknown as Record<string, unknown>,
      publicSignals: proven.publicSignals,
    };
    await update(row.id, {
      ...stored,
      poolRoot: proven.root.toString(),
      results,
      provedAt: new Date(),
      status: PoolAttestationStatus.SUBMITTING,
      progress: PROGRESS.proved,
      stage: 'proof ready',
    });
    return { proof: proven.proof, publicSignals: proven.publicSignals };
  };

  /** Step 2: the covenants and the proof on-chain; returns the recording transaction. */
  const submit = async (row: PoolAttestation, proof: Groth16Proof, publicSignals: string[]) => {
    const chain = await directory.connect(row.chainId);
    const verifier = chain.manifest.contracts.poolAttestationVerifier?.address;
    if (!verifier)
      throw new AttestationFailure(
        `chain ${row.chainId} has no PoolAttestationVerifier in its deployment: local chains get the dev-ceremony verifiers (ensureChain, devAttestationVerifier); elsewhere deploy the production ceremony's (docs/zk.md)`,
      );
    const groth16 = await platform.PoolAttestationVerifier__factory.connect(
      verifier,
      chain.provider,
    ).verifierFor(row.capacity);
    if (/^0x0{40}$/i.test(groth16))
      throw new AttestationFailure(
        `the PoolAttestationVerifier on chain ${row.chainId} has no verifier for ${row.circuit} (capacity ${row.capacity})`,
      );
    const registry = chain.manifest.contracts.dealRegistry.address;
    const covenants = covenantsOf(row.thresholds);
    const recorded = await recordedPoolAttestation(chain.provider, verifier, row.dealId, row.period);
    if (recorded) {
      const same =
        recorded.poolRoot.toString() === row.poolRoot &&
        recorded.thresholds.maxDelinquencyBps === covenants.maxDelinquencyBps &&
        recorded.thresholds.delinquencyDays === covenants.delinquencyDays &&
        recorded.thresholds.maxWaLtvBps === covenants.maxWaLtvBps &&
        recorded.thresholds.minBalance === covenants.minBalance;
      if (!same)
        throw new AttestationFailure(
          `period ${row.period} is already attested on-chain for other thresholds or another root (transaction ${recorded.txHash ?? 'unknown'})`,
        );
      return { verifier, registry, txHash: recorded.txHash, blockNumber: recorded.blockNumber };
    }
    const d = new Deployment(chain.signer, chain.sender, `attestation:${row.id}`);
    await update(row.id, {
      progress: PROGRESS.covenants,
      stage: 'registering the covenants in DealRegistry',
    });
    try {
      await ensureCovenantThresholds(
        d,
        chain.provider,
        chain.manifest.contracts.dealRegistry.address,
        row.dealId,
        thresholdsOf(covenants),
      );
      await update(row.id, {
        progress: PROGRESS.attest,
        stage: 'submitting the proof to PoolAttestationVerifier',
      });
      const { pA, pB, pC } = toVerifierCalldata(proof, publicSignals);
      const receipt = await submitPoolAttestation(d, verifier, {
        dealUuid: row.dealId,
        period: row.period,
        capacity: row.capacity,
        proof: { pA, pB, pC },
      });
      return {
        verifier,
        registry,
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
      };
    } catch (err) {
      if (/refused the (proof|covenant thresholds)/.test(messageOf(err)))
        throw new AttestationFailure(messageOf(err));
      throw err;
    }
  };

  const run: JobHandler = async (payload, ctx) => {
    const { attestationId } = payload as { attestationId: string };
    const row = await orm.em.fork().findOne(PoolAttestation, { id: attestationId });
    if (!row || DONE.includes(row.status)) return;
    await update(row.id, { attempts: ctx.attempt });
    try {
      gate.checkJob(row.tenantId, { capability: 'attestation.submit', dealId: row.dealId });
      const proven =
        row.proof && row.publicSignals
          ? { proof: row.proof as unknown as Groth16Proof, publicSignals: row.publicSignals }
          : await prove(row);
      if (!proven) return;
      if (ctx.signal.aborted) throw new Error('the worker is stopping: the attestation resumes later');
      const fresh = await orm.em.fork().findOneOrFail(PoolAttestation, { id: row.id });
      const { registry, ...tx } = await submit(fresh, proven.proof, proven.publicSignals);
      // The event carries the proof itself: auditors check it from the bundle (@tranche/verify).
      const evidence: AttestationEvidence = {
        attestationId: row.id,
        tapeVersion: row.tapeVersion,
        period: row.period,
        chainId: row.chainId,
        circuit: row.circuit,
        poolRoot: String(fresh.poolRoot),
        registry,
        ...tx,
        proof: proven.proof,
        publicSignals: proven.publicSignals,
      };
      await finish(
        fresh,
        PoolAttestationStatus.VERIFIED,
        { ...tx, progress: 100, stage: 'verified on-chain', error: null },
        ATTESTATION_VERIFIED,
        { ...evidence },
      );
      logger.info({ attestationId: row.id, txHash: tx.txHash }, 'pool attestation verified on-chain');
    } catch (err) {
      const last = err instanceof AttestationFailure || ctx.attempt >= ctx.maxAttempts;
      if (!last) {
        await update(row.id, { error: messageOf(err) });
        throw err;
      }
      await finish(row, PoolAttestationStatus.FAILED, { error: messageOf(err) }, 'attestation.failed', {
        error: messageOf(err),
      });
      logger.warn({ attestationId: row.id, err: messageOf(err) }, 'pool attestation failed');
    }
  };

  return { handlers: { [PROVE_ATTESTATION_TASK]: run } };
}
