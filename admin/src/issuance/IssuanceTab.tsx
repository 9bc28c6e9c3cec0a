/**
 * A deal's way to issuance in the back office: its legal terms and chain, its documents (hashed in
 * the browser, registered on-chain at issuance), the review (a change request others approve),
 * and the deployment — a Deploy action that stays disabled until the deal is APPROVED, then the
 * job's progress with every transaction and token.
 */
import {
  Alert,
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useCanAccess, useDataProvider, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { sha256OfFile, type IssuanceCalls, type IssuanceState } from './issuanceProvider';

const FRAMEWORKS = ['REG_D_506B', 'REG_D_506C', 'REG_S', 'RULE_144A', 'EU_PROSPECTUS', 'OTHER'];
const KINDS = [
  'OFFERING_MEMORANDUM',
  'POOLING_AND_SERVICING_AGREEMENT',
  'PROSPECTUS_SUPPLEMENT',
  'INDENTURE',
  'LOAN_TAPE',
  'OTHER',
];
const EDITABLE = new Set(['PROPOSED']);

type Provider = IssuanceCalls & ReturnType<typeof useDataProvider>;

/** The error's message, translated, with the fields a validation error names. */
const describe = (translate: (key: string, options?: object) => string, error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const fields = (error as { body?: { errors?: Record<string, unknown> } }).body?.errors;
  const detail = fields
    ? `: ${Object.entries(fields)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join('; ')}`
    : '';
  return `${translate(error.message, { _: error.message })}${detail}`;
};

const TermsForm = ({
  deal,
  chains,
  onSaved,
}: {
  deal: IssuanceState;
  chains: { chainId: number; name: string }[];
  onSaved: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const provider = useDataProvider<Provider>();
  const [terms, setTerms] = useState({
    spvName: deal.spvName ?? '',
    spvJurisdiction: deal.spvJurisdiction ?? '',
    regulatoryFramework: deal.regulatoryFramework ?? '',
    accreditedOnly: deal.accreditedOnly,
    allowedCountries: deal.allowedCountries.join(', '),
    minimumInvestment: deal.minimumInvestment ?? '',
    lockUpDays: String(deal.lockUpDays),
    chainId: deal.chainId === null ? '' : String(deal.chainId),
  });
  const disabled = !EDITABLE.has(deal.status);
  const set = (key: keyof typeof terms) => (e: { target: { value: string } }) =>
    setTerms({ ...terms, [key]: e.target.value });
  const save = async () => {
    try {
      await provider.setDealTerms(deal.id, {
        spvName: terms.spvName || undefined,
        spvJurisdiction: terms.spvJurisdiction || undefined,
        regulatoryFramework: terms.regulatoryFramework || undefined,
        accreditedOnly: terms.accreditedOnly,
        allowedCountries: terms.allowedCountries
          .split(',')
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean),
        minimumInvestment: terms.minimumInvestment || undefined,
        lockUpDays: Number(terms.lockUpDays),
        chainId: terms.chainId === '' ? undefined : Number(terms.chainId),
      });
      notify('tranche.issuance.terms_saved', { type: 'success' });
      onSaved();
    } catch (error) {
      notify(describe(translate, error), { type: 'error' });
    }
  };
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0 }} aria-label={translate('tranche.issuance.terms')}>
      <Typography variant="subtitle1">{translate('tranche.issuance.terms')}</Typography>
      <Stack direction="row" flexWrap="wrap" gap={2} sx={{ my: 1 }}>
        <TextField
          size="small"
          label="SPV legal name"
          value={terms.spvName}
          onChange={set('spvName')}
          disabled={disabled}
        />
        <TextField
          size="small"
          label="SPV jurisdiction (ISO 3166)"
          value={terms.spvJurisdiction}
          onChange={set('spvJurisdiction')}
          disabled={disabled}
        />
        <TextField
          select
          size="small"
          label="Regulatory framework"
          value={terms.regulatoryFramework}
          onChange={set('regulatoryFramework')}
          disabled={disabled}
          sx={{ minWidth: 200 }}
        >
          {FRAMEWORKS.map((f) => (
            <MenuItem key={f} value={f}>
              {f}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label="Allowed countries"
          value={terms.allowedCountries}
          onChange={set('allowedCountries')}
          disabled={disabled}
          helperText="ISO 3166-1 alpha-2, comma-separated"
        />
        <TextField
          size="small"
          label="Minimum investment (minor units)"
          value={terms.minimumInvestment}
          onChange={set('minimumInvestment')}
          disabled={disabled}
        />
        <TextField
          size="small"
          label="Lock-up days"
          value={terms.lockUpDays}
          onChange={set('lockUpDays')}
          disabled={disabled}
        />
        <TextField
          select
          size="small"
          label="Chain"
          value={terms.chainId}
          onChange={set('chainId')}
          disabled={disabled}
          sx={{ minWidth: 160 }}
        >
          {chains.map((c) => (
            <MenuItem key={c.chainId} value={String(c.chainId)}>
              {c.name} ({c.chainId})
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={terms.accreditedOnly}
              onChange={(e) => setTerms({ ...terms, accreditedOnly: e.target.checked })}
              disabled={disabled}
            />
          }
          label="Accredited investors only"
        />
      </Stack>
      {disabled ? null : (
        <Button variant="outlined" onClick={() => void save()}>
          {translate('tranche.issuance.save_terms')}
        </Button>
      )}
    </Box>
  );
};

const DocumentForm = ({ dealId, onAdded }: { dealId: string; onAdded: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const provider = useDataProvider<Provider>();
  const [doc, setDoc] = useState({ kind: 'OFFERING_MEMORANDUM', title: '', uri: '', sha256: '' });
  const add = async () => {
    try {
      await provider.addDealDocument(dealId, doc);
      setDoc({ kind: 'OFFERING_MEMORANDUM', title: '', uri: '', sha256: '' });
      onAdded();
    } catch (error) {
      notify(describe(translate, error), { type: 'error' });
    }
  };
  return (
    <Stack
      direction="row"
      flexWrap="wrap"
      gap={2}
      sx={{ my: 1 }}
      aria-label={translate('tranche.issuance.add_document')}
    >
      <TextField
        select
        size="small"
        label="Kind"
        value={doc.kind}
        onChange={(e) => setDoc({ ...doc, kind: e.target.value })}
        sx={{ minWidth: 220 }}
      >
        {KINDS.map((k) => (
          <MenuItem key={k} value={k}>
            {k}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        label="Title"
        value={doc.title}
        onChange={(e) => setDoc({ ...doc, title: e.target.value })}
      />
      <TextField
        size="small"
        label="URI"
        value={doc.uri}
        onChange={(e) => setDoc({ ...doc, uri: e.target.value })}
      />
      <Button component="label" variant="outlined">
        {doc.sha256 ? `SHA-256 ${doc.sha256.slice(0, 12)}…` : translate('tranche.issuance.hash_file')}
        <input
          hidden
          type="file"
          aria-label="document file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file)
              void sha256OfFile(file).then((sha256) =>
                setDoc((d) => ({ ...d, sha256, title: d.title || file.name })),
              );
          }}
        />
      </Button>
      <Button variant="outlined" disabled={!doc.sha256 || !doc.title || !doc.uri} onClick={() => void add()}>
        {translate('tranche.issuance.add_document')}
      </Button>
    </Stack>
  );
};

/**
 * The rule document, edited as JSON against the engine's JSON Schema: the page checks it is JSON
 * with the schema's required top-level properties as you type; saving has the engine check the rest
 * (references, cycles, sums, a class per tranche) and lists each problem by its path.
 */
const StructureForm = ({ deal, onSaved }: { deal: IssuanceState; onSaved: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const provider = useDataProvider<Provider>();
  const [text, setText] = useState(() =>
    deal.waterfallRules ? JSON.stringify(JSON.parse(deal.waterfallRules), null, 2) : '',
  );
  const [schema, setSchema] = useState<{ required?: string[]; properties?: Record<string, unknown> } | null>(
    null,
  );
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    provider.waterfallRulesSchema().then(setSchema, () => setSchema(null));
  }, [provider]);
  const local = (() => {
    if (!text.trim()) return [];
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return [`not valid JSON: ${(error as Error).message}`];
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      return ['the rule document is a JSON object'];
    const missing = (schema?.required ?? []).filter((key) => !(key in doc));
    const unknown = schema?.properties ? Object.keys(doc).filter((key) => !(key in schema.properties!)) : [];
    return [
      ...missing.map((key) => `${key}: required by the schema`),
      ...unknown.map((key) => `${key}: not a property of the schema`),
    ];
  })();
  const save = async () => {
    try {
      await provider.setWaterfallRules(deal.id, text);
      setProblems([]);
      notify('tranche.issuance.structure_saved', { type: 'success' });
      onSaved();
    } catch (error) {
      const fields = (error as { body?: { errors?: Record<string, unknown> } }).body?.errors;
      setProblems(fields ? Object.entries(fields).map(([k, v]) => `${k}: ${String(v)}`) : []);
      notify(describe(translate, error), { type: 'error' });
    }
  };
  const disabled = !EDITABLE.has(deal.status);
  const shown = [...local, ...problems];
  return (
    <Box sx={{ mt: 2 }}>
      <Typography variant="subtitle1">{translate('tranche.issuance.structure')}</Typography>
      {schema?.properties ? (
        <Typography variant="body2" color="text.secondary">
          {translate('tranche.issuance.schema_properties', {
            keys: Object.keys(schema.properties).join(', '),
          })}
        </Typography>
      ) : null}
      <TextField
        multiline
        fullWidth
        minRows={6}
        maxRows={20}
        value={text}
        onChange={(e) => setText(e.target.value)}
        disabled={disabled}
        slotProps={{
          htmlInput: { 'aria-label': 'rule document', spellCheck: false, style: { fontFamily: 'monospace' } },
        }}
        sx={{ my: 1 }}
      />
      {shown.length ? (
        <Alert severity="error" data-testid="structure-problems">
          {shown.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </Alert>
      ) : null}
      {disabled ? null : (
        <Button variant="outlined" disabled={!text.trim() || local.length > 0} onClick={() => void save()}>
          {translate('tranche.issuance.save_structure')}
        </Button>
      )}
    </Box>
  );
};

/** The deal's issuance tab. */
export const IssuanceTab = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const provider = useDataProvider<Provider>();
  const { canAccess: canIssue } = useCanAccess({ resource: 'deals', action: 'edit' });
  const [state, setState] = useState<{
    deal: IssuanceState | null;
    chains: { chainId: number; name: string }[];
  } | null>(null);
  const dealId = record?.id === undefined ? null : String(record.id);
  const refresh = useCallback(async () => {
    if (dealId) setState({ ...(await provider.issuanceOf(dealId)) }); // a fresh object: see LoanTapeTab
  }, [dealId, provider]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const deal = state?.deal ?? null;
  useEffect(() => {
    if (deal?.issuance?.status !== 'DEPLOYING' && deal?.status !== 'IN_REVIEW') return;
    const timer = setTimeout(() => void refresh(), 1000);
    return () => clearTimeout(timer);
  }, [deal, refresh]);
  if (!dealId || !state) return <LinearProgress />;
  if (!deal) return null;
  const act = (call: () => Promise<void>) => async () => {
    try {
      await call();
      await refresh();
    } catch (error) {
      notify(describe(translate, error), { type: 'error' });
    }
  };
  const issuance = deal.issuance;
  return (
    <Box>
      <Typography data-testid="issuance-status">
        {translate('tranche.issuance.status', { status: deal.status })}
        {deal.reviewChangeRequestId
          ? ` · ${translate('tranche.issuance.review', { id: deal.reviewChangeRequestId })}`
          : ''}
      </Typography>
      <TermsForm
        key={`${deal.status}-${deal.chainId}`}
        deal={deal}
        chains={state.chains}
        onSaved={() => void refresh()}
      />
      {canIssue ? <StructureForm key={deal.status} deal={deal} onSaved={() => void refresh()} /> : null}
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        {translate('tranche.issuance.documents')}
      </Typography>
      <Table size="small" aria-label={translate('tranche.issuance.documents')}>
        <TableBody>
          {deal.documents.map((d) => (
            <TableRow key={d.id}>
              <TableCell>{d.kind}</TableCell>
              <TableCell>{d.title}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{d.sha256.slice(0, 16)}…</TableCell>
              <TableCell>{d.registeredTxHash ? `✓ ${d.registeredTxHash.slice(0, 12)}…` : '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {canIssue && EDITABLE.has(deal.status) ? (
        <DocumentForm dealId={deal.id} onAdded={() => void refresh()} />
      ) : null}
      {canIssue ? (
        <Stack direction="row" spacing={2} sx={{ my: 2 }}>
          <Button
            variant="outlined"
            disabled={deal.status !== 'PROPOSED'}
            onClick={() => void act(() => provider.submitDealForReview(deal.id))()}
          >
            {translate('tranche.issuance.submit')}
          </Button>
          <Button
            variant="contained"
            disabled={deal.status !== 'APPROVED' && issuance?.status !== 'FAILED'}
            onClick={() => void act(() => provider.issueDeal(deal.id))()}
          >
            {issuance?.status === 'FAILED'
              ? translate('tranche.issuance.resume')
              : translate('tranche.issuance.deploy')}
          </Button>
        </Stack>
      ) : null}
      {deal.status === 'PROPOSED' || deal.status === 'IN_REVIEW' ? (
        <Alert severity="info">{translate('tranche.issuance.deploy_after_approval')}</Alert>
      ) : null}
      {issuance ? (
        <Box data-testid="deployment" sx={{ mt: 2 }}>
          <Typography>
            {translate('tranche.issuance.deployment', {
              status: issuance.status,
              done: issuance.stepsDone,
              total: issuance.stepsTotal,
              chain: issuance.chainId,
            })}
          </Typography>
          <LinearProgress variant="determinate" value={issuance.progress * 100} sx={{ my: 1 }} />
          {issuance.error ? <Alert severity="warning">{issuance.error}</Alert> : null}
          <Table size="small" aria-label={translate('tranche.issuance.tokens')}>
            <TableHead>
              <TableRow>
                <TableCell>Tranche</TableCell>
                <TableCell>Symbol</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Address</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {issuance.tokens.map((t) => (
                <TableRow key={t.symbol}>
                  <TableCell>{t.tranche}</TableCell>
                  <TableCell>{t.symbol}</TableCell>
                  <TableCell>{t.status}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{t.address ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Table size="small" aria-label={translate('tranche.issuance.transactions')} sx={{ mt: 1 }}>
            <TableHead>
              <TableRow>
                <TableCell>Step</TableCell>
                <TableCell>Transaction</TableCell>
                <TableCell align="right">Gas</TableCell>
                <TableCell>Contract</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {issuance.transactions.map((t) => (
                <TableRow key={t.step}>
                  <TableCell>{t.step}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{t.txHash}</TableCell>
                  <TableCell align="right">{t.gasUsed}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{t.contractAddress ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : null}
    </Box>
  );
};
