/** English messages of the structuring tab, merged into i18n/en.ts. */
export const structuringMessages = {
  tab: 'Structuring',
  explain:
    'Project the deal’s structure (its waterfall rules and collateral) under a scenario. Balances and amounts come from the waterfall engine on the server; nothing is saved.',
  scenario_name: 'Scenario: %{scenario}',
  running: 'Projecting…',
  failed: 'The projection did not run: %{error}',
  no_projection: 'The deal has no projection (no waterfall rules and collateral yet).',
  export_csv: 'Export CSV',
  scenario: {
    title: 'Scenario',
    prepayment_model: 'Prepayment model',
    prepayment_rate: 'Prepayment speed',
    default_model: 'Default model',
    default_rate: 'Default speed',
    severity: 'Severity %',
    lag: 'Recovery lag (months)',
    clean_up_call: 'Clean-up call %',
    clean_up_call_help: 'Empty: to maturity',
    project: 'Project',
    compare: 'Add to comparison',
  },
  sections: {
    summary: 'Weighted average lives and principal windows',
    charts: 'Cash flows',
    decrement: 'Percent of original class balance outstanding',
    grid: 'Scenarios side by side',
  },
  wal: {
    title: 'WAL and principal window by class',
    class: 'Class',
    wal: 'WAL (years)',
    window: 'Principal window (periods)',
    pool: 'Collateral',
  },
  charts: {
    balances: 'Class balances after each period',
    payments: 'Principal and interest paid per period (all classes)',
    principal: 'Principal',
    interest: 'Interest',
  },
  decrement: {
    class: 'Class %{tranche}',
    date: 'Distribution date',
    initial: 'Initial percentage',
    wal: 'Weighted average life (years)',
    footnote:
      'Percent of the original class balance outstanding after each anniversary’s distribution, rounded to the nearest whole percent; * means above zero but below 0.5%. Columns: the scenario’s convention at standard speeds, other assumptions as edited.',
  },
  grid: {
    title: 'Scenarios compared',
    scenario: 'Scenario',
    pool_wal: 'Collateral WAL',
    class_wal: '%{tranche} WAL',
    class_window: '%{tranche} window',
    remove: 'Remove %{scenario}',
  },
};
