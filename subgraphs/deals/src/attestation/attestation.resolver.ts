import { gatedService, NotFoundError, serviceFor, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { covenantsOf } from '../deal/covenants.js';
import { Deal, DealCovenants } from '../deal/deal.entity.js';
import { DealService } from '../deal/deal.service.js';
import {
  ATTESTATION_READERS,
  ATTESTERS,
  attestationPayload,
  PoolAttestationService,
} from './attestation.service.js';
import { CovenantResult, PoolAttestation } from './pool-attestation.entity.js';

@Resolver(() => PoolAttestation)
export class AttestationResolver {
  @Mutation(() => PoolAttestation, {
    description:
      'Proves that a VALIDATED, anchored loan tape version meets the deal’s covenants and records the proof in PoolAttestationVerifier, as a job (ARRANGER, SERVICER, ADMIN; gated by `attestation.submit`, whose approval binds `{ dealId, tapeVersion }`). Follow it in `Deal.attestations`.',
  })
  async requestPoolAttestation(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID) dealId: string,
    @Arg('tapeVersion', () => Int) tapeVersion: number,
    @Arg('changeRequestId', () => ID, {
      nullable: true,
      description: 'The approved attestation.submit change request (when the tenant’s policy asks for one).',
    })
    changeRequestId?: string | null,
  ): Promise<PoolAttestation> {
    const deal = await serviceFor(DealService, ctx, ATTESTERS).get(dealId);
    if (!deal) throw new NotFoundError('Deal', dealId);
    const { service, decision } = await gatedService(PoolAttestationService, ctx, {
      capability: 'attestation.submit',
      dealId: deal.id,
      changeRequestId: changeRequestId ?? null,
      payload: attestationPayload(deal.id, tapeVersion),
    });
    return service.request({ dealId: deal.id, tapeVersion }, decision);
  }

  @Query(() => PoolAttestation, { nullable: true, description: 'A pool attestation (staff, investors).' })
  poolAttestation(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<PoolAttestation | null> {
    return serviceFor(PoolAttestationService, ctx, ATTESTATION_READERS).get(id);
  }

  @FieldResolver(() => DealCovenants, {
    description: 'The deal’s covenants when it was asked for: what is proven.',
  })
  thresholds(@Root() attestation: PoolAttestation): DealCovenants {
    return covenantsOf(attestation.thresholds);
  }

  @FieldResolver(() => [CovenantResult], {
    nullable: true,
    description: 'Each covenant evaluated on the pool, once read (all met unless NOT_MET).',
  })
  result(@Root() attestation: PoolAttestation): CovenantResult[] | null {
    return (
      attestation.results?.map((r) => ({
        covenant: r.covenant,
        value: BigInt(r.value),
        threshold: BigInt(r.threshold),
        met: r.met,
      })) ?? null
    );
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The Groth16 proof as snarkjs emits it (JSON), once proven.',
  })
  proof(@Root() attestation: PoolAttestation): string | null {
    return attestation.proof ? JSON.stringify(attestation.proof) : null;
  }
}

@Resolver(() => Deal)
export class DealAttestationResolver {
  @FieldResolver(() => [PoolAttestation], {
    description: 'The deal’s pool attestations, newest first (staff, investors).',
  })
  attestations(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<PoolAttestation[]> {
    const service = serviceFor(PoolAttestationService, ctx, ATTESTATION_READERS);
    return ctx.loaders
      .get<string, PoolAttestation[]>('attestationsOfDeal', (ids) => service.ofDeals(ids))
      .load(deal.id);
  }
}
