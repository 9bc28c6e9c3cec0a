/**
 * The signed-in investor's landing page: their positions in the tenant's tranche tokens (token,
 * balance, share), read from the chain. Until compliance links the user to an investor there is
 * nothing to show, and the page says so.
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
import { HoldingsGrid } from '../investors/holdings';
import { MY_PORTFOLIO, PORTFOLIO } from '../investors/investorsQuery';
import { RequireAccess } from '../layout/RequireAccess';

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
                <HoldingsGrid empty="tranche.portfolio.no_positions" />
              </ArrayField>
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
