import { fetchUserToken } from '@tranche/dev-issuer';
import { gql } from './seed.js';

interface DemoAttestationState {
  deal: {
    loanTapes: { version: number; status: string; anchorStatus: string }[];
    attestations: { id: string; status: string; tapeVersion: number; error: string | null }[];
    changeRequests: { id: string; type: string; status: string; payload: string; expiresAt: string | null }[];
  } | null;
}

const STATE = `query($id: ID!) { deal(id: $id) {
  loanTapes { version status anchorStatus }
  attestations { id status tapeVersion error }
  changeRequests { id type status payload expiresAt }
} }`;

const IN_FLIGHT = ['REQUESTED', 'PROVING', 'SUBMITTING'];

/**
 * The demo deal's pool attestation, as its users would ask for it: the newest loan tape version
 * that is validated and anchored is attested against the deal's covenants with an approved
 * `attestation.submit` change request for it (the one the governance demo approved when it is for
 * this version, else the arranger asks and compliance approves), and the servicer's request is
 * followed until PoolAttestationVerifier has recorded the proof. Skipped when the deal already has a
 * verified attestation or no anchored tape; an attestation in flight is waited for, not asked again.
 * Returns true when it attested now.
 *
 * @throws Error naming the reason when the attestation ends NOT_MET or FAILED (e.g. the circuit
 *   instance for the tape's size is not built: the message names the command), or takes over
 *   `timeoutMs` (default 10 minutes; a 1,024-loan pool proves in about 20 s).
 */
export async function seedDemoAttestation(
  gatewayUrl: string,
  issuerUrl: string,
  domain: string,
  dealId: string,
  timeoutMs = 600_000,
): Promise<boolean> {
  const arranger = await fetchUserToken(issuerUrl, `arranger@${domain}`);
  const servicer = await fetchUserToken(issuerUrl, `servicer@${domain}`);
  const state = async () =>
    (await gql<DemoAttestationState>(gatewayUrl, arranger, STATE, { id: dealId })).deal;
  const deal = await state();
  if (!deal || deal.attestations.some((a) => a.status === 'VERIFIED')) return false;
  const tape = deal.loanTapes.find((t) => t.status === 'VALIDATED' && t.anchorStatus === 'ANCHORED');
  if (!tape) return false;

  let id = deal.attestations.find((a) => a.tapeVersion === tape.version && IN_FLIGHT.includes(a.status))?.id;
  if (!id) {
    const payload = { dealId, tapeVersion: tape.version };
    const approved = deal.changeRequests.find(
      (c) =>
        c.type === 'attestation.submit' &&
        c.status === 'APPROVED' &&
        (!c.expiresAt || Date.parse(c.expiresAt) > Date.now() + 60_000) &&
        JSON.stringify(JSON.parse(c.payload)) === JSON.stringify(payload),
    );
    const changeRequestId = approved?.id ?? (await approve(gatewayUrl, issuerUrl, domain, arranger, payload));
    const { requestPoolAttestation } = await gql<{ requestPoolAttestation: { id: string } }>(
      gatewayUrl,
      servicer,
      'mutation($d: ID!, $v: Int!, $cr: ID) { requestPoolAttestation(dealId: $d, tapeVersion: $v, changeRequestId: $cr) { id } }',
      { d: dealId, v: tape.version, cr: changeRequestId },
    );
    id = requestPoolAttestation.id;
  }

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attestation = (await state())?.attestations.find((a) => a.id === id);
    if (attestation?.status === 'VERIFIED') return true;
    if (attestation && !IN_FLIGHT.includes(attestation.status))
      throw new Error(
        `the demo pool attestation ended ${attestation.status}: ${attestation.error ?? 'a covenant is not met'}`,
      );
    if (Date.now() > deadline)
      throw new Error(`the demo pool attestation was not verified within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** An attestation.submit change request for `payload`: the arranger asks, compliance approves. */
async function approve(
  gatewayUrl: string,
  issuerUrl: string,
  domain: string,
  arranger: string,
  payload: { dealId: string; tapeVersion: number },
): Promise<string> {
  const { requestChange } = await gql<{ requestChange: { id: string } }>(
    gatewayUrl,
    arranger,
    'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
    {
      i: {
        type: 'attestation.submit',
        dealId: payload.dealId,
        title: `Attest loan tape version ${payload.tapeVersion} against the covenants`,
        rationale: 'Monthly covenant attestation for the investors.',
        payload: JSON.stringify(payload),
      },
    },
  );
  const compliance = await fetchUserToken(issuerUrl, `compliance@${domain}`);
  await gql(
    gatewayUrl,
    compliance,
    'mutation($id: ID!) { approveChange(id: $id, comment: "Tape reviewed") { id } }',
    {
      id: requestChange.id,
    },
  );
  return requestChange.id;
}
