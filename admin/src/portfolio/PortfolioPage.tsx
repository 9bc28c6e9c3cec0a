/**
 * The signed-in investor's landing page: their positions in the tenant's tranche tokens (token,
 * balance, share, read from the chain; factor, current value and distributions received) and
 * their distribution statements with downloads. Until compliance links the user to an investor
 * there is nothing to show, and the page says so.
 */
import { Alert, Box, Card, CardContent, Typography } from '@mui/material';
import {
  ArrayField,
  Labeled,
  Loading,
  RecordContextProvider,
  TextField,
  Title,
  useGetOne,
  useTranslate,
} from 'react-admin';
import { MY_PORTFOLIO, PORTFOLIO } from '../investors/investorsQuery';
import { RequireAccess } from '../layout/RequireAccess';
import { PositionsGrid } from './PositionsGrid';
import { StatementSection } from './StatementSection';

const Portfolio = () => {
  const translate = useTranslate();
  const { data, isPending, error } = useGetOne(PORTFOLIO, { id: MY_PORTFOLIO });
  if (isPending) return <Loading />;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="tranche.portfolio.title" />
      {error || !data ? (
        <Alert severity="error">{translate('tranche.portfolio.failed')}</Alert>
      ) : !data.linked ? (
        <Alert severity="info" data-testid="portfolio-unlinked">
          {translate('tranche.portfolio.unlinked')}
        </Alert>
      ) : (
        <Card>
          <CardContent>
            <RecordContextProvider value={data}>
              <Typography variant="h6" data-testid="portfolio-investor">
                {String(data.legalName)}
              </Typography>
              <Labeled label="tranche.portfolio.wallet">
                <TextField source="wallet" emptyText="—" sx={{ fontFamily: 'monospace' }} />
              </Labeled>
              <Typography variant="subtitle1" sx={{ mt: 2 }}>
                {translate('tranche.portfolio.positions')}
              </Typography>
              <ArrayField source="positions">
                <PositionsGrid empty="tranche.portfolio.no_positions" />
              </ArrayField>
              <StatementSection investorId={String(data.investorId)} />
            </RecordContextProvider>
          </CardContent>
        </Card>
      )}
    </Box>
  );
};

/** The portfolio page, for the INVESTOR role. */
export const PortfolioPage = () => (
  <RequireAccess resource="portfolio" action="list">
    <Portfolio />
  </RequireAccess>
);
